package io.github.vbackcam.core.sink;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUYV422;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC2;

import io.github.vbackcam.core.internal.FFmpegLog;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
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
 * takes OpenCV's direct conversion. swscale reads and writes whole blocks of pixels (16 on this machine: it wrote up
 * to 28 bytes past a picture 854 pixels wide), so both of its buffers here are the converter's own, with room after
 * the picture, and the caller copies the picture out; that copy costs 0.1 ms at 720p. Not thread-safe: one per sink.
 */
final class Yuy2Converter implements AutoCloseable {

  static {
    FFmpegLog.quiet();
  }

  /** Room after each of swscale's buffers for a block wider than any it uses (64 pixels of YUYV). */
  private static final int PADDING = 128;

  // swscale reads four planes and steps, whatever the format.
  private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
  private final IntPointer planeSteps = new IntPointer(4);
  private final PointerPointer<BytePointer> packed = new PointerPointer<>(4);
  private final IntPointer packedStep = new IntPointer(4);
  private SwsContext context;
  /** The I420 planes (a matrix over {@link #i420Bytes}) and the packed picture, each with padding after it. */
  private BytePointer i420Bytes = new BytePointer();
  private Mat i420 = new Mat();
  private BytePointer yuyv = new BytePointer();

  /**
   * Converts {@code bgr} (CV_8UC3, even width) to YUYV: {@code rows × cols × 2} bytes, rows {@code 2 × cols} bytes
   * apart, from position 0 of the returned buffer. The buffer is the converter's: valid until the next conversion.
   */
  BytePointer convert(Mat bgr) {
    int rows = bgr.rows();
    int cols = bgr.cols();
    long bytes = 2L * rows * cols;
    if (yuyv.capacity() < bytes + PADDING) {
      yuyv.close();
      yuyv = new BytePointer(bytes + PADDING);
    }
    if (rows % 2 != 0) {
      try (Mat yuy2 = new Mat(rows, cols, CV_8UC2, yuyv, 2L * cols)) {
        opencv_imgproc.cvtColor(bgr, yuy2, opencv_imgproc.COLOR_BGR2YUV_YUY2);
      }
      return yuyv.position(0);
    }
    long lumaBytes = (long) rows * cols;
    if (i420.rows() != rows * 3 / 2 || i420.cols() != cols) {
      i420.close();
      i420Bytes.close();
      i420Bytes = new BytePointer(lumaBytes * 3 / 2 + PADDING);
      i420 = new Mat(rows * 3 / 2, cols, CV_8UC1, i420Bytes);
    }
    opencv_imgproc.cvtColor(bgr, i420, opencv_imgproc.COLOR_BGR2YUV_I420); // into i420Bytes: the size matches
    context = sws_getCachedContext(context, cols, rows, AV_PIX_FMT_YUV420P, cols, rows, AV_PIX_FMT_YUYV422,
        SWS_POINT, null, null, (DoublePointer) null);
    if (context == null) {
      throw new IllegalStateException("swscale cannot pack " + cols + "x" + rows + " YUV 4:2:0 as YUYV");
    }
    // I420: the luma plane, then U and V at half size, each cols / 2 bytes a row.
    i420Bytes.position(0);
    planes.put(0, i420Bytes).put(1, i420Bytes.getPointer(lumaBytes))
        .put(2, i420Bytes.getPointer(lumaBytes + lumaBytes / 4));
    planeSteps.put(0, cols).put(1, cols / 2).put(2, cols / 2);
    packed.put(0, yuyv.position(0));
    packedStep.put(0, 2 * cols);
    sws_scale(context, planes, planeSteps, 0, rows, packed, packedStep);
    return yuyv.position(0);
  }

  @Override
  public void close() {
    sws_freeContext(context);
    context = null;
    i420.close();
    i420Bytes.close();
    yuyv.close();
    planes.close();
    planeSteps.close();
    packed.close();
    packedStep.close();
  }
}
