package io.github.vbackcam.service.config;

import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.BackgroundSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The service's settings: defaults, then {@code /etc/vbackcam/vbackcam.conf}, then
 * {@code ~/.config/vbackcam/vbackcam.conf}, then the remembered choices in the XDG state dir, then the command
 * line. Every key is documented in {@code vbackcam.conf.example} and vbackcam(1); {@link #set} rejects unknown keys
 * and bad values with a message that names the key and the value.
 */
public final class Settings {

  /** Every key, in the order the example file documents them. */
  public static final List<String> KEYS = List.of("camera", "camera-format", "camera-size", "camera-fps", "output",
      "size", "mode", "background", "blur", "color", "model", "threshold", "feather", "smoothing",
      "placeholder-fps", "still-fps");

  /** The keys remembered across restarts in the state file. */
  public static final List<String> REMEMBERED = List.of("mode", "background", "blur", "color", "model");

  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  private final Map<String, String> values = new LinkedHashMap<>();

  public Settings() {
    values.put("camera", "auto");
    values.put("camera-format", "mjpeg");
    values.put("camera-size", "1280x720");
    values.put("camera-fps", "30");
    values.put("output", "/dev/video20");
    values.put("size", "1280x720");
    values.put("mode", "image");
    values.put("background", "");
    values.put("blur", "20");
    values.put("color", "#00b140");
    values.put("model", "selfie");
    values.put("threshold", "0.5");
    values.put("feather", "2");
    values.put("smoothing", "0.3");
    values.put("placeholder-fps", "2");
    values.put("still-fps", "30");
  }

  /** Sets a key after checking it; the message of the exception names what is wrong (without file or line). */
  public void set(String key, String value) {
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
      case "camera-size", "size" -> {
        try {
          VideoSize.parse(v);
        } catch (IllegalArgumentException e) {
          throw bad(key, v, e.getMessage());
        }
      }
      case "camera-fps", "placeholder-fps", "still-fps" -> number(key, v, 1, 120);
      case "mode" -> {
        try {
          BackgroundSpec.Mode.parse(v);
        } catch (IllegalArgumentException e) {
          throw bad(key, v, "expected image, video, blur, color or none");
        }
      }
      case "background" -> { }
      case "blur" -> number(key, v, 1, 200);
      case "color" -> {
        if (!COLOR.matcher(v).matches()) {
          throw bad(key, v, "expected #rrggbb");
        }
      }
      case "model" -> requireNonEmpty(key, v);
      case "threshold" -> number(key, v, 0, 1);
      case "feather" -> number(key, v, 0, 50);
      case "smoothing" -> number(key, v, 0, 0.95);
      default -> throw new IllegalStateException(key);
    }
    values.put(key, v);
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown key '" + key + "'");
    }
    return v;
  }

  public double number(String key) {
    return Double.parseDouble(get(key));
  }

  public VideoSize size(String key) {
    return VideoSize.parse(get(key));
  }

  /** The background the settings describe; an image mode with no file set uses {@code defaultImage}. */
  public BackgroundSpec background(Path defaultImage) {
    BackgroundSpec.Mode mode = BackgroundSpec.Mode.parse(get("mode"));
    return switch (mode) {
      case NONE -> BackgroundSpec.none();
      case BLUR -> BackgroundSpec.blur((int) number("blur"));
      case COLOR -> BackgroundSpec.color(get("color"));
      case IMAGE, VIDEO -> {
        String file = get("background");
        Path path = file.isEmpty() ? defaultImage : Path.of(expandHome(file));
        yield mode == BackgroundSpec.Mode.IMAGE ? BackgroundSpec.image(path) : BackgroundSpec.video(path);
      }
    };
  }

  /** Records a background chosen at run time in the keys that describe it. */
  public void remember(BackgroundSpec spec) {
    values.put("mode", spec.mode().label());
    switch (spec.mode()) {
      case IMAGE, VIDEO -> values.put("background", spec.path().toString());
      case BLUR -> values.put("blur", Integer.toString(spec.blurRadius()));
      case COLOR -> values.put("color", String.format(Locale.ROOT, "#%06x", spec.rgb()));
      case NONE -> { }
    }
  }

  static String expandHome(String path) {
    return expandHomePublic(path);
  }

  /** {@code ~/x} as {@code $HOME/x}; other paths unchanged. */
  public static String expandHomePublic(String path) {
    return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  private static void requireNonEmpty(String key, String v) {
    if (v.isEmpty()) {
      throw bad(key, v, "must not be empty");
    }
  }

  private static void number(String key, String v, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(key, v, "not a number");
    }
    if (!(d >= min && d <= max)) {
      throw bad(key, v, "out of range " + fmt(min) + "-" + fmt(max));
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static IllegalArgumentException bad(String key, String value, String why) {
    return new IllegalArgumentException("bad value '" + value + "' for " + key + ": " + why);
  }
}
