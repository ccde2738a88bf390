package io.github.vbackcam.core.source;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far apart a camera's frames have come lately, and so how long a wait for the next one is not yet a stall:
 * max(base, min(10 s, 2 x the worst gap of the last two minutes)), where the base is the camera's own (a second,
 * or five frame intervals). A machine under load (a compile, a video call, a starved virtual machine) delays frames
 * by more than a second now and then; a camera whose frames came 1.5 s apart a minute ago is not lost when the next
 * one takes 1.5 s again. A camera silent for 10 s is stalled whatever its history, so a frozen one is still found.
 *
 * <p>The statistic is the worst gap, not a quantile: a quantile by count drowns the few long gaps among thousands of
 * ordinary ones, and being generous costs only a later stall report, bounded by the cap. Only gaps that ended with a
 * frame are learned, on the monotonic clock of the reader that got them; a gap over the cap is a stall, never a
 * lesson. The history belongs to the device, not to one opening of it ({@link #of}): the camera is reopened after
 * a stall, and the gap that ended with a frame after the stall was declared is what teaches the limit.
 *
 * <p>Thread-safe: the camera's reader records, the waiting thread asks for the limit.
 */
final class FrameGaps {

  private static final Logger LOG = LoggerFactory.getLogger(FrameGaps.class);

  /** However regular or not the camera was, this long without a frame is a stall. */
  static final long CAP_NANOS = 10_000_000_000L;
  /** The limit is this many times the worst recent gap. */
  static final int FACTOR = 2;
  /** Gaps are remembered this long: a load that comes back within it finds the limit already raised. */
  static final long WINDOW_NANOS = 120_000_000_000L;
  /** A raised limit is logged again only when it grows this much more, so the log gets a few lines, not one a frame. */
  private static final double LOG_STEP = 1.5;

  private static final Map<String, FrameGaps> BY_DEVICE = new ConcurrentHashMap<>();

  private final String camera;
  /**
   * The sliding-window maximum: {arrival time, gap} with gaps strictly decreasing from the head, so the head is the
   * worst gap still in the window, and a gap is dropped once a later one is at least as long.
   */
  private final ArrayDeque<long[]> worst = new ArrayDeque<>();
  /** The raised limit last logged, or 0 while the limit is the base. */
  private long logged;

  FrameGaps(String camera) {
    this.camera = camera;
  }

  /** The history of {@code device}, the same for every opening of it in this process. */
  static FrameGaps of(String device) {
    return BY_DEVICE.computeIfAbsent(device, FrameGaps::new);
  }

  /** A frame arrived at {@code nowNanos}, {@code gapNanos} after the one before. */
  synchronized void record(long gapNanos, long nowNanos) {
    if (gapNanos <= 0 || gapNanos > CAP_NANOS) {
      return;
    }
    while (!worst.isEmpty() && worst.peekLast()[1] <= gapNanos) {
      worst.pollLast();
    }
    worst.addLast(new long[] {nowNanos, gapNanos});
  }

  /**
   * The stall limit at {@code nowNanos} for a camera whose base limit is {@code baseNanos}; logs one line when it
   * rises past the base (and when it grows much further, or falls back to the base).
   */
  synchronized long limitNanos(long baseNanos, long nowNanos) {
    while (!worst.isEmpty() && nowNanos - worst.peekFirst()[0] > WINDOW_NANOS) {
      worst.pollFirst();
    }
    long recent = worst.isEmpty() ? 0 : worst.peekFirst()[1];
    long limit = Math.max(baseNanos, Math.min(CAP_NANOS, FACTOR * recent));
    if (limit > baseNanos && (logged == 0 || limit >= logged * LOG_STEP)) {
      logged = limit;
      LOG.info("camera {}: frames came up to {} s apart in the last {} s (a busy machine?): it counts as stalled"
          + " only after {} s without a frame", camera, seconds(recent), WINDOW_NANOS / 1_000_000_000L,
          seconds(limit));
    } else if (limit == baseNanos && logged != 0) {
      logged = 0;
      LOG.info("camera {}: frames regular again: it counts as stalled after {} s without a frame", camera,
          seconds(limit));
    }
    return limit;
  }

  static String seconds(long nanos) {
    return String.valueOf(Math.round(nanos / 1e8) / 10.0);
  }
}
