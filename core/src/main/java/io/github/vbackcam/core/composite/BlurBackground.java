package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.github.vbackcam.core.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The real background, blurred, computed from background pixels only so the person leaves no halo.
 *
 * <p>This is normalised convolution: blur(image × w) / blur(w) with w = 1 − alpha. A person pixel has weight 0,
 * so it adds nothing to the blurred background around it. The weighting happens at full resolution; the blur
 * itself runs on a downscaled copy (a wide blur loses nothing there) and is scaled back up.
 */
public final class BlurBackground implements Background {

  /** Weight left on person pixels so that areas with no background at all still get a (blurred) value. */
  private static final double FLOOR = 1e-3;

  private final int radius;
  private final Mat weight = new Mat();
  private final Mat weight3 = new Mat();
  private final Mat weighted = new Mat();
  private final Mat smallWeighted = new Mat();
  private final Mat smallWeight = new Mat();
  private final Mat num = new Mat();
  private final Mat den = new Mat();
  private final Mat den3 = new Mat();
  private final Mat result = new Mat();
  private final Mat result8 = new Mat();
  private final Mat out = new Mat();

  /** @param radius blur radius in output pixels, as {@link Effect.Blur} checked it */
  BlurBackground(int radius) {
    this.radius = radius;
  }

  public int radius() {
    return radius;
  }

  @Override
  public Mat render(Frame frame) {
    Mat image = frame.image();
    Mat alpha = frame.mask();
    int factor = Math.max(1, Math.min(8, radius / 3));
    int r = Math.max(1, Math.round((float) radius / factor));
    try (Size small = new Size(Math.max(1, image.cols() / factor), Math.max(1, image.rows() / factor));
         Size kernel = new Size(2 * r + 1, 2 * r + 1);
         Size full = new Size(frame.width(), frame.height())) {
      // w = 1 - alpha at full resolution, 8-bit: 255 means all background.
      alpha.convertTo(weight, CV_8U, -1, 255);
      cvtColor(weight, weight3, COLOR_GRAY2BGR);
      multiply(image, weight3, weighted, 1 / 255.0, CV_8UC3);
      resize(weighted, smallWeighted, small, 0, 0, INTER_AREA);
      resize(weight, smallWeight, small, 0, 0, INTER_AREA);
      smallWeighted.convertTo(num, CV_32FC3, 1 / 255.0, 0);
      smallWeight.convertTo(den, CV_32F, 1 / 255.0, FLOOR);
      GaussianBlur(num, num, kernel, 0);
      GaussianBlur(den, den, kernel, 0);
      cvtColor(den, den3, COLOR_GRAY2BGR);
      divide(num, den3, result, 255.0, CV_32FC3);
      result.convertTo(result8, CV_8UC3);
      resize(result8, out, full, 0, 0, INTER_LINEAR);
    }
    return out;
  }

  @Override
  public String describe() {
    return "blur " + radius;
  }

  @Override
  public void close() {
    Mat[] buffers = {weight, weight3, weighted, smallWeighted, smallWeight, num, den, den3, result, result8, out};
    for (Mat m : buffers) {
      m.close();
    }
  }
}
