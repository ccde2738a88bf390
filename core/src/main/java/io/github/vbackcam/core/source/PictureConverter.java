package io.github.vbackcam.core.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_HWACCEL;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_linesize;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_count_planes;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_isSupportedInput;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.github.vbackcam.core.internal.FileChecks;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Converts decoded FFmpeg pictures to BGR, each at its own size and in its own pixel format.
 *
 * <p>JavaCV's own conversion takes the size and format from the decoder context, which a stream changing size
 * updates before (or without) handing over a picture of that size: a stream that switched to 12032x12000, a size
 * the decoder then refused, had swscale read 12032x12000 pixels out of a 320x240 picture and crashed the JVM. Here
 * the picture is described only by its own fields, and those are checked against the pixel limit and against the
 * buffers that hold its data before swscale touches it.
 *
 * <p>Not thread-safe: one per source. The swscale context is reused while the picture's size and format stay the
 * same ({@code sws_getCachedContext}), and so is the BGR image; {@link #close} frees both.
 */
final class PictureConverter implements AutoCloseable {

  /** Every plane pointer and stride a frame can have (AV_NUM_DATA_POINTERS). */
  private static final int PLANES = 8;

  /**
   * swscale's SIMD converters write whole blocks: rows 300 bytes apart (100 pixels) lost their last pixels, and
   * writing straight into a frame's rows (no slack after the last) aborted the JVM now and then.
   */
  private static final int ROW_ALIGN = 64;

  /** The BGR image's bytes, rows {@link #ROW_ALIGN}-aligned, and the BGR view over them (rebuilt on a size change). */
  private final Mat rows = new Mat();
  private Mat bgr = new Mat();
  private final PointerPointer<BytePointer> target = new PointerPointer<>(PLANES);
  private final IntPointer targetStride = new IntPointer(PLANES);
  private SwsContext context;

  /**
   * What is wrong with a decoded picture, in words that follow "the frame at 1.23 s ", or null when it can be
   * converted: a size that is not positive or over {@link FileChecks#MAX_IMAGE_PIXELS}, a format swscale cannot
   * read, or planes that do not lie inside the frame's own buffers.
   */
  static String problem(AVFrame picture) {
    int width = picture.width();
    int height = picture.height();
    if (width <= 0 || height <= 0) {
      return String.format(Locale.ROOT, "has an invalid size of %dx%d", width, height);
    }
    String oversize = oversize(width, height);
    if (oversize != null) {
      return oversize;
    }
    int format = picture.format();
    AVPixFmtDescriptor desc = format < 0 ? null : av_pix_fmt_desc_get(format);
    if (desc == null || (desc.flags() & AV_PIX_FMT_FLAG_HWACCEL) != 0 || sws_isSupportedInput(format) == 0) {
      return "has a pixel format that cannot be converted (" + formatName(format) + ")";
    }
    int planes = av_pix_fmt_count_planes(format);
    for (int p = 0; p < planes; p++) {
      int planeHeight = p == 1 || p == 2 ? -((-height) >> desc.log2_chroma_h()) : height;
      if (!inItsBuffers(picture, p, av_image_get_linesize(format, width, p), planeHeight)) {
        return String.format(Locale.ROOT, "is %dx%d but its data do not hold a picture of that size", width, height);
      }
    }
    return null;
  }

  /** "is WxH, over the N-megapixel limit" when {@code width} x {@code height} is over the limit, else null. */
  static String oversize(long width, long height) {
    return width * height > FileChecks.MAX_IMAGE_PIXELS
        ? String.format(Locale.ROOT, "is %dx%d, over the %d-megapixel limit", width, height,
            FileChecks.MAX_IMAGE_MEGAPIXELS)
        : null;
  }

  private static String formatName(int format) {
    BytePointer name = format < 0 ? null : av_get_pix_fmt_name(format);
    return name == null || name.isNull() ? "format " + format : name.getString();
  }

  /** Whether plane {@code p}'s rows, {@code lineBytes} each, lie wholly inside one of the frame's buffers. */
  private static boolean inItsBuffers(AVFrame picture, int p, int lineBytes, int rows) {
    BytePointer data = picture.data(p);
    long stride = picture.linesize(p);
    if (lineBytes <= 0 || data == null || data.isNull() || Math.abs(stride) < lineBytes) {
      return false;
    }
    long first = data.address();
    long last = first + stride * (rows - 1);
    long start = Math.min(first, last);
    long end = Math.max(first, last) + lineBytes;
    for (int i = 0; i < PLANES; i++) {
      AVBufferRef ref = picture.buf(i);
      if (ref != null && !ref.isNull() && ref.data() != null && !ref.data().isNull()) {
        long base = ref.data().address();
        if (start >= base && end <= base + ref.size()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The picture as BGR at its own size, in an image this converter owns and reuses (valid until the next call or
   * {@link #close}). The picture must have passed {@link #problem}.
   */
  Mat toBgr(AVFrame picture) {
    int width = picture.width();
    int height = picture.height();
    if (bgr.cols() != width || bgr.rows() != height) {
      int step = aligned(width);
      rows.create(height + 1, step, opencv_core.CV_8UC1); // a spare row: swscale's blocks may run past the last
      bgr.close();
      bgr = new Mat(height, width, opencv_core.CV_8UC3, rows.data(), step);
    }
    context = sws_getCachedContext(context, width, height, picture.format(), width, height, AV_PIX_FMT_BGR24,
        SWS_BILINEAR, null, null, (DoublePointer) null);
    if (context == null || context.isNull()) {
      throw new IllegalStateException("swscale cannot convert " + formatName(picture.format()) + " at " + width + "x"
          + height);
    }
    target.put(0, bgr.data());
    targetStride.put(0, (int) bgr.step());
    sws_scale(context, picture.data(), picture.linesize(), 0, height, target, targetStride);
    return bgr;
  }

  private static int aligned(int width) {
    return (3 * width + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
  }

  @Override
  public void close() {
    if (context != null) {
      sws_freeContext(context);
      context = null;
    }
    bgr.close();
    rows.close();
    target.close();
    targetStride.close();
  }
}
