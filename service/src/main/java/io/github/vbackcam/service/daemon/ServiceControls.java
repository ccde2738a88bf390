package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.live.PauseReason;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.Main;
import io.github.vbackcam.service.config.Settings;
import io.github.vbackcam.service.dbus.Controls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What D-Bus calls do to the service: every change goes to the engine first and is remembered only once the engine
 * took it, so a rejected call changes nothing.
 */
final class ServiceControls implements Controls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceControls.class);

  private final Settings settings;
  private final SettingsStore store;
  private final LiveEngine engine;
  private final ConfiguredCamera camera;
  private final String device;
  private final String inference;
  private final Loader loader = new Loader();

  /** The largest image file read as a background (its pixels are limited separately, from the header). */
  static final long MAX_IMAGE_BYTES = 256L * 1000 * 1000;
  /** How long a D-Bus call waits for its background to open. */
  static final Duration EFFECT_DEADLINE = Duration.ofSeconds(15);
  /** How long a D-Bus call waits for its model to load (a first load converts and caches it). */
  static final Duration MODEL_DEADLINE = Duration.ofSeconds(60);

  private static final String NOT_RELOADED = "configuration not reloaded: ";

  ServiceControls(Settings settings, SettingsStore store, LiveEngine engine, ConfiguredCamera camera,
                  String device, String inference) {
    this.settings = settings;
    this.store = store;
    this.engine = engine;
    this.camera = camera;
    this.device = device;
    this.inference = inference;
  }

  @Override
  public void setEffect(String kind, Map<String, String> options) {
    String what = "effect " + Errors.cut(kind);
    apply(checked(() -> {
      Map<String, String> parameters = new LinkedHashMap<>(options);
      // A blank path is left to Effects, whose message says the kind needs one.
      parameters.computeIfPresent("path", (k, v) -> v.isBlank() ? v : absolute(v).toString());
      return Effects.parse(kind, parameters);
    }, what), what);
  }

  @Override
  public void setBackground(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("background path is empty");
    }
    String what = "background '" + Errors.cut(path) + "'";
    apply(checked(() -> Effect.file(absolute(path), Boolean.parseBoolean(hologram())), what), what);
  }

  @Override
  public void setBlur(long radius) {
    String what = "blur " + radius;
    apply(checked(() -> Effects.parse("blur", Map.of("radius", Long.toString(radius), Effects.HOLOGRAM,
        hologram())), what), what);
  }

  @Override
  public void setColor(String color) {
    String what = "colour " + Errors.cut(color);
    apply(checked(() -> Effects.parse("color", Map.of("color", String.valueOf(color), Effects.HOLOGRAM,
        hologram())), what), what);
  }

  /** Switches the kind and keeps the last parameters of that kind (and the hologram choice). */
  @Override
  public void setMode(String mode) {
    Effects.parameters(mode); // an unknown mode: the message quotes it and lists the valid ones
    apply(() -> modeEffect(mode), "mode '" + mode + "'");
  }

  /** The effect of {@code mode} with the remembered parameters, read when the change runs (after earlier ones). */
  private Effect modeEffect(String mode) throws IOException {
    Settings probe;
    synchronized (settings) {
      probe = copyOf(settings);
    }
    probe.set("mode", mode);
    String background = probe.get("background");
    if (mode.equals("video") && (background.isEmpty() || FileTypes.isPicture(Path.of(background)))) {
      throw new IllegalArgumentException("mode 'video' needs a video background first: call SetBackground with"
          + " a video file");
    }
    if (mode.equals("image") && !background.isEmpty() && !FileTypes.isPicture(Path.of(background))) {
      probe.set("background", "");
    }
    return probe.effect(Defaults.defaultBackground());
  }

  /** The hologram choice as text, kept by the shorthands that set only a background. */
  private String hologram() {
    synchronized (settings) {
      return settings.get("hologram");
    }
  }

  /**
   * A path from a D-Bus caller, {@code ~} expanded as everywhere else; a relative one is refused: the service would
   * resolve it against its own working directory (under systemd, not the caller's), so it could only name the
   * wrong file. vbackcamctl makes its arguments absolute before calling.
   */
  static Path absolute(String path) {
    Path p = Path.of(Settings.expandHome(path));
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute path: " + Errors.cut(path));
    }
    return p;
  }

  /**
   * Whether {@code model} names a file or folder rather than a model of the catalog: it holds a {@code /} or ends
   * in {@code .json}.
   */
  static boolean isModelPath(String model) {
    return model.contains("/") || model.endsWith(".json");
  }

  /** A model as the configuration names it, with {@code ~} expanded in a path (a name of the catalog unchanged). */
  static String modelSpec(String model) {
    return isModelPath(model) ? Settings.expandHome(model) : model;
  }

  /**
   * Checks the files an effect reads before any of them is opened: regular files only, images within the pixel
   * limit by their header, a picture never played as a video (see {@link FileChecks}).
   */
  static void checkFiles(Effect effect) throws IOException {
    if (effect instanceof Effect.Image image) {
      FileChecks.image(image.path(), MAX_IMAGE_BYTES);
    } else if (effect instanceof Effect.Video video) {
      FileChecks.video(video.path());
    }
  }

  /**
   * A model given by path is checked before it is parsed, and a path to nothing is named as such; the names of the
   * catalog, and other words, are left to the catalog, whose message lists the models there are.
   */
  static void checkModelFiles(String model) throws IOException {
    if (ModelCatalog.NAMES.contains(model)) {
      return;
    }
    Path path = Path.of(modelSpec(model));
    if (Files.exists(path) || Files.isSymbolicLink(path)) {
      FileChecks.model(path);
    } else if (isModelPath(model)) {
      throw new NoSuchFileException(model, null, "no such file");
    }
  }

  /** Makes an effect when its change runs. */
  private interface EffectSource {
    Effect get() throws IOException;
  }

  /**
   * The effect, made and its files checked on the caller's thread: a bad value or file is refused at once and never
   * supersedes a good request waiting on the loader (the files are checked again when the change runs).
   */
  private static EffectSource checked(EffectSource make, String what) {
    Effect effect;
    try {
      effect = make.get();
      checkFiles(effect);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use " + what + ": " + Errors.withoutContent(e));
    }
    return () -> effect;
  }

  /** Makes the effect on the loader thread (after every earlier change), opens it, then remembers it. */
  private void apply(EffectSource next, String what) {
    loader.run("effect", what, EFFECT_DEADLINE, () -> {
      Effect effect;
      try {
        effect = next.get();
        checkFiles(effect);
        engine.setEffect(effect);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cannot use " + what + ": " + Errors.withoutContent(e));
      }
      synchronized (settings) {
        settings.remember(effect);
      }
      store.save(settings);
    });
  }

  /**
   * A path must be absolute ({@code ~} expanded) and is checked on the caller's thread, so a missing or bad file is
   * refused at once and never supersedes a good request waiting on the loader (it is checked again when it runs).
   */
  @Override
  public void setModel(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model name is empty");
    }
    String what = "model '" + Errors.cut(model) + "'";
    String spec;
    try {
      spec = isModelPath(model) ? absolute(model).toString() : model;
      checkModelFiles(spec);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load " + what + ": " + Errors.withoutContent(e));
    }
    loader.run("model", what, MODEL_DEADLINE, () -> {
      if (spec.equals(engine.status().model())) {
        LOG.info("{} is already in use", what); // a reload would cost a load's time and native memory for nothing
        return;
      }
      loadModel(spec, what);
      synchronized (settings) {
        settings.set("model", spec);
      }
      store.save(settings);
    });
  }

  private void loadModel(String model, String what) {
    try {
      checkModelFiles(model);
      engine.setModel(modelSpec(model));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load " + what + ": " + Errors.withoutContent(e));
    }
  }

  @Override
  public void pause() {
    engine.pause(PauseReason.USER);
  }

  @Override
  public void resume() {
    engine.resume(PauseReason.USER);
  }

  @Override
  public void held(boolean anyHold) {
    if (anyHold) {
      engine.pause(PauseReason.HOLD);
    } else {
      engine.resume(PauseReason.HOLD);
    }
  }

  /**
   * Applies the configuration files, all or nothing: every value is checked and the background's files are checked
   * before anything changes; if the effect still fails after the model was switched, the old model comes back. A
   * value that parses but cannot be used (a model that does not load, a background that cannot be read) is named
   * with the file and line that set it.
   */
  @Override
  public void reload() {
    loader.run("reload", "reload", MODEL_DEADLINE, () -> {
      Settings fresh;
      Effect effect;
      try {
        fresh = store.load(false); // the files the user edited win over the remembered choices
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(NOT_RELOADED + Errors.withoutContent(e));
      }
      try {
        effect = fresh.effect(Defaults.defaultBackground());
        checkFiles(effect);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(NOT_RELOADED + where(fresh, "background", "mode")
            + Errors.withoutContent(e));
      }
      String model = modelSpec(fresh.get("model"));
      String previous = engine.status().model();
      boolean newModel = !model.equals(previous);
      if (newModel) {
        try {
          loadModel(model, "model '" + Errors.cut(model) + "'");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(NOT_RELOADED + where(fresh, "model") + e.getMessage());
        }
      }
      try {
        engine.setEffect(effect);
      } catch (IOException | RuntimeException e) {
        if (newModel && previous != null) {
          loadModel(previous, "the previous model '" + previous + "'");
        }
        throw new IllegalArgumentException(NOT_RELOADED + where(fresh, "background", "mode")
            + Errors.withoutContent(e));
      }
      synchronized (settings) {
        settings.set("model", model);
        settings.remember(effect);
      }
      store.save(settings);
      camera.use(fresh.get("camera"));
      engine.restartCamera();
      LOG.info("configuration reloaded");
    });
  }

  /** "FILE:LINE: " of the first of {@code keys} that a file set, or nothing: for a message about its value. */
  static String where(Settings settings, String... keys) {
    for (String key : keys) {
      var origin = settings.origin(key);
      if (origin.isPresent()) {
        return origin.get() + ": ";
      }
    }
    return "";
  }

  private static Settings copyOf(Settings s) {
    Settings copy = new Settings();
    for (String key : Settings.KEYS) {
      copy.set(key, s.get(key));
    }
    return copy;
  }

  /** Drops changes still waiting; one in progress finishes on the loader's own (daemon) thread. */
  @Override
  public void close() {
    loader.close();
  }

  @Override
  public Status status() {
    List<Path> backgrounds = List.of();
    try {
      backgrounds = Defaults.backgrounds();
    } catch (IOException e) {
      LOG.debug("cannot list backgrounds", e);
    }
    return new Status(Main.Version.version(), backgrounds, device, inference, engine.status());
  }
}
