package io.github.vbackcam.service.dbus;

import io.github.vbackcam.core.live.LiveStatus;
import io.github.vbackcam.service.Errors;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.freedesktop.DBus.Error.Failed;
import org.freedesktop.DBus.Error.InvalidArgs;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.ExportedObject;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported object at {@code /io/github/vbackcam}: methods of {@link Control1} and the properties of the
 * contract, served through our own {@link Properties} implementation (dbus-java 5.2.2's bound properties reply with
 * bare values, which busctl rejects). Introspection serves the shipped XML.
 */
public final class ControlObject implements Control1, Properties {

  private static final Logger LOG = LoggerFactory.getLogger(ControlObject.class);

  private final Controls controls;
  private final Map<String, Object> published = new HashMap<>();
  private final java.util.Set<String> holders = new java.util.TreeSet<>();
  private DBusConnection connection;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;

  public ControlObject(Controls controls) {
    this.controls = controls;
  }

  /** Exports the object with the shipped introspection XML, then takes the bus name. */
  public void export(DBusConnection bus) throws DBusException, java.io.IOException {
    this.connection = bus;
    bus.addSigHandler(DBus.NameOwnerChanged.class, this::nameOwnerChanged);
    bus.exportObject(OBJECT_PATH, this);
    bus.getObjectTree().add(OBJECT_PATH, new ExportedObject(this, false), Introspection.nodeContents());
    synchronized (published) {
      published.putAll(properties());
    }
    bus.requestBusName(BUS_NAME);
  }

  @Override
  public String getObjectPath() {
    return OBJECT_PATH;
  }

