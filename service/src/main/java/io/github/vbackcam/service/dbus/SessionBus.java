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

  /**
   * dbus-java's method-call threads (its default is 4, which four calls on a hung mount used up): the calls
   * {@link Controls} may keep waiting, and more for everything else, callers waiting a second for their turn among
   * them. An idle thread costs only its stack.
   */
  public static final int METHOD_CALL_THREADS = Controls.MAX_WAITING_CALLS + 20;

  private SessionBus() {}

  public static DBusConnection connect() throws DBusException {
    String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address != null && !address.isBlank()) {
      return connect(address);
    }
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && Files.exists(Path.of(runtime, "bus"))) {
      return connect("unix:path=" + Path.of(runtime, "bus"));
    }
    throw new DBusException("no session bus: neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus is set");
  }

  private static DBusConnection connect(String address) throws DBusException {
    return DBusConnectionBuilder.forAddress(address).withShared(false)
        .receivingThreadConfig().withMethodCallThreadCount(METHOD_CALL_THREADS).connectionConfig()
        .build();
  }
}
