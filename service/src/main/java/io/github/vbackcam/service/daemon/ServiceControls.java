package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.composite.Background;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.live.PauseReason;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.segment.Segmenter;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.Main;
import io.github.vbackcam.service.config.FileReads;
import io.github.vbackcam.service.config.Settings;
import io.github.vbackcam.service.dbus.Controls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What D-Bus calls do to the service: every change is loaded first (files read, background opened, model loaded)
 * and put in use and remembered only once that succeeded in time, so a rejected or stuck call changes nothing. The
 * {@link Loader} runs the loads, on threads it may abandon; every file a caller names is first probed with a bounded
 * read ({@link FileReads}), so a file whose read never returns is refused within seconds.
 */
public final class ServiceControls implements Controls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceControls.class);

  private final Settings settings;
  private final SettingsStore store;
  private final LiveEngine engine;
  private final SegmenterFactory models;
  private final ConfiguredCamera camera;
  private final String device;
  private final String inference;
  private final Loader loader = new Loader();
  private final BundledBackgrounds backgrounds = new BundledBackgrounds();

  /** The largest image file read as a background (its pixels are limited separately, from the header). */
  static final long MAX_IMAGE_BYTES = 256L * 1000 * 1000;
  /** How long a D-Bus call waits for its background to open. */
  static final Duration EFFECT_DEADLINE = Duration.ofSeconds(15);
  /** How long a D-Bus call waits for its model to load (a first load converts and caches it). */
  static final Duration MODEL_DEADLINE = Duration.ofSeconds(60);

  private static final String NOT_RELOADED = "configuration not reloaded: ";

  /** The kinds of change the {@link Loader} runs (effect, model, reload), each holding at most two callers. */
  private static final int LOADER_KINDS = 3;
  /**
   * How many callers may check their files on their own thread at once, each up to {@link FileReads#LIMIT} on a
   * file that does not answer: what {@link Controls#MAX_WAITING_CALLS} leaves after the loader's callers.
   */
  static final int FILE_CHECKS = Controls.MAX_WAITING_CALLS - 2 * LOADER_KINDS;
  /** How long a caller waits for its turn to check files: a burst of calls on good files all get theirs. */
  static final Duration FILE_CHECK_TURN = Duration.ofSeconds(1);

  private final Semaphore fileChecks = new Semaphore(FILE_CHECKS);
  /** The callers' threads in a file check, interrupted when the service stops. Guarded by itself. */
  private final Set<Thread> checking = new HashSet<>();
  private volatile boolean closed;

  /** What each kind of change sets; a change is dropped if a later request set any of it first. */
  private static final Set<String> EFFECT = Set.of("effect");
  private static final Set<String> MODEL = Set.of("model");
  private static final Set<String> EFFECT_AND_MODEL = Set.of("effect", "model");

  ServiceControls(Settings settings, SettingsStore store, LiveEngine engine, SegmenterFactory models,
                  ConfiguredCamera camera, String device, String inference) {
    this.settings = settings;
    this.store = store;
    this.engine = engine;
    this.models = models;
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
      // The kind trimmed, as its parameters are (Effects) and the mode key in a file: "none " is none.
      return Effects.parse(kind == null ? "" : kind.strip(), parameters);
    }, what), what);
  }

  @Override
  public void setBackground(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("background path is empty");
    }
    String what = "background '" + Errors.cut(path) + "'";
    apply(checked(() -> {
      Path file = absolute(path);
      boolean hologram = Boolean.parseBoolean(hologram());
      // Reads a PNG's or WebP's header.
      return checkingFiles(what, () -> FileReads.read(file, () -> Effect.file(file, hologram)));
    }, what), what);
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

  /**
   * Switches the kind and keeps the last parameters of that kind (and the hologram choice). The mode is trimmed, as
   * SetEffect's kind and every value in a file are: "none " is none.
   */
  @Override
  public void setMode(String mode) {
    String kind = mode == null ? "" : mode.strip();
    Effects.parameters(kind); // an unknown mode: the message quotes it and lists the valid ones
    apply(() -> modeEffect(kind), "mode '" + Errors.cut(kind) + "'");
  }

  /** The effect of {@code mode} with the remembered parameters, read when the change runs (after earlier ones). */
  private Effect modeEffect(String mode) throws IOException {
    Settings probe;
    synchronized (settings) {
      probe = copyOf(settings);
    }
    probe.set("mode", mode);
    String background = probe.get("background");
    if (!background.isEmpty()) {
      FileReads.probe(Path.of(background)); // FileTypes.isPicture reads a PNG's or WebP's header
    }
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

  /**
   * A model as the configuration names it, with {@code ~} expanded in a path (a name of the catalog unchanged), and
   * a model folder as its {@code model.json}: the catalog would take the first {@code .json} of any directory.
   */
  static String modelSpec(String model) {
    if (!isModelPath(model)) {
      return model;
    }
    Path path = Path.of(Settings.expandHome(model));
    return Files.isDirectory(path) ? path.resolve(MODEL_JSON).toString() : path.toString();
  }

  /** The file a model folder must hold. */
  static final String MODEL_JSON = "model.json";

  /**
   * Checks the files an effect reads before any of them is opened: regular files only, images within the pixel
   * limit by their header, a picture never played as a video (see {@link FileChecks}); within a bounded read
   * ({@link FileReads}), as this runs on a D-Bus caller's thread too.
   */
  static void checkFiles(Effect effect) throws IOException {
    if (effect instanceof Effect.Image image) {
      FileReads.read(image.path(), () -> {
        FileChecks.image(image.path(), MAX_IMAGE_BYTES);
        return null;
      });
    } else if (effect instanceof Effect.Video video) {
      FileReads.read(video.path(), () -> {
        FileChecks.video(video.path());
        return null;
      });
    }
  }

  /**
   * A model given by path is checked before it is parsed: a folder must hold a {@code model.json} (it is a model
   * folder, nothing else), each file is probed with a bounded read, and a path to nothing is named as such; the names
   * of the catalog, and other words, are left to the catalog, whose message lists the models there are.
   */
  public static void checkModelFiles(String model) throws IOException {
    if (ModelCatalog.NAMES.contains(model)) {
      return;
    }
    Path given = Path.of(Settings.expandHome(model));
    FileReads.probe(given);
    Path path = Path.of(modelSpec(model));
    if (!path.equals(given) && !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(model, null, "a folder without " + MODEL_JSON + ", so not a model folder");
    }
    if (Files.exists(path) || Files.isSymbolicLink(path)) {
      FileReads.probe(path);
      FileChecks.model(path);
      try (var files = Files.newDirectoryStream(FileChecks.resolve(path).getParent(), "*.bin")) {
        for (Path shard : files) {
          FileReads.probe(shard);
        }
      }
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
  private EffectSource checked(EffectSource make, String what) {
    Effect effect;
    try {
      effect = make.get();
      if (effect instanceof Effect.Image || effect instanceof Effect.Video) {
        checkingFiles(what, () -> {
          checkFiles(effect);
          return null;
        });
      }
    } catch (NotChecked e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use " + what + ": " + Errors.withoutContent(e));
    }
    return () -> effect;
  }

  /** A check of files on a D-Bus caller's thread. */
  private interface FileCheck<T> {
    T run() throws IOException;
  }

  /** The call was not checked: too many others wait for their files, or the service is stopping. */
  static final class NotChecked extends IllegalStateException {
    NotChecked(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code check} on the caller's thread once fewer than {@link #FILE_CHECKS} other callers are in one, waiting
   * for that up to {@link #FILE_CHECK_TURN}: files on a hung mount hold each check for seconds, and callers beyond
   * them are refused instead of holding more of the connection's threads, which stay free for property reads and
   * quick calls. A check or a wait in progress when the service stops is cut short.
   */
  private <T> T checkingFiles(String what, FileCheck<T> check) throws IOException {
    Thread caller = Thread.currentThread();
    boolean turn = false;
    try {
      synchronized (checking) {
        if (closed) {
          throw stopping(what);
        }
        checking.add(caller);
      }
      turn = fileChecks.tryAcquire(FILE_CHECK_TURN.toMillis(), TimeUnit.MILLISECONDS);
      if (!turn) {
        throw new NotChecked(what + " not applied: " + FILE_CHECKS + " other calls are waiting for files that have"
            + " not answered yet (a hung network or FUSE mount?); try again in a few seconds");
      }
      return check.run();
    } catch (InterruptedException e) {
      throw closed ? stopping(what) : new NotChecked("interrupted while waiting to check the files of " + what);
    } catch (IOException | RuntimeException e) {
      if (closed) {
        throw stopping(what);
      }
      throw e;
    } finally {
      synchronized (checking) {
        checking.remove(caller);
        Thread.interrupted(); // close()'s interrupt is answered here, never left to dbus-java's thread
      }
      if (turn) {
        fileChecks.release();
      }
    }
  }

  private static NotChecked stopping(String what) {
    return new NotChecked("the service is stopping; " + what + " was not applied");
  }

  /** An effect with its background opened ({@code null} for none): what an effect change loads. */
  record Opened(Effect effect, Background background) {
    void close() {
      if (background != null) {
        background.close();
      }
    }
  }

  /** Checks the effect's files and opens its background, without putting it in use. */
  static Opened open(Effect effect) throws IOException {
    checkFiles(effect);
    return new Opened(effect, effect instanceof Effect.None ? null : effect.open());
  }

  /**
   * Makes the effect on a loader thread (after every earlier effect change) and opens it, then puts it in use and
   * remembers it in the state file if {@code save}.
   */
  private void apply(EffectSource next, String what, boolean save) {
    loader.run("effect", EFFECT, what, EFFECT_DEADLINE, new Loader.Change<Opened>() {
      @Override
      public Opened load() {
        try {
          return open(next.get());
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException("cannot use " + what + ": " + Errors.withoutContent(e));
        }
      }

      @Override
      public void commit(Opened opened) {
        engine.useEffect(opened.effect(), opened.background());
        synchronized (settings) {
          settings.remember(opened.effect());
        }
        if (save) {
          store.save(settings);
        }
      }

      @Override
      public void discard(Opened opened) {
        opened.close();
      }
    });
  }

  private void apply(EffectSource next, String what) {
    apply(next, what, true);
  }

  /**
   * The remembered or configured effect at start, before frames flow: loaded as a call's would be, within the same
   * deadline, and not written back to the state file (a file the configuration names stays the configuration's).
   */
  void startWith(Effect effect, String what) {
    apply(() -> effect, what, false);
  }

  /** As {@link #startWith(Effect, String)}, for the model. */
  void startWithModel(String model) {
    switchModel(model, "model " + Errors.cut(model), false);
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
      checkingFiles(what, () -> {
        checkModelFiles(spec);
        return null;
      });
    } catch (NotChecked e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load " + what + ": " + Errors.withoutContent(e));
    }
    switchModel(spec, what, true);
  }

  /** Loads the model on a loader thread (after every earlier model change), then puts it in use and remembers it. */
  private void switchModel(String spec, String what, boolean save) {
    loader.run("model", MODEL, what, MODEL_DEADLINE, new Loader.Change<Segmenter>() {
      @Override
      public Segmenter load() {
        if (modelSpec(spec).equals(engine.status().model())) {
          LOG.info("{} is already in use", what); // a reload would cost a load's time and native memory for nothing
          return null;
        }
        return loadModel(spec, what);
      }

      @Override
      public void commit(Segmenter loaded) {
        if (loaded == null) {
          return;
        }
        engine.useModel(modelSpec(spec), loaded);
        synchronized (settings) {
          settings.set("model", spec);
        }
        if (save) {
          store.save(settings);
        }
      }

      @Override
      public void discard(Segmenter loaded) {
        if (loaded != null) {
          loaded.close();
        }
      }
    });
  }

  private Segmenter loadModel(String model, String what) {
    try {
      checkModelFiles(model);
      return models.open(modelSpec(model));
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

  /** What a reload loads: the files' settings, their effect opened, and their model when it is another. */
  private record Reloaded(Settings fresh, Opened effect, String model, Segmenter segmenter) {}

  /**
   * Applies the configuration files, all or nothing: every value is checked, the background opened and the model
   * loaded before anything changes. A value that parses but cannot be used (a model that does not load, a
   * background that cannot be read) is named with the file and line that set it.
   */
  @Override
  public void reload() {
    loader.run("reload", EFFECT_AND_MODEL, "reload", MODEL_DEADLINE, new Loader.Change<Reloaded>() {
      @Override
      public Reloaded load() {
        Settings fresh;
        Opened effect;
        try {
          fresh = store.load(false); // the files the user edited win over the remembered choices
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(NOT_RELOADED + Errors.withoutContent(e));
        }
        try {
          effect = open(fresh.effect(Defaults.defaultBackground()));
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(NOT_RELOADED + where(fresh, "background", "mode")
              + Errors.withoutContent(e));
        }
        String model = fresh.get("model");
        if (modelSpec(model).equals(engine.status().model())) {
          return new Reloaded(fresh, effect, model, null);
        }
        try {
          return new Reloaded(fresh, effect, model, loadModel(model, "model '" + Errors.cut(model) + "'"));
        } catch (IllegalArgumentException e) {
          effect.close();
          throw new IllegalArgumentException(NOT_RELOADED + where(fresh, "model") + e.getMessage());
        }
      }

      @Override
      public void commit(Reloaded r) {
        if (r.segmenter() != null) {
          engine.useModel(modelSpec(r.model()), r.segmenter());
        }
        engine.useEffect(r.effect().effect(), r.effect().background());
        synchronized (settings) {
          settings.set("model", r.model());
          settings.remember(r.effect().effect());
        }
        store.save(settings);
        camera.use(r.fresh().get("camera"));
        engine.restartCamera();
        LOG.info("configuration reloaded");
      }

      @Override
      public void discard(Reloaded r) {
        r.effect().close();
        if (r.segmenter() != null) {
          r.segmenter().close();
        }
      }
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

  /**
   * Answers every change still waiting or loading, and every caller still checking files; nothing is put in use
   * from now on.
   */
  @Override
  public void close() {
    synchronized (checking) {
      closed = true;
      checking.forEach(Thread::interrupt); // FileReads' wait ends at once: "interrupted while reading"
    }
    loader.close();
  }

  @Override
  public Status status() {
    return new Status(Main.Version.version(), backgrounds.list(), device, inference, engine.status());
  }
}
