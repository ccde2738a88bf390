package io.github.vbackcam.core.sink;

import java.util.Arrays;

/**
 * The rate frames really arrive at, from their presentation times: one over the median interval between the last
 * {@link #WINDOW} frames. The median ignores a single late or doubled frame, and moves in one step when the rate
 * does (a camera dropping from 30 to 15 fps in low light reads 15 after half a window), not through every rate in
 * between.
 */
final class RateMeter {

  static final int WINDOW = 9;

  private final long[] times = new long[WINDOW];
  private final long[] intervals = new long[WINDOW - 1];
  private int count;

  /** Records a frame presented at {@code ptsMicros}. */
  void frame(long ptsMicros) {
    times[count % WINDOW] = ptsMicros;
    count++;
  }

  /** Frames per second, or 0 until a whole window of frames, moving forward in time, has arrived. */
  double rate() {
    if (count < WINDOW) {
      return 0;
    }
    for (int i = 0; i < intervals.length; i++) {
      intervals[i] = times[(count - WINDOW + i + 1) % WINDOW] - times[(count - WINDOW + i) % WINDOW];
    }
    Arrays.sort(intervals);
    long median = intervals[intervals.length / 2];
    return median > 0 ? 1e6 / median : 0;
  }
}
