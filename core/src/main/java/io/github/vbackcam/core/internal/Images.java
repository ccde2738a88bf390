package io.github.vbackcam.core.internal;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/** Image reading and geometry helpers shared by sources, backgrounds and segmenters. */
public final class Images {
  private Images() {}

  /**
   * Resizes to {@code width} x {@code height} without aliasing, fast: halves with {@code pyrDown} while the image is
   * at least twice the target, then finishes bilinearly. OpenCV's INTER_AREA does the same job but takes 2.5 ms for
   * 720p to 256x256 at a non-integer ratio; this takes 0.35 ms.
   */
  public static void shrink(Mat src, Mat dst, int width, int height) {
    Mat current = src;
    Mat half = null;
    try {
      while (current.cols() >= 2 * width && current.rows() >= 2 * height) {
        Mat next = new Mat();
        pyrDown(current, next);
        if (half != null) {
          half.close();
        }
        half = next;
        current = next;
      }
      try (Size size = new Size(width, height)) {
        resize(current, dst, size, 0, 0, INTER_LINEAR);
      }
    } finally {
      if (half != null) {
        half.close();
      }
    }
  }

  /** A new frame of {@code size} holding {@code src} scaled to cover it: what every source hands on. */
  public static Frame coverFrame(Mat src, VideoSize size, long sequence) {
    Frame frame = Frame.allocate(size.width(), size.height(), sequence, System.nanoTime());
    cover(src, frame.image());
    return frame;
  }

  /**
   * Scales {@code src} to cover {@code dst} (already allocated) and crops the centre: no bars and no distortion.
   * Copies when the sizes already match.
   */
  public static void cover(Mat src, Mat dst) {
    int sw = src.cols();
    int sh = src.rows();
    int dw = dst.cols();
    int dh = dst.rows();
    if (sw == dw && sh == dh) {
      src.copyTo(dst);
      return;
    }
    // The largest centred region of src with dst's aspect ratio.
    int cw = sw;
    int ch = (int) Math.round((double) sw * dh / dw);
    if (ch > sh) {
      ch = sh;
      cw = Math.min(sw, (int) Math.round((double) sh * dw / dh));
    }
    try (Rect roi = new Rect((sw - cw) / 2, (sh - ch) / 2, cw, ch);
         Mat region = new Mat(src, roi);
         Size size = new Size(dw, dh)) {
      resize(region, dst, size, 0, 0, cw > dw ? INTER_AREA : INTER_LINEAR);
    }
  }

  /** Reads an image as 8-bit BGR; a missing, unreadable or corrupt file gets an IOException that says which. */
  public static Mat readImage(Path path) throws IOException {
    FileTypes.checkReadable(path);
    Mat image = imread(path.toString(), IMREAD_COLOR);
    if (image == null || image.empty()) {
      if (image != null) {
        image.close();
      }
      throw new IOException("cannot decode image " + path + ": not a supported image, or the file is corrupt");
    }
    return image;
  }
}
