package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.segment.ModelCatalog;
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
  private DBusConnection bus;
  private ControlObject object;
  private ScheduledExecutorService ticker;

  public Daemon(Options options) throws IOException {
    this.store = new SettingsStore(options);
    this.settings = store.load(true);
    ComputeDevice device = DeviceProbe.probe();
    ModelCatalog catalog = new ModelCatalog(ModelCatalog.defaultInstallDirs(), device, Defaults.session());
    ConfiguredCamera camera = new ConfiguredCamera(settings);
    Backends.Output output = Backends.output(Settings.expandHome(settings.get("output")), settings.yes("pipewire"),
        settings.size("size"), settings.number("camera-fps"));
    this.engine = new LiveEngine(camera, output.sink(), settings.size("size"), output.consumers(),
        Backends.segmenters(catalog), settings.mask(), settings.number("placeholder-fps"));
    this.controls = new ServiceControls(settings, store, engine, camera, device.toString());
    this.stats = options.statsFile() == null ? null : new StatsFile(options.statsFile());
  }

  /** Loads the model and effect, starts frames, then takes the bus name (the unit is ready from then on). */
  public void start() throws Exception {
    Effect effect;
    try {
      effect = settings.effect(Defaults.defaultBackground());
      if (!(effect instanceof Effect.None)) {
        effect.open().close();
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("background {}: {}; using the first bundled one", settings.get("mode"), Errors.describe(e));
      effect = new Effect.Image(Defaults.defaultBackground(), false);
      settings.remember(effect);
    }
    engine.prepare(effect, settings.get("model"));
    engine.start();
    bus = SessionBus.connect();
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

  /** Releases the bus name first (no more calls), then stops frames and frees the engine. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (bus != null) {
      try {
        bus.releaseBusName(Control1.BUS_NAME);
      } catch (Exception e) {
        LOG.debug("releasing the bus name", e);
      }
      bus.disconnect();
    }
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
  }
}
