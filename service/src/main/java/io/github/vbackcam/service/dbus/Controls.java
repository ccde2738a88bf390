package io.github.vbackcam.service.dbus;

import java.util.Map;

/**
 * What the D-Bus object asks of the service. Setters throw {@link IllegalArgumentException} for a bad argument,
 * with a message that quotes it; the previous state must then stay in effect.
 */
public interface Controls {

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

  /**
   * Every property by name (the D-Bus object adds Holds), with D-Bus-ready values: String, Double, UInt32, UInt64,
   * String[].
   */
  Map<String, Object> properties();
}
