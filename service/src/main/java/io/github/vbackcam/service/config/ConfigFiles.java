package io.github.vbackcam.service.config;

import io.github.vbackcam.core.XdgDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code key = value} files: {@code #} starts a comment line, blank lines are ignored. Errors name
 * the file and the line.
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  /** The system file, then the user's: later files override earlier ones. */
  public static List<Path> defaultFiles() {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("/etc/vbackcam/vbackcam.conf"));
    files.add(XdgDirs.config().resolve("vbackcam.conf"));
    return files;
  }

  /** Where run-time choices are remembered: {@code $XDG_STATE_HOME/vbackcam/state}. */
  public static Path stateFile() {
    return XdgDirs.state().resolve("state");
  }

  /** Applies {@code file} to {@code settings} if it exists; a bad line fails with "FILE:LINE: problem". */
  public static void apply(Path file, Settings settings) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(file + ":" + (i + 1) + ": expected key = value, got '" + line + "'");
      }
      try {
        settings.set(line.substring(0, eq).strip(), line.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
  }

  /** Writes the remembered keys atomically. */
  public static void saveState(Path file, Settings settings) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder("# vbackcam's last choices (written by the service; safe to delete)\n");
    for (String key : Settings.REMEMBERED) {
      text.append(key).append(" = ").append(settings.get(key)).append('\n');
    }
    Path tmp = Files.createTempFile(file.getParent(), "state", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** A configuration file problem, with file and line in the message. */
  public static final class ConfigException extends IOException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
