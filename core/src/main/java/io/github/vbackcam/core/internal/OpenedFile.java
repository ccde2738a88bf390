package io.github.vbackcam.core.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file opened for reading without blocking and checked on the open descriptor, so that what is checked is what
 * is read. A check by name and a later open by name leave a gap: a name swapped for a FIFO in between sends the
 * reader into {@code open()}, which for a FIFO waits for a writer, forever (a QA run wedged the service's loader so,
 * with SIGTERM unanswered). Here the name is opened once with {@code O_NONBLOCK}, which never waits, the open file
 * is checked (a regular file, within a size), and the decoders (FFmpeg, OpenCV, Java) read {@link #path()}:
 * {@code /proc/self/fd/N}, which names this open file whatever its name points to by then. Linux only, as
 * vbackcam is. Close it once the readers have opened their own descriptors.
 */
public final class OpenedFile implements AutoCloseable {

  private static final int O_RDONLY = 0;
  private static final int O_NOCTTY = 0x100;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int ELOOP = 40;

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private final Path name;
  private final int fd;
  private final long size;
  private boolean closed;

  private OpenedFile(Path name, int fd, long size) {
    this.name = name;
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens {@code path} for reading if it is a readable regular file of at most {@code maxBytes}; anything else
   * (missing, a directory, a FIFO, a device, a socket, too large, unreadable, a loop of links) fails with an
   * {@link IOException} naming the path and saying which, without waiting on anything.
   */
  public static OpenedFile open(Path path, long maxBytes) throws IOException {
    Path real = FileChecks.resolve(path); // names a missing file or a loop of links as such
    int fd;
    try {
      fd = LibC.INSTANCE.open(real.toString(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw switch (e.getErrorCode()) {
        case ENOENT -> new NoSuchFileException(path.toString(), null, "no such file");
        case EACCES -> new FileSystemException(path.toString(), null, "not readable (permissions)");
        case ELOOP -> new FileSystemException(path.toString(), null, "a loop of symbolic links");
        default -> new FileSystemException(path.toString(), null, "cannot open (errno " + e.getErrorCode() + ")");
      };
    }
    OpenedFile file = new OpenedFile(path, fd, 0);
    try {
      BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
      if (!a.isRegularFile()) {
        throw new FileSystemException(path.toString(), null, "not a regular file (" + FileChecks.kind(a) + ")");
      }
      if (a.size() > maxBytes) {
        throw new FileSystemException(path.toString(), null, "too large: " + FileChecks.megabytes(a.size())
            + " (at most " + FileChecks.megabytes(maxBytes) + ")");
      }
      return new OpenedFile(path, fd, a.size());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * The whole content of a regular file of at most {@code maxBytes}, opened as {@link #open} opens it: a FIFO or a
   * device is refused, never waited on or read without end.
   */
  public static byte[] readAllBytes(Path path, long maxBytes) throws IOException {
    try (OpenedFile file = open(path, maxBytes)) {
      return Files.readAllBytes(file.path());
    }
  }

  /** {@code /proc/self/fd/N}: opening it opens this file, whatever has happened to its name since. */
  public Path path() {
    return Path.of("/proc/self/fd/" + fd);
  }

  /** The path as given, for messages. */
  public Path name() {
    return name;
  }

  /** The size in bytes when opened. */
  public long size() {
    return size;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        LibC.INSTANCE.close(fd);
      } catch (LastErrorException e) {
        // A read-only descriptor: nothing is lost if closing it fails.
      }
    }
  }

  @Override
  public String toString() {
    return "OpenedFile(" + name + " as " + path() + ")";
  }
}
