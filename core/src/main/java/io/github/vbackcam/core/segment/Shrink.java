package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Shrinks a frame to a model's input size without aliasing: exact halvings while the image is at least twice the
 * target (a bilinear resize to exactly half the size reads each 2x2 block once and averages it, OpenCV's fastest
 * resize), then one bilinear step to the target. Against {@code pyrDown}'s 5x5 Gaussian at each halving this saved
 * about 0.9 ms per 720p frame (1280x720 to 256x256) with the same segmentation quality. The intermediate images are
 * kept between frames. Not thread-safe: one per segmenter, used under its lock.
 */
final class Shrink implements AutoCloseable {
  private final Mat[] halves = {new Mat(), new Mat(), new Mat(), new Mat(), new Mat(), new Mat()};

  /** Writes {@code src} resized to {@code width} x {@code height} into {@code dst}. */
  void apply(Mat src, Mat dst, int width, int height) {
    Mat current = src;
    for (int i = 0; i < halves.length && current.cols() >= 2 * width && current.rows() >= 2 * height; i++) {
      // An odd last row or column is dropped, so that the scale is exactly one half.
      int w = current.cols() / 2;
      int h = current.rows() / 2;
      try (Rect even = new Rect(0, 0, 2 * w, 2 * h); Mat region = new Mat(current, even); Size size = new Size(w, h)) {
        resize(region, halves[i], size, 0, 0, INTER_LINEAR);
      }
      current = halves[i];
    }
    try (Size size = new Size(width, height)) {
      resize(current, dst, size, 0, 0, INTER_LINEAR);
    }
  }

  @Override
  public void close() {
    for (Mat m : halves) {
      m.close();
    }
  }
}