  @Override
  public void SetEffect(String kind, Map<String, Variant<?>> options) {
    Map<String, String> text = new java.util.LinkedHashMap<>();
    options.forEach((key, value) -> {
      Object v = value.getValue();
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new InvalidArgs("option '" + Errors.cut(key) + "' has type " + value.getSig()
            + "; give a string, a number or a boolean");
      }
      // D-Bus bytes (y) are unsigned; dbus-java hands them over as a signed Java byte (255 as -1).
      text.put(key, v instanceof Byte b ? Integer.toString(Byte.toUnsignedInt(b)) : String.valueOf(v));
    });
    call(() -> controls.setEffect(kind, text));
  }

  @Override
  public void SetBackground(String path) {
    call(() -> controls.setBackground(path));
  }

  @Override
  public void SetBlur(UInt32 radius) {
    call(() -> controls.setBlur(radius.longValue()));
  }

  @Override
  public void SetColor(String color) {
    call(() -> controls.setColor(color));
  }

  @Override
  public void SetMode(String mode) {
    call(() -> controls.setMode(mode));
  }

  @Override
  public void SetModel(String model) {
    call(() -> controls.setModel(model));
  }

  @Override
  public void Pause() {
    call(controls::pause);
  }

  @Override
  public void Resume() {
    call(controls::resume);
  }

  @Override
  public void Reload() {
    call(controls::reload);
  }

  @Override
  public void Hold(Map<String, Variant<?>> options) {
    if (!options.isEmpty()) {
      throw new InvalidArgs("Hold takes no options yet; got " + Errors.cut(String.join(", ", options.keySet())));
    }
    String caller = caller();
    boolean first;
    synchronized (holders) {
      holders.add(caller);
      first = holders.size() == 1;
    }
    LOG.info("hold taken by {}", caller);
    if (first) {
      call(() -> controls.held(true));
    } else {
      publishChanges();
    }
  }

  @Override
  public void Release() {
    release(caller(), "released");
  }

  private void release(String caller, String how) {
    boolean last;
    synchronized (holders) {
      if (!holders.remove(caller)) {
        return;
      }
      last = holders.isEmpty();
    }
    LOG.info("hold of {} {}", caller, how);
    if (last) {
      call(() -> controls.held(false));
    } else {
      publishChanges();
    }
  }

  /** A client's hold lasts only as long as its bus name. */
  private void nameOwnerChanged(DBus.NameOwnerChanged signal) {
    if (signal.newOwner.isEmpty()) {
      release(signal.name, "ended: the client left the bus");
    }
  }

  private static String caller() {
    DBusCallInfo info = org.freedesktop.dbus.connections.base.AbstractConnectionBase.getCallInfo();
    if (info == null || info.getSource() == null) {
      throw new Failed("cannot tell who called");
    }
    return info.getSource();
  }

  /** Every property by name, with D-Bus-typed values, from the service's status and the holds kept here. */
  private Map<String, Object> properties() {
    Controls.Status status = controls.status();
    LiveStatus s = status.live();
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("version", new UInt32(VERSION));
    p.put("Version", status.version());
    p.put("Mode", s.effect() == null ? "" : s.effect().kind());
    p.put("Background", s.effect() == null ? "" : s.effect().toString());
    p.put("Backgrounds", status.backgrounds().stream().map(b -> b.toAbsolutePath().toString())
        .toArray(String[]::new));
    p.put("Model", s.model() == null ? "" : s.model());
    p.put("Device", status.device());
    p.put("Engine", status.engine());
    p.put("State", s.state().label());
    p.put("StateDetail", s.detail());
    p.put("Fps", Math.round(s.fps() * 10) / 10.0);
    p.put("LatencyMs", Math.round(s.latencyMs() * 10) / 10.0);
    p.put("Consumers", new UInt32(s.consumers()));
    p.put("ConsumerDetection", s.consumerMode());
    synchronized (holders) {
      p.put("Holds", new UInt32(holders.size()));
    }
    p.put("Drops", new UInt64(s.drops()));
    p.put("CameraDevice", s.camera());
    p.put("OutputDevice", s.output());
    return p;
  }

  /**
   * Runs a call's action and answers for it: a rejected argument is InvalidArgs, anything else Failed, each with one
   * line (cut, with control characters escaped: the caller's text comes back and goes to the log).
   */
  private void call(Runnable action) {
    enter();
    try {
      action.run();
    } catch (IllegalArgumentException e) {
      String message = Errors.cut(e.getMessage(), 2 * Errors.MAX_QUOTED);
      LOG.info("rejected: {}", message);
      throw new InvalidArgs(message);
    } catch (RuntimeException e) {
      String message = Errors.cut(Errors.describe(e), 2 * Errors.MAX_QUOTED);
      LOG.warn("failed: {}", message);
      LOG.debug("failure", e);
      throw new Failed(message);
    } finally {
      active.decrementAndGet();
    }
    publishChanges();
  }

  /** Counts a call in flight; once {@link #stop} was called, a call is refused at once. */
  private void enter() {
    active.incrementAndGet();
    if (stopping) {
      active.decrementAndGet();
      throw new Failed("the service is stopping");
    }
  }

  /** Refuses calls from now on: the service is stopping. */
  public void stop() {
    stopping = true;
  }

  /**
   * Waits up to {@code timeout} for the calls in flight to be answered, so that no reply goes to a connection that
   * is closing.
   */
  public void awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (active.get() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A> A Get(String iface, String property) {
    checkInterface(iface);
    enter();
    Object value;
    try {
      value = properties().get(property);
    } finally {
      active.decrementAndGet();
    }
    if (value == null) {
      throw new InvalidArgs("no property '" + Errors.cut(property) + "' on " + INTERFACE);
    }
    return (A) value;
  }

  @Override
  public <A> void Set(String iface, String property, A value) {
    checkInterface(iface);
    throw new org.freedesktop.dbus.errors.PropertyReadOnly("property '" + Errors.cut(property)
        + "' is read-only; use the Set* methods");
  }

  @Override
  public Map<String, Variant<?>> GetAll(String iface) {
    checkInterface(iface);
    Map<String, Variant<?>> all = new TreeMap<>();
    enter();
    try {
      properties().forEach((k, v) -> all.put(k, variant(v)));
    } finally {
      active.decrementAndGet();
    }
    return all;
  }

  private static void checkInterface(String iface) {
    if (!iface.isEmpty() && !iface.equals(INTERFACE)) {
      throw new InvalidArgs("no interface '" + Errors.cut(iface) + "' here; properties are on " + INTERFACE);
    }
  }

  /** Emits PropertiesChanged with the properties whose value changed since the last call. */
  public void publishChanges() {
    if (connection == null) {
      return;
    }
    Map<String, Variant<?>> changed = new TreeMap<>();
    synchronized (published) {
      properties().forEach((k, v) -> {
        Object old = published.get(k);
        boolean same = old instanceof String[] a && v instanceof String[] b ? Arrays.equals(a, b) : v.equals(old);
        if (!same) {
          changed.put(k, variant(v));
          published.put(k, v);
        }
      });
    }
    if (changed.isEmpty()) {
      return;
    }
    try {
      connection.sendMessage(new PropertiesChanged(OBJECT_PATH, INTERFACE, changed, List.of()));
    } catch (DBusException e) {
      LOG.warn("cannot emit PropertiesChanged: {}", e.getMessage());
    }
  }

  private static Variant<?> variant(Object value) {
    if (value instanceof String[] list) {
      return new Variant<>(list, "as");
    }
    return new Variant<>(value);
  }
}
