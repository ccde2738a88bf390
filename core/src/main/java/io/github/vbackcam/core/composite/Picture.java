package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.Images;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One picture of a background, scaled to cover the frame once per frame size. Where it is transparent the real
 * scene shows through (an overlay frame, a logo strip): the picture is laid over the frame's own image before the
 * person is put in front.
 */
final class Picture implements AutoCloseable {

  private final Mat bgr;
  private final Mat alpha;
  private final Mat scaled = new Mat();
  private final Mat scaledAlpha = new Mat();
  private final Mat out = new Mat();
  private final Blend blend;

  /** Takes ownership of {@code picture}; an alpha that is opaque everywhere is dropped. */
  Picture(Images.Picture picture) {
    this.bgr = picture.bgr();
    this.alpha = opaque(picture.alpha()) ? null : picture.alpha();
    if (alpha == null && picture.alpha() != null) {
      picture.alpha().close();
    }
    this.blend = alpha != null ? new Blend() : null;
  }

  private static boolean opaque(Mat alpha) {
    if (alpha == null) {
      return true;
    }
    double[] min = new double[1];
    double[] max = new double[1];
    minMaxLoc(alpha, min, max, null, null, null);
    return min[0] >= 255;
  }

  /** This picture for {@code frame}: BGR, frame size, valid until the next call. Reads the frame, never changes it. */
  Mat render(Frame frame) {
    if (scaled.cols() != frame.width() || scaled.rows() != frame.height()) {
      scaled.create(frame.height(), frame.width(), frame.image().type());
      Images.cover(bgr, scaled);
      if (alpha != null) {
        scaledAlpha.create(frame.height(), frame.width(), alpha.type());
        Images.cover(alpha, scaledAlpha);
      }
    }
    if (alpha == null) {
      return scaled;
    }
    scaled.copyTo(out);
    blend.over(out, frame.image(), scaledAlpha);
    return out;
  }

  /** Frees the scaled copy (an animation keeps one for the frame on show only); the next render scales again. */
  void forgetScaled() {
    scaled.release();
    scaledAlpha.release();
    out.release();
  }

  @Override
  public void close() {
    bgr.close();
    if (alpha != null) {
      alpha.close();
    }
    scaled.close();
    scaledAlpha.close();
    out.close();
  }
}
