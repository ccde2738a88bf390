package io.github.vbackcam.service.config;

import io.github.vbackcam.core.internal.FileTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the {@code output} setting names. The service opens it and {@code doctor} checks it by this one rule. */
public enum OutputKind {
  /** {@code output = pipewire}: the PipeWire camera node alone, no v4l2loopback device. */
  PIPEWIRE_NODE,
  /** A path outside {@code /dev} that is a regular file or does not exist yet: a Y4M file. */
  Y4M_FILE,
  /** Anything else: a v4l2loopback device. */
  LOOPBACK_DEVICE;

  /** The {@code output} value that names the PipeWire node alone. */
  private static final String PIPEWIRE = "pipewire";

  public static OutputKind of(String output) {
    if (output.equals(PIPEWIRE)) {
      return PIPEWIRE_NODE;
    }
    Path p = Path.of(output);
    // A folder is a file output given without its name: fileProblem says so, rather than a device check saying
    // "missing" of something that exists.
    return !output.startsWith("/dev/") && (!Files.exists(p) || Files.isRegularFile(p) || Files.isDirectory(p))
        ? Y4M_FILE : LOOPBACK_DEVICE;
  }

  /** Why a {@link #Y4M_FILE} output cannot be written (one line), or empty when it can. */
  public static Optional<String> fileProblem(String output) {
    Path p = Path.of(output).toAbsolutePath();
    if (Files.isDirectory(p)) {
      return Optional.of("output '" + output + "' is a folder: name a .y4m file in it, a v4l2loopback device such as"
          + " /dev/video20, or pipewire");
    }
    if (!FileTypes.extension(p).equals("y4m")) {
      return Optional.of("output '" + output + "' is a regular file: give it the .y4m extension (the service writes"
          + " Y4M to files)");
    }
    if (!Files.isDirectory(p.getParent())) {
      return Optional.of("output '" + output + "': its folder " + p.getParent() + " does not exist");
    }
    return Optional.empty();
  }
}
