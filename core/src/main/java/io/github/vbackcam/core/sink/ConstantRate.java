package io.github.vbackcam.core.sink;

/**
 * Fits frames with presentation times onto a constant-rate grid, as FFmpeg's {@code -fps_mode cfr} does: a frame
 * is written as many times as grid slots it covers, so a slower or irregular input is repeated and a faster one
 * thinned, and the output's declared rate is the rate its pictures really change at. A gap longer than
 * {@link #MAX_GAP_SECONDS} (a suspended machine) is not filled: the grid restarts after it.
 */
final class ConstantRate {

  static final double MAX_GAP_SECONDS = 2;

  private final double rate;
  private long originMicros;
  private long slots;

  ConstantRate(double rate) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("a constant rate must be positive, got " + rate);
    }
    this.rate = rate;
  }

  /** How many times to write the frame presented at {@code ptsMicros}: 0 when its slot is already taken. */
  int copies(long ptsMicros) {
    if (slots == 0) {
      originMicros = ptsMicros;
      slots = 1;
      return 1;
    }
    long slot = Math.round((ptsMicros - originMicros) * rate / 1e6);
    if (slot < slots) {
      return 0;
    }
    long copies = slot - slots + 1;
    if (copies > MAX_GAP_SECONDS * rate) {
      originMicros = ptsMicros - Math.round(slots * 1e6 / rate);
      copies = 1;
    }
    slots += copies;
    return (int) copies;
  }
}
