package io.github.vbackcam.core.live;

import java.util.Locale;

/** What the live engine is doing, as users see it. */
public enum LiveState {
  /** Prepared, frames not flowing yet. */
  STARTING,
  /** Camera open, effect applied, frames written. */
  RUNNING,
  /** No app reads the virtual camera: the real camera is closed and a placeholder is written at low rate. */
  IDLE_NO_CONSUMER,
  /** Paused by a client: camera closed, placeholder written. */
  PAUSED,
  /** The camera cannot be opened or stopped delivering: placeholder written, retrying with backoff. */
  CAMERA_LOST,
  /**
   * The virtual camera device cannot be used (module not loaded, Secure Boot key not enrolled, no permission): the
   * service stays up, frames go to its other outputs if any, and the detail says what to do. Set at start until a
   * restart: a fix (enrolling a key, loading the module) is followed by a reboot or a restart of the service.
   */
  NO_DEVICE,
  /** Closed. */
  STOPPED;

  /** The name used on D-Bus and in logs: lower case with dashes. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
