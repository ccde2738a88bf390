package io.github.vbackcam.core.internal;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
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

  /**
   * A new frame of {@code size} holding {@code src} scaled to cover it, presented at {@code ptsMicros}: what every
   * source hands on.
   */
  public static Frame coverFrame(Mat src, VideoSize size, long sequence, long ptsMicros) {
    Frame frame = Frame.allocate(size.width(), size.height(), sequence, System.nanoTime(), ptsMicros);
    try {
      cover(src, frame.image());
    } catch (RuntimeException e) {
      frame.close(); // a source whose picture cannot be taken (null, empty) must not leak the frame made for it
      throw e;
    }
    return frame;
  }

  /**
   * Turns {@code src} clockwise by {@code degrees} (0, 90, 180 or 270) into {@code dst}; returns {@code src} itself
   * for 0, else {@code dst}.
   */
  public static Mat rotate(Mat src, Mat dst, int degrees) {
    return orient(src, dst, degrees, false);
  }

  /**
   * Turns {@code src} clockwise by {@code degrees} (0, 90, 180 or 270) and then, when {@code mirrored}, flips it
   * left to right, into {@code dst}; returns {@code src} itself when there is nothing to do, else {@code dst}. These
   * eight cover every display matrix made of quarter turns and flips: a vertical flip is a half turn mirrored, a
   * transpose a clockwise quarter turn mirrored.
   */
  public static Mat orient(Mat src, Mat dst, int degrees, boolean mirrored) {
    Mat turned = switch (degrees) {
      case 0 -> src;
      case 90 -> rotated(src, dst, ROTATE_90_CLOCKWISE);
      case 180 -> rotated(src, dst, ROTATE_180);
      case 270 -> rotated(src, dst, ROTATE_90_COUNTERCLOCKWISE);
      default -> throw new IllegalArgumentException("rotation must be a multiple of 90 degrees, got " + degrees);
    };
    if (!mirrored) {
      return turned;
    }
    opencv_core.flip(turned, dst, 1); // in place when already turned into dst: OpenCV flips rows pairwise
    return dst;
  }

  private static Mat rotated(Mat src, Mat dst, int code) {
    opencv_core.rotate(src, dst, code);
    return dst;
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

  /**
   * An image as 8-bit BGR and, when the file has transparency, its 8-bit alpha (255 = opaque); the caller closes
   * both.
   */
  public record Picture(Mat bgr, Mat alpha) implements AutoCloseable {
    @Override
    public void close() {
      bgr.close();
      if (alpha != null) {
        alpha.close();
      }
    }
  }

  /**
   * Reads an image as 8-bit BGR, with any transparency composited over black (so an input's hidden colours under
   * transparent pixels never reach the model); a missing, unreadable or corrupt file gets an IOException that says
   * which.
   */
  public static Mat readImage(Path path) throws IOException {
    Picture picture = readPicture(path);
    if (picture.alpha() == null) {
      return picture.bgr();
    }
    try (Mat alpha3 = new Mat(); Mat alpha = picture.alpha()) {
      cvtColor(alpha, alpha3, COLOR_GRAY2BGR);
      multiply(picture.bgr(), alpha3, picture.bgr(), 1 / 255.0, -1);
    }
    return picture.bgr();
  }

  /**
   * Reads an image as 8-bit BGR plus its alpha when it has one (RGBA, grey+alpha, a palette, RGB or grey colour key,
   * WebP alpha); an opaque image has a null alpha. The file is checked before it is decoded ({@link FileChecks#image}:
   * a regular file in a known format, at most {@link FileChecks#MAX_IMAGE_PIXELS} by its header) and read through
   * the descriptor checked ({@link OpenedFile}). EXIF orientation is applied to colour and alpha alike: OpenCV
   * applies it only when it drops the alpha channel, so for a transparent image it is applied here.
   */
  public static Picture readPicture(Path path) throws IOException {
    try (OpenedFile file = OpenedFile.open(path, Long.MAX_VALUE)) {
      FileChecks.image(file);
      String opened = file.path().toString();
      Mat raw = decoded(path, imread(opened, IMREAD_UNCHANGED));
      int channels = raw.channels();
      // OpenCV turns a grey image's colour key into nothing (a palette's or RGB one's into alpha): done here.
      OptionalInt key = channels == 1 ? GreyColourKey.of(file.path()) : OptionalInt.empty();
      if (channels != 2 && channels != 4 && key.isEmpty()) {
        raw.close();
        return new Picture(decoded(path, imread(opened, IMREAD_COLOR)), null);
      }
      try (raw) {
        Picture picture = key.isPresent() ? keyed(raw, key.getAsInt()) : split(raw);
        int orientation = ExifOrientation.read(file.path());
        ExifOrientation.apply(orientation, picture.bgr());
        ExifOrientation.apply(orientation, picture.alpha());
        return picture;
      }
    }
  }

  /** A grey image whose one grey {@code key} (as decoded: 8 or 16 bits) is transparent, every other opaque. */
  private static Picture keyed(Mat grey, int key) {
    Mat alpha = new Mat();
    try (Mat keyValue = new Mat(1, 1, grey.type(), new Scalar(key))) {
      opencv_core.compare(grey, keyValue, alpha, opencv_core.CMP_NE);
    }
    return new Picture(split(grey).bgr(), alpha); // split gives no alpha for one channel
  }

  /**
   * A decoded image of any depth and channel count (grey, grey+alpha, BGR, BGRA; 8 or 16 bits) as 8-bit BGR plus
   * its alpha, or a null alpha when it has none; {@code raw} is left as it was.
   */
  public static Picture split(Mat raw) {
    int channels = raw.channels();
    double scale = raw.depth() == opencv_core.CV_16U ? 1 / 257.0 : 1;
    Mat bgr = new Mat();
    try (MatVector planes = new MatVector(); Mat colour = new Mat()) {
      switch (channels) {
        case 1 -> cvtColor(raw, colour, COLOR_GRAY2BGR);
        case 3 -> raw.copyTo(colour);
        case 2, 4 -> {
          opencv_core.split(raw, planes);
          if (channels == 2) {
            cvtColor(planes.get(0), colour, COLOR_GRAY2BGR);
          } else {
            cvtColor(raw, colour, COLOR_BGRA2BGR);
          }
        }
        default -> throw new IllegalArgumentException("an image with " + channels + " channels");
      }
      colour.convertTo(bgr, opencv_core.CV_8U, scale, 0);
      if (channels != 2 && channels != 4) {
        return new Picture(bgr, null);
      }
      Mat alpha = new Mat();
      planes.get(channels - 1).convertTo(alpha, opencv_core.CV_8U, scale, 0);
      return new Picture(bgr, alpha);
    }
  }

  private static Mat decoded(Path path, Mat image) throws IOException {
    if (image == null || image.empty()) {
      if (image != null) {
        image.close();
      }
      throw new IOException("cannot decode image " + path + ": not a supported image, or the file is corrupt");
    }
    return image;
  }
}
