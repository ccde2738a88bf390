package io.github.vbackcam.core.source;

/**
 * Decides when a camera has stalled, from monotonic times its callers pass in (so tests need no clock). Two threads
 * tell it what happens: the camera's reader, which blocks inside the camera ({@link #asking}, {@link #arrived}),
 * and the thread waiting for a frame, which looks every {@link #LOOK_NANOS} ({@link #waitStarts},
 * {@link #stalled}). The caller serialises the calls.
 *
 * <p>What counts towards the limit is only the camera's own silence, as this process saw it while it ran: time
 * while the reader is blocked asking the camera (not while it converts a frame), and of each interval between two
 * looks at most {@link #MAX_STEP_NANOS}. A look that comes seconds after the one before means this process was not
 * scheduled in between (a starved machine, a frozen virtual CPU); the camera may have delivered meanwhile, so that
 * time is not held against it.
 */
final class StallWatch {

  /** How often the waiting thread looks. */
  static final long LOOK_NANOS = 100_000_000L;
  /** At most this much of the time between two looks counts: more means this process was not running. */
  static final long MAX_STEP_NANOS = 250_000_000L;

  private final FrameGaps gaps;
  private final long baseNanos;
  private boolean hadFrame;
  private long lastFrame;
  private boolean asking;
  private long askingSince;
  private long lastLook;
  private long waited;

  /**
   * @param baseNanos the stall limit of a regular camera: max(1 s, 5 frame intervals)
   */
  StallWatch(FrameGaps gaps, long baseNanos) {
    this.gaps = gaps;
    this.baseNanos = baseNanos;
  }

  /**
   * The base limit of a camera at {@code frameRate}: five frame intervals, and never less than a second: soon enough
   * that apps see the "camera unavailable" picture, late enough that a camera slowing down in low light is not taken
   * for lost.
   */
  static long baseNanos(double frameRate) {
    return Math.max(1_000_000_000L, Math.round(5e9 / frameRate));
  }

  /** The reader starts blocking in the camera for the next frame. */
  void asking(long now) {
    asking = true;
    askingSince = now;
  }

  /** The reader got a frame from the camera. */
  void arrived(long now) {
    asking = false;
    if (hadFrame) {
      gaps.record(now - lastFrame, now);
      gaps.limitNanos(baseNanos, now);
    }
    hadFrame = true;
    lastFrame = now;
  }

  /** A thread starts waiting for a frame. */
  void waitStarts(long now) {
    lastLook = now;
    waited = 0;
  }

  /** The waiting thread looks again; true once the camera's silence has reached the limit. */
  boolean stalled(long now) {
    long from = asking ? Math.max(lastLook, askingSince) : now;
    waited += Math.min(Math.max(0, now - from), MAX_STEP_NANOS);
    lastLook = now;
    return waited >= limitNanos(now);
  }

  /** The camera's silence counted in the current wait. */
  long waitedNanos() {
    return waited;
  }

  long limitNanos(long now) {
    return gaps.limitNanos(baseNanos, now);
  }
}
