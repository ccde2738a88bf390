package io.github.vbackcam.service.config;

import io.github.vbackcam.core.BadValue;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.segment.EngineChoice;
import io.github.vbackcam.core.segment.MaskSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The service's settings: defaults, then {@code /etc/vbackcam/vbackcam.conf}, then
 * {@code ~/.config/vbackcam/vbackcam.conf}, then the remembered choices in the XDG state dir, then the command
 * line. Every key is documented in {@code vbackcam.conf.example} and vbackcam(1); {@link #set} rejects unknown keys
 * and bad values with a message that names the key and the value. The effect and mask keys are checked by their
 * value types ({@link Effects}, {@link MaskSettings}); this class checks only what is its own (sizes, rates).
 */
public final class Settings {

  /** Every key, in the order the example file documents them. */
  public static final List<String> KEYS = List.of("camera", "camera-format", "camera-size", "camera-fps", "output",
      "pipewire", "size", "mode", "background", "blur", "color", "hologram", "model", "engine", "threshold", "feather",
      "smoothing", "placeholder-fps", "still-fps");

  /** The keys remembered across restarts in the state file. */
  public static final List<String> REMEMBERED = List.of("mode", "background", "blur", "color", "hologram", "model");

  /** The key that holds each effect parameter (see {@link Effects}). */
  private static final Map<String, String> EFFECT_KEYS = Map.of("path", "background", "radius", "blur",
      "color", "color", Effects.HOLOGRAM, "hologram");

  private final Map<String, String> values = new LinkedHashMap<>();
  /** Where each value read from a file came from, as "FILE:LINE"; a value set otherwise has none. */
  private final Map<String, String> origins = new HashMap<>();

  public Settings() {
    values.put("camera", "auto");
    values.put("camera-format", "mjpeg");
    values.put("camera-size", "1280x720");
    values.put("camera-fps", "30");
    values.put("output", "/dev/video20");
    values.put("pipewire", "yes");
    values.put("size", "1280x720");
    values.put("mode", "image");
    values.put("background", "");
    values.put("blur", "20");
    values.put("color", "#00b140");
    values.put("hologram", "false");
    values.put("model", "selfie");
    values.put("engine", "auto");
    values.put("threshold", "0.5");
    values.put("feather", "2");
    values.put("smoothing", "0.3");
    values.put("placeholder-fps", "2");
    values.put("still-fps", "30");
  }

  /** Sets a key after checking it; the message of the exception names what is wrong (without file or line). */
  public void set(String key, String value) {
    set(key, value, null);
  }

  /**
   * As {@link #set(String, String)}, remembering where the value was read ({@code origin}, "FILE:LINE", or null),
   * so that a value that passes here but fails later (a model that does not load, a background file that cannot
   * be read) can be traced to its line.
   */
  public void set(String key, String value, String origin) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("unknown key '" + key + "' (known keys: " + String.join(", ", KEYS) + ")");
    }
    String v = value.trim();
    switch (key) {
      case "camera", "output" -> requireNonEmpty(key, v);
      case "camera-format" -> {
        if (!v.matches("[a-z0-9_]*")) {
          throw bad(key, v, "an FFmpeg input format such as mjpeg or yuyv422, or empty for the camera's default");
        }
      }
      case "pipewire" -> {
        if (!v.equals("yes") && !v.equals("no")) {
          throw bad(key, v, "yes or no");
        }
      }
      case "camera-size", "size" -> {
        try {
          VideoSize.parse(v);
        } catch (IllegalArgumentException e) {
          throw bad(key, v, e.getMessage());
        }
      }
      case "camera-fps", "placeholder-fps", "still-fps" -> number(key, v, 1, 120);
      case "mode" -> check(key, v, () -> Effects.parameters(v));
      case "background" -> { }
      case "blur" -> check(key, v, () -> Effects.check("radius", v));
      case "color" -> check(key, v, () -> Effects.check("color", v));
      case "hologram" -> check(key, v, () -> Effects.check(Effects.HOLOGRAM, v));
      case "model" -> requireNonEmpty(key, v);
      // The device only changes the reason given, not which names are valid.
      case "engine" -> check(key, v, () -> EngineChoice.decide(v, new ComputeDevice(ComputeDevice.Kind.CPU, "")));
      case "threshold" -> mask(key, v, MaskSettings::withThreshold);
      case "feather" -> mask(key, v, MaskSettings::withFeather);
      case "smoothing" -> mask(key, v, MaskSettings::withSmoothing);
      default -> throw new IllegalStateException(key);
    }
    values.put(key, v);
    if (origin == null) {
      origins.remove(key);
    } else {
      origins.put(key, origin);
    }
  }

  /** Where the value of {@code key} was read, "FILE:LINE", or empty when it was not read from a file. */
  public Optional<String> origin(String key) {
    return Optional.ofNullable(origins.get(key));
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown key '" + key + "'");
    }
    return v;
  }

  /** A yes/no key as a boolean. */
  public boolean yes(String key) {
    return get(key).equals("yes");
  }

  public double number(String key) {
    return Double.parseDouble(get(key));
  }

  public VideoSize size(String key) {
    return VideoSize.parse(get(key));
  }

  /**
   * The effect the settings describe; an image or video mode with no file set shows {@code defaultImage} (as an
   * image).
   */
  public Effect effect(Path defaultImage) {
    String kind = get("mode");
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String p : Effects.parameters(kind)) {
      parameters.put(p, get(EFFECT_KEYS.get(p)));
    }
    if (parameters.containsKey("path")) {
      String file = parameters.get("path");
      if (file.isEmpty()) {
        kind = "image"; // no file chosen yet: the bundled picture, which is an image even in mode video
      }
      parameters.put("path", file.isEmpty() ? defaultImage.toString() : expandHome(file));
    }
    if (!kind.equals("none")) {
      parameters.put(Effects.HOLOGRAM, get("hologram"));
    }
    return Effects.parse(kind, parameters);
  }

  /** Records an effect chosen at run time in the keys that describe it. */
  public void remember(Effect effect) {
    values.put("mode", effect.kind());
    origins.remove("mode");
    effect.parameters().forEach((p, v) -> {
      values.put(EFFECT_KEYS.get(p), v);
      origins.remove(EFFECT_KEYS.get(p));
    });
  }

  /** The mask settings for video from the threshold, feather and smoothing keys. */
  public MaskSettings mask() {
    return MaskSettings.VIDEO.withThreshold(number("threshold")).withFeather(number("feather"))
        .withSmoothing(number("smoothing"));
  }

  /** {@code ~/x} as {@code $HOME/x}; other paths unchanged. */
  public static String expandHome(String path) {
    return FileTypes.expandHome(path);
  }

  private static void requireNonEmpty(String key, String v) {
    if (v.isEmpty()) {
      throw bad(key, v, "must not be empty");
    }
  }

  private static void number(String key, String v, double min, double max) {
    double d = number(key, v);
    if (!(d >= min && d <= max)) {
      throw bad(key, v, "out of range " + fmt(min) + "-" + fmt(max));
    }
  }

  private static double number(String key, String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(key, v, "not a number");
    }
  }

  /** Checks a mask key by making mask settings with it: {@link MaskSettings} owns the ranges. */
  private static void mask(String key, String v, BiFunction<MaskSettings, Double, MaskSettings> with) {
    double d = number(key, v);
    check(key, v, () -> with.apply(MaskSettings.VIDEO, d));
  }

  /** Runs a value type's check and quotes its reason under this key. */
  private static void check(String key, String v, Runnable check) {
    try {
      check.run();
    } catch (BadValue e) {
      throw bad(key, v, e.reason());
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static IllegalArgumentException bad(String key, String value, String why) {
    return new IllegalArgumentException("bad value '" + value + "' for " + key + ": " + why);
  }
}
