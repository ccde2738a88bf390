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
 *
 * <p>Smoothing follows media time, not the frame count: {@link MaskSettings#smoothing()} is the previous mask's weight
 * one {@link #REFERENCE_INTERVAL_MICROS} after it, and a mask {@code dt} later keeps {@code smoothing^(dt / 33.3 ms)}
 * of it, so a 15 fps camera, a dropped frame or a variable-rate file is smoothed over the same time as 30 fps video.
 */
public final class MaskRefiner implements AutoCloseable {

  private final MaskSettings settings;
  private final Mat ramp = new Mat(1, 256, opencv_core.CV_8UC1);
  /** The frame interval the smoothing weight is given for: 30 fps. */
  static final double REFERENCE_INTERVAL_MICROS = 1_000_000 / 30.0;

  private Mat previous;
  private long previousPtsMicros;

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
   * @param ptsMicros the frame's presentation time in microseconds; a time that does not move forward (a new
   *     stream, a loop) is taken as one reference interval
   */
  public void refine(Mat mask, double scale, long ptsMicros) {
    if (settings.smoothing() > 0) {
      if (previous != null && previous.rows() == mask.rows() && previous.cols() == mask.cols()) {
        double dt = ptsMicros > previousPtsMicros ? ptsMicros - previousPtsMicros : REFERENCE_INTERVAL_MICROS;
        double weight = Math.pow(settings.smoothing(), dt / REFERENCE_INTERVAL_MICROS);
        addWeighted(mask, 1 - weight, previous, weight, 0, mask);
      }
      if (previous == null || previous.rows() != mask.rows() || previous.cols() != mask.cols()) {
        closePrevious();
        previous = new Mat();
      }
      mask.copyTo(previous);
      previousPtsMicros = ptsMicros;
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
