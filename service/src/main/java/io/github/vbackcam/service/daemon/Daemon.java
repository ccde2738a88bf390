package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.segment.EngineChoice;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.config.Settings;
import io.github.vbackcam.service.dbus.Control1;
import io.github.vbackcam.service.dbus.ControlObject;
import io.github.vbackcam.service.dbus.SessionBus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera service, wired: settings ({@link SettingsStore}), the parts they name ({@link Backends},
 * {@link ConfiguredCamera}), the live engine, and the D-Bus object whose calls {@link ServiceControls} carries out.
 * D-Bus and configuration stay in the service; the engine in core knows nothing of them.
 */
public final class Daemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** What the command line adds on top of the configuration files. */
  public record Options(List<Path> configFiles, Path stateFile, Map<String, String> overrides, Path statsFile) {}

  private final Settings settings;
  private final SettingsStore store;
  private final LiveEngine engine;
  private final ServiceControls controls;
  private final StatsFile stats;
  /** How long a stop waits for calls in flight to be answered (a change being loaded is not waited for). */
  private static final java.time.Duration CALLS_DRAIN = java.time.Duration.ofMillis(500);

  private final DBusConnection bus;
  private final OutputLock outputLock;
  private ControlObject object;
  private ScheduledExecutorService ticker;

  /**
   * Reads the settings, then makes sure this is the only service for the bus and the output before anything is
   * opened for writing: a second instance refuses at once and touches nothing.
   */
  public Daemon(Options options) throws IOException, DBusException {
    this.store = new SettingsStore(options);
    this.settings = store.load(true);
    this.bus = SessionBus.connect();
    try {
      if (bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
          .NameHasOwner(Control1.BUS_NAME)) {
        throw new IllegalStateException("another vbackcam service runs on this session bus (it owns "
            + Control1.BUS_NAME + "); stop it first (systemctl --user stop vbackcam)");
      }
      String out = Settings.expandHome(settings.get("output"));
      this.outputLock = OutputLock.take(out);
    } catch (IOException | RuntimeException e) {
      bus.disconnect();
      throw e;
    }
    ComputeDevice device = DeviceProbe.probe();
    EngineChoice choice = EngineChoice.decide(settings.get("engine"), device);
    LOG.info("Inference engine: {}", choice);
    ModelCatalog catalog = new ModelCatalog(ModelCatalog.defaultInstallDirs(), device, Defaults.session(), choice);
    ConfiguredCamera camera = new ConfiguredCamera(settings);
    SegmenterFactory models = Backends.segmenters(catalog);
    Backends.Output output = Backends.output(Settings.expandHome(settings.get("output")), settings.yes("pipewire"),
        settings.size("size"), settings.number("camera-fps"));
    this.engine = new LiveEngine(camera, output.sink(), settings.size("size"), output.consumers(),
        models, settings.mask(), settings.number("placeholder-fps"));
    if (!output.missingDevice().isEmpty()) {
      engine.deviceMissing(output.missingDevice());
    }
    this.controls = new ServiceControls(settings, store, engine, models, camera, device.toString(),
        choice.toString());
    this.stats = options.statsFile() == null ? null : new StatsFile(options.statsFile());
  }

  /**
   * Loads the model and effect, starts frames, then takes the bus name (the unit is ready from then on). They load as
   * a call's would, through the {@link Loader}: files are checked and probed before they are opened (a FIFO or a
   * file whose read never returns must not hang the start), and a load past its deadline is abandoned. A background
   * or a model that cannot be used in time is one log line and the bundled default is used, so every state starts.
   */
  public void start() throws Exception {
    try {
      controls.startWith(settings.effect(Defaults.defaultBackground()), "background " + settings.get("mode"));
    } catch (RuntimeException e) {
      LOG.warn("{}{}; using the first bundled one", ServiceControls.where(settings, "background", "mode"),
          Errors.withoutContent(e));
      engine.setEffect(new Effect.Image(Defaults.defaultBackground(), false));
      settings.remember(new Effect.Image(Defaults.defaultBackground(), false));
    }
    String model = settings.get("model");
    if (model.equals(ModelCatalog.DEFAULT)) {
      engine.setModel(model); // bundled: no deadline, a cold first load on a slow machine may take its time
    } else {
      try {
        controls.startWithModel(model);
      } catch (RuntimeException e) {
        LOG.warn("{}{}; using {}", ServiceControls.where(settings, "model"), Errors.withoutContent(e),
            ModelCatalog.DEFAULT);
        settings.set("model", ModelCatalog.DEFAULT);
        engine.setModel(ModelCatalog.DEFAULT);
      }
    }
    engine.prepare();
    engine.start();
    object = new ControlObject(controls);
    object.export(bus);
    LOG.info("on the session bus as {}", Control1.BUS_NAME);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vbackcam-status");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      object.publishChanges();
      if (stats != null) {
        stats.write(engine.status());
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("status update failed: {}", e.getMessage());
    }
  }

  /**
   * Stops taking calls and answers those in flight (changes still waiting are refused), releases the bus name, then
   * stops frames and frees the engine.
   */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (object != null) {
      object.stop();
    }
    controls.close();
    if (object != null) {
      try {
        object.awaitIdle(CALLS_DRAIN);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      bus.releaseBusName(Control1.BUS_NAME);
    } catch (Exception e) {
      LOG.debug("releasing the bus name", e);
    }
    bus.disconnect();
    try {
      engine.close();
    } catch (IOException e) {
      LOG.warn("closing: {}", e.getMessage());
    }
    if (stats != null) {
      try {
        stats.write(engine.status());
      } catch (IOException | RuntimeException ignored) {
        // The last figures are a convenience.
      }
    }
    try {
      outputLock.close();
    } catch (IOException e) {
      LOG.debug("releasing the output lock", e);
    }
  }
}
