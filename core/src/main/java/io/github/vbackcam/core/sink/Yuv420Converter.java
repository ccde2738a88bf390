package io.github.vbackcam.core.sink;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import java.nio.Buffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * BGR pictures converted to an encoder's YUV 4:2:0 (I420) at its size, kept as a JavaCV frame the recorder takes
 * without converting, to be recorded as often as needed (a constant-rate file repeats a picture to fill its grid).
 * A picture of the encoder's size (the usual case; width and height even) goes through OpenCV's vectorised
 * {@code COLOR_BGR2YUV_I420}: 0.67 ms for a 720p picture here against 1.8-2.7 ms for swscale's BGR24 input, which
 * FFmpegFrameRecorder would use (BT.601, limited range both; luma within one code; the chroma of each 2x2 block is
 * its first pixel's, where swscale filters it). Any other picture is scaled and converted by swscale, as the
 * recorder does.
 */
final class Yuv420Converter implements AutoCloseable {

  static {
    FFmpegLog.quiet();
  }

  private final VideoSize size;
  private final BytePointer buffer;
  private final PointerPointer<BytePointer> planes = new PointerPointer<>(4);
  private final IntPointer lineSizes = new IntPointer(4);
  private final PointerPointer<BytePointer> input = new PointerPointer<>(4);
  private final IntPointer inputLineSizes = new IntPointer(4);
  private final Frame frame = new Frame();
  private final Mat i420;
  private SwsContext context;

  Yuv420Converter(VideoSize size) {
    this.size = size;
    buffer = new BytePointer(av_image_get_buffer_size(AV_PIX_FMT_YUV420P, size.width(), size.height(), 1));
    av_image_fill_arrays(planes, lineSizes, buffer, AV_PIX_FMT_YUV420P, size.width(), size.height(), 1);
    frame.imageWidth = size.width();
    frame.imageHeight = size.height();
    frame.imageDepth = Frame.DEPTH_UBYTE;
    frame.imageChannels = 1;
    frame.imageStride = size.width(); // the luma plane's; the recorder lays out the others as av_image_fill_arrays
    frame.image = new Buffer[] {buffer.asByteBuffer()};
    // The planes as one matrix over the same memory (I420: luma, then U and V), for OpenCV to write into.
    i420 = new Mat(size.height() * 3 / 2, size.width(), CV_8UC1, buffer);
  }

  /** Converts {@code bgr} (CV_8UC3, any size: it is scaled to this converter's) into {@link #picture}. */
  void convert(Mat bgr) {
    if (bgr.cols() == size.width() && bgr.rows() == size.height() && size.width() % 2 == 0
        && size.height() % 2 == 0) {
      opencv_imgproc.cvtColor(bgr, i420, opencv_imgproc.COLOR_BGR2YUV_I420);
      return;
    }
    context = sws_getCachedContext(context, bgr.cols(), bgr.rows(), AV_PIX_FMT_BGR24, size.width(), size.height(),
        AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
    if (context == null) {
      throw new IllegalStateException("swscale cannot convert " + bgr.cols() + "x" + bgr.rows() + " BGR to " + size
          + " YUV 4:2:0");
    }
    input.put(0, bgr.data());
    inputLineSizes.put(0, (int) bgr.step());
    sws_scale(context, input, inputLineSizes, 0, bgr.rows(), planes, lineSizes);
  }

  /** The last picture converted, to record with {@code AV_PIX_FMT_YUV420P}; valid until the next conversion. */
  Frame picture() {
    return frame;
  }

  /** Points {@code frame}'s planes at the last picture converted (an encoder copies what it keeps). */
  void fill(AVFrame frame) {
    for (int i = 0; i < 3; i++) {
      frame.data(i, planes.get(BytePointer.class, i)).linesize(i, lineSizes.get(i));
    }
  }

  @Override
  public void close() {
    sws_freeContext(context);
    context = null;
    input.close();
    inputLineSizes.close();
    planes.close();
    lineSizes.close();
    i420.close();
    buffer.close();
  }
}
