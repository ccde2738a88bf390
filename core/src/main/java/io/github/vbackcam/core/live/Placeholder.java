package io.github.vbackcam.core.live;

import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** The frame written while no camera frames flow: dark grey with one line of text, so the device stays visible. */
final class Placeholder {
  private Placeholder() {}

  /** A new frame (owned by the caller) showing {@code text}. */
  static Frame draw(VideoSize size, String text) {
    Frame frame = Frame.allocate(size.width(), size.height(), Frame.PLACEHOLDER, System.nanoTime());
    try (Scalar grey = new Scalar(40, 40, 40, 0);
         Scalar white = new Scalar(220, 220, 220, 0)) {
      frame.image().put(grey);
      double scale = size.width() / 900.0;
      int thickness = Math.max(1, (int) Math.round(scale * 2));
      int[] baseline = new int[1];
      try (Size textSize = getTextSize(text, FONT_HERSHEY_SIMPLEX, scale, thickness, baseline);
           Point origin = new Point((size.width() - textSize.width()) / 2,
               (size.height() + textSize.height()) / 2)) {
        putText(frame.image(), text, origin, FONT_HERSHEY_SIMPLEX, scale, white, thickness, LINE_AA, false);
      }
    }
    return frame;
  }
}
