package io.github.vbackcam.service.dbus;

import io.github.vbackcam.core.live.LiveStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the D-Bus object asks of the service. Setters throw {@link IllegalArgumentException} for a bad argument,
 * with a message that quotes it; the previous state must then stay in effect.
 */
public interface Controls {

  /**
   * The most calls an implementation keeps waiting at once for longer than a second (a file that does not answer, a
   * load in progress); a call beyond them is answered within a second. The connection serves calls on
   * {@link SessionBus#METHOD_CALL_THREADS} threads, well more than this, so that property reads and quick calls are
   * not queued behind slow ones.
   */
  int MAX_WAITING_CALLS = 12;

  /**
   * What the service reports, typed; only the D-Bus object turns it into properties.
   *
   * @param version the service's version
   * @param backgrounds the bundled backgrounds
   * @param device where inference runs and why
   * @param engine the inference engine and why it was chosen
   * @param live the engine's state, effect, model and figures
   */
  record Status(String version, List<Path> backgrounds, String device, String engine, LiveStatus live) {}

  /** The effect {@code kind} with its parameters as text (see {@code Effects}). */
  void setEffect(String kind, Map<String, String> options);

  void setBackground(String path);

  void setBlur(long radius);

  void setColor(String color);

  void setMode(String mode);

  void setModel(String model);

  void pause();

  void resume();

  void reload();

  /** Whether any client holds the camera paused (see Hold in the interface XML). */
  void held(boolean anyHold);

  Status status();
}
