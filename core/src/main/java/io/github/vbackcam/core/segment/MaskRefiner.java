package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.javacpp.indexer.UByteIndexer;

/**
 * Turns a person probability into a compositing alpha, in place: temporal smoothing (against flicker), then the
 * threshold ramp, then edge feathering. All on 8-bit masks, which is where the pixel work is cheap.
 */
public final class MaskRefiner implements AutoCloseable {

  private final MaskSettings settings;
  private final Mat ramp = new Mat(1, 256, opencv_core.CV_8UC1);
  private Mat previous;

  public MaskRefiner(MaskSettings settings) {
    this.settings = settings;
    try (UByteIndexer lut = ramp.createIndexer()) {
      for (int i = 0; i < 256; i++) {
        lut.put(0, i, rampValue(i / 255.0));
      }
    }
  }

  public MaskSettings settings() {
    return settings;
  }

  /**
   * Refines {@code mask} (CV_8UC1 probability) into alpha, in place.
   *
   * @param scale the mask's width over the output frame's, so feathering is measured in output pixels
   */
  public void refine(Mat mask, double scale) {
    if (settings.smoothing() > 0) {
      if (previous != null && previous.rows() == mask.rows() && previous.cols() == mask.cols()) {
        addWeighted(mask, 1 - settings.smoothing(), previous, settings.smoothing(), 0, mask);
      }
      if (previous == null || previous.rows() != mask.rows() || previous.cols() != mask.cols()) {
        closePrevious();
        previous = new Mat();
      }
      mask.copyTo(previous);
    }
    LUT(mask, ramp, mask);
    double sigma = settings.featherPx() * scale;
    if (sigma >= 0.3) {
      int k = 2 * (int) Math.ceil(2.5 * sigma) + 1;
      try (Size kernel = new Size(k, k)) {
        GaussianBlur(mask, mask, kernel, sigma);
      }
    }
  }

  /** Forgets the previous frame: the next frame is not blended with an unrelated one. */
  public void reset() {
    closePrevious();
  }

  @Override
  public void close() {
    closePrevious();
    ramp.close();
  }

  private int rampValue(double p) {
    double t = settings.threshold();
    double s = settings.softness();
    double alpha;
    if (s == 0) {
      alpha = p >= t ? 1 : 0;
    } else {
      alpha = Math.min(1, Math.max(0, (p - (t - s)) / (2 * s)));
    }
    return (int) Math.round(alpha * 255);
  }

  private void closePrevious() {
    if (previous != null) {
      previous.close();
      previous = null;
    }
  }
}
