package io.github.vbackcam.core.sink;

/**
 * Fits frames with presentation times onto a constant-rate grid, as FFmpeg's {@code -fps_mode cfr} does: each grid
 * slot shows the frame on show at the slot's time, so a slower or irregular input is repeated and a faster one
 * thinned, and the output's declared rate is the rate its pictures really change at. A frame is on show from its
 * own time until the next frame's: the slots a frame arrives late for are filled with the picture before it, never
 * with the frame itself, which would show its content early. A gap longer than {@link #MAX_GAP_SECONDS} (a suspended
 * machine) is not filled: the grid restarts after it.
 */
final class ConstantRate {

  static final double MAX_GAP_SECONDS = 2;

  /**
   * What to write for one arriving frame: the picture before it {@code held} more times (the slots up to this
   * frame's time), then this frame {@code current} times (0 when its slot is already taken, else 1).
   */
  record Slots(int held, int current) {}

  private final double rate;
  private long originMicros;
  private long slots;

  ConstantRate(double rate) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("a constant rate must be positive, got " + rate);
    }
    this.rate = rate;
  }

  /** The slots to fill for the frame presented at {@code ptsMicros}. */
  Slots next(long ptsMicros) {
    if (slots == 0) {
      originMicros = ptsMicros;
      slots = 1;
      return new Slots(0, 1);
    }
    long slot = Math.round((ptsMicros - originMicros) * rate / 1e6);
    if (slot < slots) {
      return new Slots(0, 0);
    }
    long held = slot - slots;
    if (held + 1 > MAX_GAP_SECONDS * rate) {
      originMicros = ptsMicros - Math.round(slots * 1e6 / rate);
      held = 0;
    }
    slots += held + 1;
    return new Slots((int) held, 1);
  }
}
