package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FileTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens output files by extension, with errors that name the file and the problem. */
public final class Sinks {
  private Sinks() {}

  public static FrameSink open(Path path, VideoSize size, double frameRate) throws IOException {
    if (FileTypes.isImage(path)) {
      return new ImageSink(path);
    }
    return new VideoFileSink(path, size, frameRate);
  }

  /** Fails with a message naming the problem when {@code path} cannot be created or replaced. */
  public static void checkWritable(Path path) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("cannot write " + path + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new IOException("cannot write " + path + ": directory " + dir + " is not writable");
    }
    if (Files.isDirectory(path)) {
      throw new IOException("cannot write " + path + ": it is a directory");
    }
  }
}
