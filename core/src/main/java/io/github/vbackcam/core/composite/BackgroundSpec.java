package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.source.Sources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What the background should be, as a value: a user's choice that can be stored, compared and shown before any
 * native resource is opened. {@link #open()} makes the {@link Background}.
 */
public record BackgroundSpec(Mode mode, Path path, int blurRadius, int rgb) {

  /** The kinds of background; {@code NONE} passes the camera through untouched. */
  public enum Mode {
    IMAGE, VIDEO, BLUR, COLOR, NONE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a mode name; the message lists the valid ones. */
    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.label().equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown mode '" + text + "': expected image, video, blur, color or none");
    }
  }

  public BackgroundSpec {
    Objects.requireNonNull(mode, "mode");
  }

  public static BackgroundSpec image(Path path) {
    return new BackgroundSpec(Mode.IMAGE, path, 0, 0);
  }

  public static BackgroundSpec video(Path path) {
    return new BackgroundSpec(Mode.VIDEO, path, 0, 0);
  }

  /** An image or a video, by the file's extension. */
  public static BackgroundSpec file(Path path) {
    return Sources.isImage(path) ? image(path) : video(path);
  }

  public static BackgroundSpec blur(int radius) {
    new BlurBackground(radius).close(); // validates the radius with the same message as at run time
    return new BackgroundSpec(Mode.BLUR, null, radius, 0);
  }

  public static BackgroundSpec color(String hex) {
    ColorBackground parsed = ColorBackground.parse(hex);
    parsed.close();
    return new BackgroundSpec(Mode.COLOR, null, 0, Integer.parseInt(hex.trim().replace("#", ""), 16));
  }

  public static BackgroundSpec none() {
    return new BackgroundSpec(Mode.NONE, null, 0, 0);
  }

  /** Opens the background; reads the file now, so a bad one fails here. Not for {@code NONE}. */
  public Background open() throws IOException {
    return switch (mode) {
      case IMAGE -> new ImageBackground(path);
      case VIDEO -> new VideoBackground(path);
      case BLUR -> new BlurBackground(blurRadius);
      case COLOR -> new ColorBackground(rgb);
      case NONE -> throw new IllegalStateException("mode none has no background: the frames pass through");
    };
  }

  @Override
  public String toString() {
    return switch (mode) {
      case IMAGE, VIDEO -> mode.label() + " " + path;
      case BLUR -> "blur " + blurRadius;
      case COLOR -> String.format(Locale.ROOT, "color #%06x", rgb);
      case NONE -> "none";
    };
  }
}
