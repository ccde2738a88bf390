package io.github.vbackcam.core.sink;

import java.util.Arrays;

/**
 * The rate frames really arrive at, from their presentation times: one over the median interval between the last
 * {@link #WINDOW} frames. The median ignores a single late or doubled frame, and moves in one step when the rate
 * does (a camera dropping from 30 to 15 fps in low light reads 15 after half a window), not through every rate in
 * between.
 *
 * <p>Sinks that tell apps a frame rate ({@link LoopbackSink}, {@link PipeWireSink}) declare the measured one through
 * {@link #redeclare} only when it departs from what they declared by more than {@link #TOLERANCE}: jitter never
 * makes them re-declare, a camera halving its rate does.
 */
final class RateMeter {

  static final int WINDOW = 9;

  /** A measured rate this far (as a fraction) from the declared one is declared instead. */
  static final double TOLERANCE = 0.15;

  private final long[] times = new long[WINDOW];
  private final long[] intervals = new long[WINDOW - 1];
  private int count;

  /** Records a frame presented at {@code ptsMicros}. */
  void frame(long ptsMicros) {
    times[count % WINDOW] = ptsMicros;
    count++;
  }

  /** Forgets every frame: the next rate is measured from frames recorded after this. */
  void reset() {
    count = 0;
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

  /**
   * The rate to declare instead of {@code declared}, in whole frames a second, once the measured rate departs from
   * it by more than {@link #TOLERANCE}; 0 to keep it: nothing measured yet, within the tolerance, or a measured rate
   * that rounds back to the declared one (1.4 fps against 1), so a sink never declares the same rate twice.
   */
  int redeclare(double declared) {
    double measured = rate();
    if (measured <= 0 || Math.abs(measured - declared) <= TOLERANCE * declared) {
      return 0;
    }
    int whole = (int) Math.max(1, Math.round(measured));
    return whole == declared ? 0 : whole;
  }
}
