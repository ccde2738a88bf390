package io.github.vbackcam.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A frame size. Output widths are always even: Chrome rejects cameras with odd widths. */
public record VideoSize(int width, int height) {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

  public VideoSize {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
  }

  /** Parses {@code WxH} as given by a user; the message says what is wrong. */
  public static VideoSize parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("size '" + text + "' is not WIDTHxHEIGHT, e.g. 1280x720");
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    if (w < 16 || h < 16 || w > 7680 || h > 4320) {
      throw new IllegalArgumentException("size '" + text + "' is out of range 16x16 to 7680x4320");
    }
    if (w % 2 != 0) {
      throw new IllegalArgumentException("size '" + text + "' has an odd width; video apps need an even width");
    }
    return new VideoSize(w, h);
  }

  /** This size with the width rounded down to even (an odd-width input keeps its size otherwise). */
  public VideoSize evenWidth() {
    return width % 2 == 0 ? this : new VideoSize(Math.max(2, width - 1), height);
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
