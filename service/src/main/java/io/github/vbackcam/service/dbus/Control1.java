package io.github.vbackcam.service.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;

/**
 * The Java side of {@code io.github.vbackcam.Control1}. The contract, with argument names and documentation, is
 * {@code io.github.vbackcam.Control1.xml}; the service serves that file for introspection and a test checks the two
 * agree. Properties are served by {@link ControlObject} through {@code org.freedesktop.DBus.Properties}.
 */
@DBusInterfaceName(Control1.INTERFACE)
public interface Control1 extends DBusInterface {

  String INTERFACE = "io.github.vbackcam.Control1";
  String BUS_NAME = "io.github.vbackcam";
  String OBJECT_PATH = "/io/github/vbackcam";
  /** The interface's version, served as the {@code version} property: 1 added SetEffect. */
  int VERSION = 1;

  void SetEffect(String kind, java.util.Map<String, org.freedesktop.dbus.types.Variant<?>> options);

  void SetBackground(String path);

  void SetBlur(UInt32 radius);

  void SetColor(String color);

  void SetMode(String mode);

  void SetModel(String model);

  void Pause();

  void Resume();

  void Reload();

  void Hold(java.util.Map<String, org.freedesktop.dbus.types.Variant<?>> options);

  void Release();
}
