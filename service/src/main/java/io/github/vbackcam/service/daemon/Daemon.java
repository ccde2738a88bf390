package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.device.Cameras;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.live.LiveStatus;
import io.github.vbackcam.core.segment.EllipseSegmenter;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.sink.LoopbackSink;
import io.github.vbackcam.core.sink.VideoFileSink;
import io.github.vbackcam.core.source.CameraSource;
import io.github.vbackcam.core.source.PacedSource;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.Main;
import io.github.vbackcam.service.config.ConfigFiles;
import io.github.vbackcam.service.config.Settings;
import io.github.vbackcam.service.dbus.ControlObject;
import io.github.vbackcam.service.dbus.Controls;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera service: settings, the live engine, and the D-Bus object that controls it. D-Bus and configuration
 * stay here; the engine in core knows nothing of them.
 */
public final class Daemon implements Controls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** What the command line adds on top of the configuration files. */
  public record Options(List<Path> configFiles, Path stateFile, Map<String, String> overrides, Path statsFile) {}

  private final Options options;
  private final Settings settings;
  private final ComputeDevice device;
  private final ModelCatalog catalog;
  private final LiveEngine engine;
  private final FrameSink output;
  private volatile String cameraSpec;
  private volatile String cameraShown;
  private DBusConnection bus;
  private ControlObject object;
  private ScheduledExecutorService ticker;

  public Daemon(Options options) throws IOException {
    this.options = options;
    this.settings = load(options, true);
    this.device = DeviceProbe.probe();
    this.catalog = new ModelCatalog(ModelCatalog.defaultInstallDirs(), device, Defaults.session());
    this.cameraSpec = settings.get("camera");
    this.cameraShown = describeCamera(cameraSpec);
    VideoSize size = settings.size("size");
    String out = Settings.expandHome(settings.get("output"));
    ConsumerMonitor consumers;
    if (isFileOutput(out)) {
      if (!FileTypes.extension(Path.of(out)).equals("y4m")) {
        throw new IllegalArgumentException("output '" + out + "' is a regular file: give it the .y4m extension"
            + " (the service writes Y4M to files)");
      }
      output = new VideoFileSink(Path.of(out), size, settings.number("camera-fps"));
      consumers = ConsumerMonitor.alwaysWatched("always on: the output is a file");
    } else {
      LoopbackSink loopback = new LoopbackSink(out, size);
      output = loopback;
      consumers = loopback.consumerMonitor();
    }
    String fake = System.getenv("VBACKCAM_FAKE_CONSUMERS");
    if (fake != null && !fake.isBlank()) {
      consumers.close();
      consumers = ConsumerMonitor.fromFile(Path.of(fake));
    }
    // The system test runs the service under CPU emulation, where loading TensorFlow takes minutes.
    boolean fakeModel = System.getenv("VBACKCAM_FAKE_SEGMENTER") != null;
    engine = new LiveEngine(new Camera(), output, size, consumers,
        fakeModel ? name -> new EllipseSegmenter() : catalog, settings.mask(),
        settings.number("placeholder-fps"));
  }

  private static boolean isFileOutput(String out) {
    Path p = Path.of(out);
    return !out.startsWith("/dev/") && (!Files.exists(p) || Files.isRegularFile(p));
  }

  /** Defaults, then each configuration file, then the remembered choices, then the command line. */
  private static Settings load(Options options, boolean withState) throws IOException {
    Settings s = new Settings();
    for (Path f : options.configFiles()) {
      ConfigFiles.apply(f, s);
    }
    if (withState) {
      try {
        ConfigFiles.apply(options.stateFile(), s);
      } catch (ConfigFiles.ConfigException e) {
        LOG.warn("ignoring the remembered choices: {}", e.getMessage());
      }
    }
    for (Map.Entry<String, String> e : options.overrides().entrySet()) {
      try {
        s.set(e.getKey(), e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("--" + e.getKey() + ": " + ex.getMessage());
      }
    }
    return s;
  }

  /** Loads the model and background, starts frames, then takes the bus name (the unit is ready from then on). */
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
    bus = io.github.vbackcam.service.dbus.SessionBus.connect();
    object = new ControlObject(this);
    object.export(bus);
    LOG.info("on the session bus as {}", io.github.vbackcam.service.dbus.Control1.BUS_NAME);
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
      if (options.statsFile() != null) {
        writeStats();
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("status update failed: {}", e.getMessage());
    }
  }

  private void writeStats() throws IOException {
    LiveStatus s = engine.status();
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    String text = String.format(Locale.ROOT, "state=%s%nfps=%.2f%nlatency_median_ms=%.2f%nlatency_p99_ms=%.2f%n"
        + "frames=%d%ndrops=%d%nconsumers=%d%ncpu_nanos=%d%nwall_nanos=%d%n", s.state().label(), s.fps(),
        s.latencyMs(), s.latencyP99Ms(), s.framesWritten(), s.drops(), s.consumers(), cpu, System.nanoTime());
    Path tmp = options.statsFile().resolveSibling(options.statsFile().getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, options.statsFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  // --- the camera ---------------------------------------------------------------------------------------------

  private final class Camera implements LiveEngine.Camera {
    @Override
    public FrameSource open() throws IOException {
      String spec = cameraSpec;
      VideoSize size = settings.size("size");
      if (spec.equals("auto")) {
        var found = Cameras.find(Path.of("/sys/class/video4linux"));
        if (found.isEmpty()) {
          Path sample = Defaults.sample();
          if (!sample.toString().equals(cameraShown)) {
            LOG.info("no camera found: showing the bundled sample portrait {} as the camera", sample);
          }
          cameraShown = sample.toString();
          return new PacedSource(sample, size, settings.number("still-fps"));
        }
        cameraShown = found.get();
        return openDevice(found.get(), size);
      }
      String path = Settings.expandHome(spec);
      cameraShown = path;
      if (Files.isRegularFile(Path.of(path))) {
        return new PacedSource(Path.of(path), size, settings.number("still-fps"));
      }
      return openDevice(path, size);
    }

    private FrameSource openDevice(String device, VideoSize size) throws IOException {
      var request = new CameraSource.Request(settings.get("camera-format"), settings.size("camera-size"),
          settings.number("camera-fps"));
      return new CameraSource(device, request, size);
    }

    @Override
    public String describe() {
      return cameraShown;
    }
  }

  private static String describeCamera(String spec) {
    return spec.equals("auto") ? "auto" : Settings.expandHome(spec);
  }

  // --- Controls: what D-Bus calls -------------------------------------------------------------------------------

  @Override
  public void setEffect(String kind, Map<String, String> options) {
    Map<String, String> parameters = new LinkedHashMap<>(options);
    parameters.computeIfPresent("path", (k, v) -> absolute(v).toString());
    apply(Effects.parse(kind, parameters), "effect " + kind);
  }

  @Override
  public void setBackground(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("background path is empty");
    }
    apply(Effect.file(absolute(path), Boolean.parseBoolean(hologram())), "background '" + path + "'");
  }

  @Override
  public void setBlur(long radius) {
    apply(Effects.parse("blur", Map.of("radius", Long.toString(radius), Effects.HOLOGRAM, hologram())),
        "blur " + radius);
  }

  @Override
  public void setColor(String color) {
    apply(Effects.parse("color", Map.of("color", String.valueOf(color), Effects.HOLOGRAM, hologram())),
        "colour " + color);
  }

  /** Switches the kind and keeps the last parameters of that kind (and the hologram choice). */
  @Override
  public void setMode(String mode) {
    Effects.parameters(mode); // an unknown mode: the message quotes it and lists the valid ones
    Settings probe;
    synchronized (settings) {
      probe = copyOf(settings);
    }
    probe.set("mode", mode);
    String background = probe.get("background");
    if (mode.equals("video") && (background.isEmpty() || FileTypes.isImage(Path.of(background)))) {
      throw new IllegalArgumentException("mode 'video' needs a video background first: call SetBackground with"
          + " a video file");
    }
    if (mode.equals("image") && !background.isEmpty() && !FileTypes.isImage(Path.of(background))) {
      probe.set("background", "");
    }
    Effect effect;
    try {
      effect = probe.effect(Defaults.defaultBackground());
    } catch (IOException e) {
      throw new IllegalArgumentException("mode '" + mode + "': " + Errors.describe(e));
    }
    apply(effect, "mode '" + mode + "'");
  }

  /** The hologram choice as text, kept by the shorthands that set only a background. */
  private String hologram() {
    synchronized (settings) {
      return settings.get("hologram");
    }
  }

  private static Path absolute(String path) {
    return Path.of(Settings.expandHome(path)).toAbsolutePath();
  }

  private void apply(Effect effect, String what) {
    try {
      engine.setEffect(effect);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use " + what + ": " + Errors.describe(e));
    }
    synchronized (settings) {
      settings.remember(effect);
    }
    saveState();
  }

  @Override
  public void setModel(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model name is empty");
    }
    try {
      engine.setModel(model);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load model '" + model + "': " + Errors.describe(e));
    }
    synchronized (settings) {
      settings.set("model", model);
    }
    saveState();
  }

  private boolean userPaused;
  private boolean anyHold;

  @Override
  public synchronized void pause() {
    userPaused = true;
    engine.pause();
  }

  @Override
  public synchronized void resume() {
    userPaused = false;
    if (!anyHold) {
      engine.resume();
    }
  }

  @Override
  public synchronized void held(boolean held) {
    anyHold = held;
    if (held) {
      engine.pause();
    } else if (!userPaused) {
      engine.resume();
    }
  }

  @Override
  public void reload() {
    Settings fresh;
    try {
      fresh = load(options, false); // the files the user edited win over the remembered choices
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("configuration not reloaded: " + Errors.describe(e));
    }
    String model = fresh.get("model");
    if (!model.equals(settings.get("model"))) {
      setModel(model);
    }
    try {
      apply(fresh.effect(Defaults.defaultBackground()), "the configured effect");
    } catch (IOException e) {
      throw new IllegalArgumentException(Errors.describe(e));
    }
    cameraSpec = fresh.get("camera");
    engine.restartCamera();
    LOG.info("configuration reloaded");
  }

  private void saveState() {
    try {
      synchronized (settings) {
        ConfigFiles.saveState(options.stateFile(), settings);
      }
    } catch (IOException e) {
      LOG.warn("cannot remember the choice in {}: {}", options.stateFile(), Errors.describe(e));
    }
  }

  private static Settings copyOf(Settings s) {
    Settings copy = new Settings();
    for (String key : Settings.KEYS) {
      copy.set(key, s.get(key));
    }
    return copy;
  }

  @Override
  public Status status() {
    List<Path> backgrounds = List.of();
    try {
      backgrounds = Defaults.backgrounds();
    } catch (IOException e) {
      LOG.debug("cannot list backgrounds", e);
    }
    return new Status(Main.Version.version(), backgrounds, device.toString(), engine.status());
  }

  /** Releases the bus name first (no more calls), then stops frames and frees the engine. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (bus != null) {
      try {
        bus.releaseBusName(io.github.vbackcam.service.dbus.Control1.BUS_NAME);
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
    if (options.statsFile() != null) {
      try {
        writeStats();
      } catch (IOException | RuntimeException ignored) {
        // The last figures are a convenience.
      }
    }
  }
}
