package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.exp;

import org.bytedeco.opencv.opencv_core.Mat;

/** Element-wise activations on float matrices, in OpenCV (vectorised) rather than a Java loop. */
final class Activations {
  private Activations() {}

  /** out = 1 / (1 + e^-x); out may be x. */
  static void sigmoid(Mat x, Mat out) {
    x.convertTo(out, -1, -1, 0);
    exp(out, out);
    out.convertTo(out, -1, 1, 1);
    divide(1.0, out, out);
  }
}
