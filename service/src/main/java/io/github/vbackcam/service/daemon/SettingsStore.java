package io.github.vbackcam.service.daemon;

import io.github.vbackcam.service.Errors;
import io.github.vbackcam.service.config.ConfigFiles;
import io.github.vbackcam.service.config.Settings;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the service's settings come from and where its choices are remembered. */
final class SettingsStore {

  private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);

  private final Daemon.Options options;

  SettingsStore(Daemon.Options options) {
    this.options = options;
  }

  /**
   * Defaults, then each configuration file, then the remembered choices (if asked), then the command line. A state
   * file that cannot be read is moved aside with a log line, and the configured values are used: the service the
   * user configured always starts.
   */
  Settings load(boolean withState) throws IOException {
    Settings s = configured();
    if (withState) {
      try {
        ConfigFiles.applyState(options.stateFile(), s);
      } catch (IOException | IllegalArgumentException e) {
        String why = Errors.withoutContent(e);
        try {
          LOG.warn("ignoring the remembered choices: {}; moved aside to {}", why,
              ConfigFiles.setAside(options.stateFile()));
        } catch (IOException moving) {
          LOG.warn("ignoring the remembered choices: {}; cannot move the file aside: {}", why,
              Errors.describe(moving));
        }
        s = configured();
      }
    }
    for (Map.Entry<String, String> e : options.overrides().entrySet()) {
      try {
        s.set(e.getKey(), e.getValue(), "--" + e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("--" + e.getKey() + ": " + ex.getMessage());
      }
    }
    return s;
  }

  private Settings configured() throws IOException {
    Settings s = new Settings();
    for (var f : options.configFiles()) {
      ConfigFiles.apply(f, s);
    }
    return s;
  }

  /** Remembers the choices in the state file; a failure is logged with the file, the choice stays in effect. */
  void save(Settings settings) {
    try {
      synchronized (settings) {
        ConfigFiles.saveState(options.stateFile(), settings);
      }
    } catch (IOException e) {
      LOG.warn("cannot remember the choice in {}: {}", options.stateFile(), Errors.describe(e));
    }
  }
}
