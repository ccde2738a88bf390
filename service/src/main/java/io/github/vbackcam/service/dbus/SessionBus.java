package io.github.vbackcam.service.dbus;

import java.nio.file.Files;
import java.nio.file.Path;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * Connects to the session bus: {@code DBUS_SESSION_BUS_ADDRESS}, or else the systemd user bus socket
 * {@code $XDG_RUNTIME_DIR/bus} (a user unit may start without the variable).
 */
public final class SessionBus {
  private SessionBus() {}

  public static DBusConnection connect() throws DBusException {
    String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address != null && !address.isBlank()) {
      return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && Files.exists(Path.of(runtime, "bus"))) {
      return DBusConnectionBuilder.forAddress("unix:path=" + Path.of(runtime, "bus")).withShared(false).build();
    }
    throw new DBusException("no session bus: neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus is set");
  }
}
