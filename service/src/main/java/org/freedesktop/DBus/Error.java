package org.freedesktop.DBus;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Standard D-Bus error names for exceptions thrown from exported methods. dbus-java names an error reply after the
 * exception's class, with {@code $} turned into {@code .}, so {@code Error.InvalidArgs} here goes out as
 * {@code org.freedesktop.DBus.Error.InvalidArgs}.
 */
public final class Error {
  private Error() {}

  /** A bad argument; the message quotes the bad value. */
  public static final class InvalidArgs extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public InvalidArgs(String message) {
      super(message);
    }
  }

  /** The request is valid but the service cannot do it now (a camera problem, for instance). */
  public static final class Failed extends DBusExecutionException {
    private static final long serialVersionUID = 1L;

    public Failed(String message) {
      super(message);
    }
  }
}
