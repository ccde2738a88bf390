/**
 * The D-Bus side: the {@code io.github.vbackcam.Control1} interface, the exported object that serves it, and its
 * contract, {@code io.github.vbackcam.Control1.xml}, which a test holds the Java side to.
 */
package io.github.vbackcam.service.dbus;
