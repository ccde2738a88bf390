package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.live.PauseReason;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.Main;
import io.github.vbackcam.service.config.Settings;
import io.github.vbackcam.service.dbus.Controls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What D-Bus calls do to the service: every change goes to the engine first and is remembered only once the engine
 * took it, so a rejected call changes nothing.
 */
final class ServiceControls implements Controls {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceControls.class);

  private final Settings settings;
  private final SettingsStore store;
  private final LiveEngine engine;
  private final ConfiguredCamera camera;
  private final String device;

  ServiceControls(Settings settings, SettingsStore store, LiveEngine engine, ConfiguredCamera camera,
                  String device) {
    this.settings = settings;
    this.store = store;
    this.engine = engine;
    this.camera = camera;
    this.device = device;
  }

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
    store.save(settings);
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
    store.save(settings);
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

  @Override
  public void reload() {
    Settings fresh;
    try {
      fresh = store.load(false); // the files the user edited win over the remembered choices
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
    camera.use(fresh.get("camera"));
    engine.restartCamera();
    LOG.info("configuration reloaded");
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
    return new Status(Main.Version.version(), backgrounds, device, engine.status());
  }
}
