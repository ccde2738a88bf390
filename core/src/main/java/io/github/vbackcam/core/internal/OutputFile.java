package io.github.vbackcam.core.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output written beside its target and moved into place only when finished, so whatever stood at the target
 * stays intact until then. The temporary file keeps the target's extension (writers pick the format by it) and is
 * hidden ({@code .vbackcam-RANDOM-NAME}).
 */
public final class OutputFile {

  private final Path target;
  private final Path temporary;

  private OutputFile(Path target, Path temporary) {
    this.target = target;
    this.temporary = temporary;
  }

  /**
   * Plans writing {@code output}; refuses (before anything is written) an output that is {@code input} itself, by
   * the same name or through a symbolic or hard link, and an output that is a directory. A symbolic link as output
   * is followed: the file it points to is replaced.
   */
  public static OutputFile beside(Path input, Path output) throws IOException {
    Path target = output.toAbsolutePath();
    if (Files.isSymbolicLink(target)) {
      target = FileChecks.resolve(target);
    }
    if (Files.isDirectory(target)) {
      throw new IOException("cannot write " + output + ": it is a directory");
    }
    if (Files.exists(target) && Files.exists(input) && Files.isSameFile(input, target)) {
      throw new IOException("output " + output + " is the input file " + input + ": writing it would destroy the"
          + " input; choose another output name");
    }
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("cannot write " + output + ": directory " + dir + " does not exist");
    }
    String name = ".vbackcam-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "-"
        + target.getFileName();
    return new OutputFile(target, dir.resolve(name));
  }

  /** Where the writer writes. */
  public Path temporary() {
    return temporary;
  }

  /** The file the output replaces when done. */
  public Path target() {
    return target;
  }

  /** Moves the finished output into place (atomically where the file system can). */
  public void commit() throws IOException {
    if (!Files.exists(temporary, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("no output was written to " + target);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes the temporary file if it is still there; the target is untouched. */
  public void discard() throws IOException {
    Files.deleteIfExists(temporary);
  }
}
