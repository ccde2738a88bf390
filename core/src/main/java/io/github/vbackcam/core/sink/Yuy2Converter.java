package io.github.vbackcam.core.sink;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUYV422;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC2;

import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * BGR pictures to packed YUYV 4:2:2 ({@code V4L2_PIX_FMT_YUYV}, {@code SPA_VIDEO_FORMAT_YUY2}), what the loopback
 * device and the PipeWire node carry: BT.601, limited range, as OpenCV's {@code COLOR_BGR2YUV_YUY2}. That conversion
 * has no vectorised path in OpenCV (2.8 ms for a 720p picture here); this one takes two that have: OpenCV's BGR to
 * planar 4:2:0 ({@code COLOR_BGR2YUV_I420}: luma the same within one code), then swscale's packing of those planes,
 * each chroma row used for the two picture rows it covers (0.86 ms together, measured the same way). The chroma is
 * therefore that of 4:2:0, and OpenCV takes it from the first pixel of each 2x2 block rather than averaging the four.
 * The apps reading these cameras reduce the chroma to 4:2:0 anyway (browsers and GStreamer's encoders work in I420 or
 * NV12), and a camera's pictures reach us with their chroma already 4:2:0 or 4:2:2 (MJPEG, H.264): what the first
 * pixel loses is fine colour detail of the backgrounds, at most. A picture of odd height, which 4:2:0 cannot hold,
 * takes OpenCV's direct conversion. swscale packs whole blocks of 16 pixels, so for other widths it wrote up to 28
 * bytes past the picture (measured: 854 pixels wide, 20 bytes); there it packs into a padded buffer of its own,
 * copied out. Not thread-safe: one per sink.
 */
final class Yuy2Converter implements AutoCloseable {

  /** Widths swscale packs without writing past the row: a multiple of its block, with a margin (32, not 16). */
  private static final int EXACT_WIDTHS = 32;
  /** Room after a padded picture for swscale's last block. */
  private static final int PADDING = 64;

  private final Mat i420 = new Mat();
  // swscale reads four planes and steps, whatever the format.
  private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
  private final IntPointer planeSteps = new IntPointer(4);
  private final PointerPointer<BytePointer> packed = new PointerPointer<>(4);
  private final IntPointer packedStep = new IntPointer(4);
  private SwsContext context;
  /** For widths that are not a multiple of {@link #EXACT_WIDTHS}: the packed picture and its padding. */
  private BytePointer padded = new BytePointer();

  /**
   * Writes {@code bgr} (CV_8UC3, even width) as YUYV into {@code out}: {@code rows × cols × 2} bytes, rows
   * {@code 2 × cols} bytes apart, and nothing past them.
   */
  void convert(Mat bgr, BytePointer out) {
    int rows = bgr.rows();
    int cols = bgr.cols();
    if (rows % 2 != 0) {
      try (Mat yuy2 = new Mat(rows, cols, CV_8UC2, out, 2L * cols)) {
        opencv_imgproc.cvtColor(bgr, yuy2, opencv_imgproc.COLOR_BGR2YUV_YUY2);
      }
      return;
    }
    opencv_imgproc.cvtColor(bgr, i420, opencv_imgproc.COLOR_BGR2YUV_I420);
    context = sws_getCachedContext(context, cols, rows, AV_PIX_FMT_YUV420P, cols, rows, AV_PIX_FMT_YUYV422,
        SWS_POINT, null, null, (DoublePointer) null);
    if (context == null) {
      throw new IllegalStateException("swscale cannot pack " + cols + "x" + rows + " YUV 4:2:0 as YUYV");
    }
    // I420 in one matrix: the luma plane, then U and V at half size, each cols / 2 bytes a row.
    BytePointer y = i420.data();
    long lumaBytes = (long) rows * cols;
    planes.put(0, y).put(1, y.getPointer(lumaBytes)).put(2, y.getPointer(lumaBytes + lumaBytes / 4));
    planeSteps.put(0, cols).put(1, cols / 2).put(2, cols / 2);
    long bytes = 2L * rows * cols;
    boolean exact = cols % EXACT_WIDTHS == 0;
    if (!exact && padded.capacity() < bytes + PADDING) {
      padded.close();
      padded = new BytePointer(bytes + PADDING);
    }
    packed.put(0, exact ? out : padded);
    packedStep.put(0, 2 * cols);
    sws_scale(context, planes, planeSteps, 0, rows, packed, packedStep);
    if (!exact) {
      Pointer.memcpy(out, padded, bytes);
    }
  }

  @Override
  public void close() {
    sws_freeContext(context);
    context = null;
    i420.close();
    planes.close();
    planeSteps.close();
    packed.close();
    packedStep.close();
    padded.close();
  }
}
