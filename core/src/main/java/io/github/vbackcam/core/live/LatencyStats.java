package io.github.vbackcam.core.live;

import java.util.Arrays;

/** Frame rate and capture-to-written latency over the most recent frames. Thread-safe. */
final class LatencyStats {

  private static final int WINDOW = 2048;

  private final long[] latencies = new long[WINDOW];
  private final long[] writtenAt = new long[WINDOW];
  private long count;
  private long drops;

  synchronized void frameWritten(long captureNanos, long now) {
    int slot = (int) (count % WINDOW);
    latencies[slot] = now - captureNanos;
    writtenAt[slot] = now;
    count++;
  }

  synchronized void dropped() {
    drops++;
  }

  synchronized long frames() {
    return count;
  }

  synchronized long drops() {
    return drops;
  }

  /** Frames per second over the last second or so; 0 when nothing was written in the last two seconds. */
  synchronized double fps(long now) {
    if (count < 2) {
      return 0;
    }
    int last = (int) ((count - 1) % WINDOW);
    if (now - writtenAt[last] > 2_000_000_000L) {
      return 0;
    }
    int n = 1;
    long first = writtenAt[last];
    for (int i = 1; i < Math.min(count, WINDOW); i++) {
      int slot = (int) ((count - 1 - i) % WINDOW);
      if (writtenAt[last] - writtenAt[slot] > 1_000_000_000L) {
        break;
      }
      first = writtenAt[slot];
      n++;
    }
    return n < 2 || writtenAt[last] == first ? 0 : (n - 1) * 1e9 / (writtenAt[last] - first);
  }

  /** The given quantile (0.5 = median) of the recent latencies in milliseconds, or 0 before any frame. */
  synchronized double latencyMillis(double quantile) {
    int n = (int) Math.min(count, WINDOW);
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    int index = (int) Math.min(n - 1, Math.round(quantile * (n - 1)));
    return sorted[index] / 1e6;
  }
}
