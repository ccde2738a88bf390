package io.github.vbackcam.core.composite;

/**
 * A moving background's own clock: how much media time has passed since its first frame, from the presentation
 * times of the frames it is drawn behind. It runs with them (a 24 fps input, a 60 fps background: both in real
 * time; a live camera dropping frames or paused: the wall clock), and only holds still where the input's time runs
 * backwards.
 */
final class MediaClock {

  private boolean started;
  private long lastPts;
  private long elapsed;

  /** Media time since the first frame, in microseconds, for a frame presented at {@code ptsMicros}. */
  long at(long ptsMicros) {
    if (started) {
      long step = ptsMicros - lastPts;
      if (step > 0) {
        elapsed += step;
      }
    }
    started = true;
    lastPts = ptsMicros;
    return elapsed;
  }
}
