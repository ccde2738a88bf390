package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Step;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A stand-in for a model: the "person" is a fixed ellipse in the lower middle of the frame, where a webcam user's
 * head and shoulders are. For system tests under CPU emulation, where loading TensorFlow alone takes minutes and the
 * subject is the camera and loopback plumbing, not segmentation; the service uses it when
 * {@code VBACKCAM_FAKE_SEGMENTER} is set.
 */
public final class EllipseSegmenter implements Segmenter {

  /** The probability map's size; the stage scales it to the frame like a model's output. */
  private static final int WIDTH = 64;
  private static final int HEIGHT = 36;
  private final Mat probability = new Mat(HEIGHT, WIDTH, CV_8UC1);

  public EllipseSegmenter() {
    try (Scalar zero = new Scalar(0); Scalar full = new Scalar(255); Point centre = new Point(WIDTH / 2, HEIGHT);
         Size axes = new Size(WIDTH / 5, HEIGHT * 3 / 4)) {
      probability.put(zero);
      ellipse(probability, centre, axes, 0, 0, 360, full, -1, LINE_8, 0);
    }
  }

  @Override
  public Mat segment(Frame frame) {
    frame.addStepNanos(Step.INFERENCE, 0);
    return probability;
  }

  @Override
  public String describe() {
    return "fake (an ellipse, no model)";
  }

  @Override
  public void close() {
    probability.close();
  }
}
