package io.github.vbackcam.core.tfjs;

import java.io.IOException;
import java.nio.file.Path;

/** A TF.js model file is unusable. The message always starts with the file it is about, then states the problem. */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ModelFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public ModelFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file the problem is in (model.json or one of its shards). */
  public Path file() {
    return file;
  }
}
