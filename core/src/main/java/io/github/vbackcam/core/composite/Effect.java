package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.BadValue;
import io.github.vbackcam.core.internal.FileTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the user chose to do with the background, as a value: stored, compared and shown before any native resource
 * is opened, and checked when it is made (each record owns its rules). {@link #open()} makes the {@link Background}.
 * {@link Effects} reads effects from text, the same way for the command line, the configuration and D-Bus.
 *
 * <p>A new effect is one record here, one {@link Background} class and one line in {@link Effects}.
 */
public sealed interface Effect {

  /** The effect's name, as in {@code SetEffect}, the {@code mode} key and the {@code Mode} property. */
  String kind();

  /** Whether the person is drawn as a hologram (blue tint, scan lines) in front of the background. */
  boolean hologram();

  /** The parameters, as {@link Effects#parse} reads them back. */
  Map<String, String> parameters();

  /** Opens the background; reads any file now, so a bad one fails here. Not for {@link None}. */
  Background open() throws IOException;

  /** An image (still or animated) or a video, by the file's extension and, for animations, its header. */
  static Effect file(Path path, boolean hologram) {
    return FileTypes.isPicture(path) ? new Image(path, hologram) : new Video(path, hologram);
  }

  /**
   * A picture, scaled to cover the frame; an animated one (GIF, APNG, animated WebP) plays in real time. Its
   * transparent pixels show the real scene.
   */
  record Image(Path path, boolean hologram) implements Effect {
    public Image {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String kind() {
      return "image";
    }

    @Override
    public Map<String, String> parameters() {
      return params(this, "path", path.toString());
    }

    @Override
    public Background open() throws IOException {
      return FileTypes.isAnimatedImage(path) ? new AnimatedBackground(path) : new ImageBackground(path);
    }

    @Override
    public String toString() {
      return describe(this, path.toString());
    }
  }

  /** A video, looped, playing in real time behind any input. */
  record Video(Path path, boolean hologram) implements Effect {
    public Video {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String kind() {
      return "video";
    }

    @Override
    public Map<String, String> parameters() {
      return params(this, "path", path.toString());
    }

    @Override
    public Background open() throws IOException {
      return new VideoBackground(path);
    }

    @Override
    public String toString() {
      return describe(this, path.toString());
    }
  }

  /** The real background, blurred; the radius in output pixels, 1 to 200. */
  record Blur(int radius, boolean hologram) implements Effect {
    public static final int MIN_RADIUS = 1;
    public static final int MAX_RADIUS = 200;

    public Blur {
      if (radius < MIN_RADIUS || radius > MAX_RADIUS) {
        throw new BadValue("blur radius", radius, "out of range " + MIN_RADIUS + "-" + MAX_RADIUS);
      }
    }

    @Override
    public String kind() {
      return "blur";
    }

    @Override
    public Map<String, String> parameters() {
      return params(this, "radius", Integer.toString(radius));
    }

    @Override
    public Background open() {
      return new BlurBackground(radius);
    }

    @Override
    public String toString() {
      return describe(this, Integer.toString(radius));
    }
  }

  /** A solid colour, 0xRRGGBB. */
  record Color(int rgb, boolean hologram) implements Effect {
    private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");

    public Color {
      if (rgb < 0 || rgb > 0xffffff) {
        throw new BadValue("colour", String.format(Locale.ROOT, "0x%x", rgb), "not a 24-bit RGB value");
      }
    }

    /** {@code #rrggbb}; the {@code #} may be left out (a shell takes an unquoted word starting with # as a comment). */
    public static int parse(String text) {
      if (text == null || !HEX.matcher(text.trim()).matches()) {
        throw new BadValue("colour", text, "expected #rrggbb");
      }
      return Integer.parseInt(text.trim().replace("#", ""), 16);
    }

    /** As {@code #rrggbb}. */
    public String hex() {
      return String.format(Locale.ROOT, "#%06x", rgb);
    }

    @Override
    public String kind() {
      return "color";
    }

    @Override
    public Map<String, String> parameters() {
      return params(this, "color", hex());
    }

    @Override
    public Background open() {
      return new ColorBackground(rgb);
    }

    @Override
    public String toString() {
      return describe(this, hex());
    }
  }

  /** No effect: the camera passes through untouched, and no model runs. */
  record None() implements Effect {
    @Override
    public String kind() {
      return "none";
    }

    @Override
    public boolean hologram() {
      return false;
    }

    @Override
    public Map<String, String> parameters() {
      return Map.of();
    }

    @Override
    public Background open() {
      throw new IllegalStateException("effect none has no background: the frames pass through");
    }

    @Override
    public String toString() {
      return kind();
    }
  }

  private static Map<String, String> params(Effect effect, String key, String value) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(key, value);
    p.put(Effects.HOLOGRAM, Boolean.toString(effect.hologram()));
    return java.util.Collections.unmodifiableMap(p);
  }

  /** For logs and the Background property: "blur 20", "image /x.png + hologram". */
  private static String describe(Effect effect, String value) {
    // Paths come from callers: a control character in one must not start a new log line.
    return effect.kind() + " " + value.replaceAll("\\p{Cntrl}", "?") + (effect.hologram() ? " + hologram" : "");
  }
}
