package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.XdgDirs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One service per output: a lock on the output's real path, taken before the output is opened for writing and held
 * until the service ends (the kernel lets go of it if the process dies). The lock files live in the state directory,
 * named by a hash of the path, so devices and files are locked alike without touching them.
 */
final class OutputLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private OutputLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock on {@code output}, or fails at once naming the output if another service holds it. */
  static OutputLock take(String output) throws IOException {
    Path dir = Files.createDirectories(XdgDirs.state().resolve("locks"));
    Path file = dir.resolve("output-" + hash(realPath(output)) + ".lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("output " + output + " is in use by another vbackcam service (lock " + file
          + "); stop that one first, or choose another output");
    }
    return new OutputLock(channel, lock);
  }

  /** The path with links resolved, also for a file that does not exist yet (its directory's real path). */
  private static String realPath(String output) throws IOException {
    Path p = Path.of(output).toAbsolutePath();
    if (Files.exists(p)) {
      return p.toRealPath().toString();
    }
    Path parent = p.getParent();
    return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(p.getFileName()).toString()
        : p.normalize().toString();
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
