package io.github.vbackcam.core;

import java.nio.file.Path;

/**
 * vbackcam's own folders in the user's XDG base directories: {@code $XDG_CONFIG_HOME/vbackcam} and so on. As the
 * XDG Base Directory specification says, an unset, empty or relative variable is ignored and the default under
 * the home directory is used.
 */
public final class XdgDirs {
  private static final String APP = "vbackcam";

  private XdgDirs() {}

  /** {@code $XDG_CONFIG_HOME/vbackcam}, default {@code ~/.config/vbackcam}. */
  public static Path config() {
    return dir("XDG_CONFIG_HOME", ".config");
  }

  /** {@code $XDG_DATA_HOME/vbackcam}, default {@code ~/.local/share/vbackcam}. */
  public static Path data() {
    return dir("XDG_DATA_HOME", ".local/share");
  }

  /** {@code $XDG_STATE_HOME/vbackcam}, default {@code ~/.local/state/vbackcam}. */
  public static Path state() {
    return dir("XDG_STATE_HOME", ".local/state");
  }

  /** {@code $XDG_CACHE_HOME/vbackcam}, default {@code ~/.cache/vbackcam}. */
  public static Path cache() {
    return dir("XDG_CACHE_HOME", ".cache");
  }

  private static Path dir(String variable, String underHome) {
    String value = System.getenv(variable);
    Path base = value != null && !value.isBlank() && Path.of(value).isAbsolute()
        ? Path.of(value)
        : Path.of(System.getProperty("user.home")).resolve(underHome);
    return base.resolve(APP);
  }
}
