package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** A solid colour. */
public final class ColorBackground implements Background {

  private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");
  private final int rgb;
  private final Scalar bgr;
  private final Mat filled = new Mat();

  public ColorBackground(int rgb) {
    this.rgb = rgb & 0xffffff;
    this.bgr = new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff, 0);
  }

  /** Parses {@code #rrggbb}; the message quotes a bad value. */
  public static ColorBackground parse(String text) {
    if (text == null || !HEX.matcher(text.trim()).matches()) {
      throw new IllegalArgumentException("colour '" + text + "' is not of the form #rrggbb");
    }
    String hex = text.trim().startsWith("#") ? text.trim().substring(1) : text.trim();
    return new ColorBackground(Integer.parseInt(hex, 16));
  }

  @Override
  public Mat render(Frame frame) {
    if (filled.cols() != frame.width() || filled.rows() != frame.height()) {
      filled.create(frame.height(), frame.width(), frame.image().type());
      filled.put(bgr);
    }
    return filled;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "color #%06x", rgb);
  }

  @Override
  public void close() {
    bgr.close();
    filled.close();
  }
}
