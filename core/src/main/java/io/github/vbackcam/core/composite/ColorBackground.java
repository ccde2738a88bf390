package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** A solid colour. */
public final class ColorBackground implements Background {

  private final int rgb;
  private final Scalar bgr;
  private final Mat filled = new Mat();

  /** @param rgb 0xRRGGBB, as {@link Effect.Color} checked it */
  ColorBackground(int rgb) {
    this.rgb = rgb & 0xffffff;
    this.bgr = new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff, 0);
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
