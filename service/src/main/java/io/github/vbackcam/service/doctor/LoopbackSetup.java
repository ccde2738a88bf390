package io.github.vbackcam.service.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The last outcome of {@code vbackcam-loopback} (run as root by vbackcam-loopback.service and the package), which it
 * records as one line "STATE DETAIL" in {@code /run/vbackcam/loopback}: {@code ok}, or a problem the user must act
 * on ({@code no-module}, {@code no-control}, {@code secure-boot}, {@code load-failed}, {@code taken}, {@code busy})
 * with the sentence that says what to do. The service can show it as its State no-device's StateDetail.
 */
public record LoopbackSetup(String state, String detail) {

  public static final Path DEFAULT = Path.of("/run/vbackcam/loopback");

  public boolean ok() {
    return state.equals("ok");
  }

  /** The recorded outcome, or empty when the helper has not run since boot (or the file is unreadable). */
  public static Optional<LoopbackSetup> read(Path file) {
    try {
      String line = Files.readString(file).trim();
      int space = line.indexOf(' ');
      return line.isEmpty() ? Optional.empty() : Optional.of(space < 0 ? new LoopbackSetup(line, "")
          : new LoopbackSetup(line.substring(0, space), line.substring(space + 1)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
