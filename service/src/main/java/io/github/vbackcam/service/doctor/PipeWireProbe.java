package io.github.vbackcam.service.doctor;

import io.github.vbackcam.core.internal.pipewire.PipeWireStream;
import java.io.IOException;

/**
 * PipeWire as {@code vbackcam run} would find it now.
 *
 * @param version libpipewire's version ({@code pw_get_library_version}), or empty when the library cannot be loaded
 * @param daemon the socket where the daemon answered, or empty when none did
 * @param problem why there is no version or no daemon, in one line; empty when both are there
 */
public record PipeWireProbe(String version, String daemon, String problem) {

  /** Loads libpipewire and connects to the daemon once, publishing nothing. */
  public static PipeWireProbe probe() {
    String version;
    try {
      version = PipeWireStream.libraryVersion();
    } catch (IOException e) {
      return new PipeWireProbe("", "", e.getMessage());
    }
    try {
      return new PipeWireProbe(version, PipeWireStream.reachDaemon(), "");
    } catch (IOException e) {
      return new PipeWireProbe(version, "", e.getMessage());
    }
  }

  /** Whether a node would be published now. */
  public boolean answers() {
    return !daemon.isEmpty();
  }
}
