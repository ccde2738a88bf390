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
 * blended, in arrays, a pixel's three channels at once ({@link #mix}). Measured on a 720p frame here (a soft-edged
 * person, 5% of pixels partly transparent): 0.6 ms of CPU, against 1.2-1.3 ms for OpenCV's five full-frame passes
 * (gray to BGR, invert, two multiplies, add) that this replaced. The mask can also be given at a model's resolution
 * and scaled while blending ({@link #overScaled}). Not thread-safe: one per compositing stage.
 */
final class Blend {
  /** Eight mask bytes as one long, for skipping through runs of all person or all background. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  /** The low byte of each of three 16-bit lanes, and 128 in each: see {@link #mix}. */
  private static final long LOW_BYTES = 0xff_00ff_00ffL;
  private static final long ROUNDING = 0x80_0080_0080L;
  /** The kind of a segment whose coarse pixels differ: its alpha is interpolated pixel by pixel. */
  private static final int EDGE = -1;

  /** One row of mask, and of fg and bg for a run of edge pixels: kept between frames, resized with the frame. */
  private byte[] mask = new byte[0];
  private byte[] front = new byte[0];
  private byte[] back = new byte[0];
  /** For {@link #overScaled}: the two coarse rows around the current output row, and the columns' taps. */
  private byte[] upper = new byte[0];
  private byte[] lower = new byte[0];
  private Taps columns;
  private Taps rowTaps;
  /** (start, end, kind) of each segment of the current output row: see {@link #segment}. */
  private int[] segments;
  /** The current pair of coarse rows interpolated along the row, for the output pixels of edge segments. */
  private int[] high;
  private int[] low;

  /** Blends {@code bg} under {@code fg} (both CV_8UC3, same size) with {@code alpha} (CV_8UC1); writes fg. */
  void over(Mat fg, Mat bg, Mat alpha) {
    check(fg, bg, alpha, true);
    int rows = fg.rows();
    int cols = fg.cols();
    ByteBuffer f = bytes(fg);
    ByteBuffer b = bytes(bg);
    ByteBuffer a = bytes(alpha);
    int fStep = (int) fg.step();
    int bStep = (int) bg.step();
    int aStep = (int) alpha.step();
    for (int y = 0; y < rows; y++) {
      a.get(y * aStep, mask);
      row(f, y * fStep, b, y * bStep, 0, cols);
    }
  }

  /**
   * Blends {@code bg} under {@code fg} (both CV_8UC3, same size) with {@code coarse} (CV_8UC1, any size, covering the
   * whole frame) scaled up to the frame as it blends; writes fg. The scaling is bilinear with pixel centres aligned,
   * as OpenCV's {@code INTER_LINEAR} resize maps them, and each alpha is within 1 of that resize's. The mask at frame
   * size is never made (a 720p mask is 0.9 MB written and read again): for each pair of coarse rows the output row
   * is cut into segments of all background, all person and edge, and only the edge pixels are interpolated.
   */
  void overScaled(Mat fg, Mat bg, Mat coarse) {
    check(fg, bg, coarse, false);
    int rows = fg.rows();
    int cols = fg.cols();
    int coarseRows = coarse.rows();
    int coarseCols = coarse.cols();
    if (columns == null || columns.from != coarseCols || columns.to != cols) {
      columns = new Taps(coarseCols, cols);
      upper = new byte[coarseCols];
      lower = new byte[coarseCols];
      segments = new int[3 * (coarseCols + 1)];
      high = new int[cols];
      low = new int[cols];
    }
    if (rowTaps == null || rowTaps.from != coarseRows || rowTaps.to != rows) {
      rowTaps = new Taps(coarseRows, rows);
    }
    ByteBuffer f = bytes(fg);
    ByteBuffer b = bytes(bg);
    ByteBuffer a = bytes(coarse);
    int fStep = (int) fg.step();
    int bStep = (int) bg.step();
    int aStep = (int) coarse.step();
    int loaded = -1;
    int count = 0;
    for (int y = 0; y < rows; y++) {
      int top = rowTaps.first[y];
      if (top != loaded) {
        a.get(top * aStep, upper);
        a.get(Math.min(top + 1, coarseRows - 1) * aStep, lower);
        count = segment();
        loaded = top;
      }
      int wy = rowTaps.weight[y];
      int fRow = y * fStep;
      int bRow = y * bStep;
      for (int i = 0; i < count; i += 3) {
        int x = segments[i];
        int end = segments[i + 1];
        int kind = segments[i + 2];
        if (kind == 0) {
          f.put(fRow + 3 * x, b, bRow + 3 * x, 3 * (end - x));
        } else if (kind == EDGE) {
          edge(f, fRow + 3 * x, b, bRow + 3 * x, x, end, wy);
        }
      }
    }
  }

  /**
   * Cuts an output row between {@link #upper} and {@link #lower} into segments (start, end, kind) in
   * {@link #segments}: kind 0 or 255 where all four coarse pixels around every output pixel have that value, else
   * {@link #EDGE}; returns the number of ints written. Runs of coarse columns that are all 0 or all 255 in both rows
   * are skipped eight at a time.
   */
  private int segment() {
    int cells = upper.length;
    int[] start = columns.cellStart;
    int n = 0;
    int c = 0;
    while (c < cells) {
      int kind = cellKind(c);
      int end = c + 1;
      if (kind == EDGE) {
        while (end < cells && cellKind(end) == EDGE) {
          end++;
        }
      } else {
        long eight = kind == 0 ? 0L : -1L;
        byte value = (byte) kind;
        // cells end to end + 7 have the kind when columns end to end + 8 all have the value, in both rows
        while (end + Long.BYTES < cells && (long) LONGS.get(upper, end) == eight
            && (long) LONGS.get(lower, end) == eight && upper[end + Long.BYTES] == value
            && lower[end + Long.BYTES] == value) {
          end += Long.BYTES;
        }
        while (end < cells && cellKind(end) == kind) {
          end++;
        }
      }
      int x = start[c];
      int xEnd = start[end];
      if (kind == EDGE) {
        interpolateColumns(x, xEnd);
      }
      if (xEnd > x) { // a cell no output pixel starts in (scaling down) adds nothing
        if (n > 0 && segments[n - 1] == kind) {
          segments[n - 2] = xEnd;
        } else {
          segments[n] = x;
          segments[n + 1] = xEnd;
          segments[n + 2] = kind;
          n += 3;
        }
      }
      c = end;
    }
    return n;
  }

  /** 0 or 255 when the coarse pixels {@code c} and the one after it (the last: itself) are that in both rows. */
  private int cellKind(int c) {
    int c1 = Math.min(c + 1, upper.length - 1);
    byte v = upper[c];
    return v == upper[c1] && v == lower[c] && v == lower[c1] && (v == 0 || v == (byte) 255) ? v & 0xff : EDGE;
  }

  /**
   * Interpolates {@link #upper} and {@link #lower} along the row for the output pixels {@code x} to {@code end}, into
   * {@link #high} and {@link #low} (2048 times the value): each pixel {@link Taps#weight}/2048 of the way from its
   * first coarse column to the next. Done once for each pair of coarse rows; the output rows between them only mix
   * the two.
   */
  private void interpolateColumns(int x, int end) {
    Taps t = columns;
    int last = upper.length - 1;
    for (int px = x; px < end; px++) {
      int sx = t.first[px];
      int sx1 = Math.min(sx + 1, last);
      int wx = t.weight[px];
      high[px] = (upper[sx] & 0xff) * (Taps.ONE - wx) + (upper[sx1] & 0xff) * wx;
      low[px] = (lower[sx] & 0xff) * (Taps.ONE - wx) + (lower[sx1] & 0xff) * wx;
    }
  }

  /**
   * Blends the output pixels {@code x} to {@code end} of an edge segment, whose pixels start at {@code fAt} in fg
   * and {@code bAt} in bg, each with its alpha {@code wy}/2048 of the way from {@link #high} to {@link #low}: fixed
   * point with 11 bits a weight, as OpenCV's. The segment is read and written in bulk.
   */
  private void edge(ByteBuffer f, int fAt, ByteBuffer b, int bAt, int x, int end, int wy) {
    int n = 3 * (end - x);
    f.get(fAt, front, 0, n);
    b.get(bAt, back, 0, n);
    for (int px = x, i = 0; px < end; px++, i += 3) {
      int alpha = (high[px] * (Taps.ONE - wy) + low[px] * wy + (1 << 21)) >> 22;
      if (alpha != 255) {
        front(i, alpha == 0 ? lanes(back, i) : mix(lanes(front, i), lanes(back, i), alpha));
      }
    }
    f.put(fAt, front, 0, n);
  }

  /**
   * Where each of {@code to} output pixels falls between {@code from} coarse ones, with pixel centres aligned:
   * {@code s = (x + 0.5) × from / to − 0.5}, the first tap {@code floor(s)} and the second one after it weighted
   * {@code (s − floor(s)) × 2048}, both clamped at the edges as OpenCV's {@code INTER_LINEAR} clamps them.
   */
  private static final class Taps {
    static final int ONE = 1 << 11;
    final int from;
    final int to;
    final int[] first;
    final int[] weight;
    /** The first output pixel whose first tap is at or after each coarse pixel; {@code to} at index {@code from}. */
    final int[] cellStart;

    Taps(int from, int to) {
      this.from = from;
      this.to = to;
      first = new int[to];
      weight = new int[to];
      double scale = (double) from / to;
      for (int x = 0; x < to; x++) {
        double s = (x + 0.5) * scale - 0.5;
        int tap = (int) Math.floor(s);
        double fraction = s - tap;
        if (tap < 0) {
          tap = 0;
          fraction = 0;
        } else if (tap >= from - 1) {
          tap = from - 1;
          fraction = 0;
        }
        first[x] = tap;
        weight[x] = (int) Math.round(fraction * ONE);
      }
      cellStart = new int[from + 1];
      for (int c = 0, x = 0; c <= from; c++) {
        while (x < to && first[x] < c) {
          x++;
        }
        cellStart[c] = x;
      }
    }
  }

  /** Blends the pixels {@code from} to {@code to} (exclusive) of a row with the alpha in {@link #mask}. */
  private void row(ByteBuffer f, int fRow, ByteBuffer b, int bRow, int from, int to) {
    int x = from;
    while (x < to) {
      byte kind = mask[x];
      int end = x + 1;
      if (kind == 0 || kind == (byte) 255) {
        end = runEnd(end, to, kind);
        if (kind == 0) { // a run of background: one bulk copy (a run of person keeps fg as it is)
          f.put(fRow + 3 * x, b, bRow + 3 * x, 3 * (end - x));
        }
      } else { // a run of edge pixels: blended in arrays, read and written in bulk
        while (end < to && mask[end] != 0 && mask[end] != (byte) 255) {
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
  private int runEnd(int from, int to, byte value) {
    long eight = value == 0 ? 0L : -1L;
    int end = from;
    while (end <= to - Long.BYTES && (long) LONGS.get(mask, end) == eight) {
      end += Long.BYTES;
    }
    while (end < to && mask[end] == value) {
      end++;
    }
    return end;
  }

  /**
   * Refuses images that are not 8-bit BGR of one size, and a mask that is not 8-bit or, when {@code frameSize}, not
   * of their size; sizes the row buffers to the frame.
   */
  private void check(Mat fg, Mat bg, Mat alpha, boolean frameSize) {
    int rows = fg.rows();
    int cols = fg.cols();
    if (fg.type() != opencv_core.CV_8UC3 || bg.type() != opencv_core.CV_8UC3 || alpha.type() != opencv_core.CV_8UC1
        || bg.rows() != rows || bg.cols() != cols || alpha.rows() < 1 || alpha.cols() < 1
        || frameSize && (alpha.rows() != rows || alpha.cols() != cols)) {
      throw new IllegalArgumentException("blend needs 8-bit BGR images and an 8-bit mask"
          + (frameSize ? " of one size" : "") + ", got " + describe(fg) + ", " + describe(bg) + ", " + describe(alpha));
    }
    if (mask.length != cols) {
      mask = new byte[cols];
      front = new byte[3 * cols];
      back = new byte[3 * cols];
    }
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
