/**
 * The standard D-Bus error names ({@code org.freedesktop.DBus.Error.*}) as exceptions, which dbus-java maps to
 * error names by their class names.
 */
package org.freedesktop.DBus;
