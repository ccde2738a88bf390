package io.github.vbackcam.core.live;

/** Why the camera is paused; it comes back when no reason is left. */
public enum PauseReason {
  /** A client called Pause, until it calls Resume. */
  USER,
  /** At least one client holds a pause for as long as it stays connected. */
  HOLD
}
