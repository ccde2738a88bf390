package io.github.vbackcam.service.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads of a file the user named, bounded in time. A regular file can block its reader for ever: {@code /proc/kmsg},
 * any file on a hung NFS, sshfs or FUSE mount (even its {@code stat}). Java cannot interrupt such a read, so each
 * runs on a daemon thread of its own; past {@link #LIMIT} the caller hears "FILE: did not finish reading within 5 s"
 * and the thread is left blocked, never reused. Probes of a file at the same time share one read; a read that has
 * had its time is not waited on again (the path may name another file by now). Reads still running are capped at
 * {@link #MAX_PENDING}: past that, a read fails at once instead of leaving one more thread behind.
 */
public final class FileReads {

  /** How long a file may take to give its first byte, or a configuration file all of its bytes. */
  public static final Duration LIMIT = Duration.ofSeconds(5);

  /** The most reads left running (stuck) at once; more would be a thread each, for ever. */
  static final int MAX_PENDING = 32;

  private static final AtomicInteger PENDING = new AtomicInteger();

  /** A probe of a file, from when it started. */
  private record Probe(CompletableFuture<Void> read, long startNanos) {}

  /** The probes still running, by file: those of stuck files stay here until their read returns, if ever. */
  private static final Map<Path, Probe> PROBES = new ConcurrentHashMap<>();

  private FileReads() {}

  /**
   * Fails unless reading {@code file} returns within {@link #LIMIT}: its links are followed, and if it is a regular
   * file its first byte is read (a FIFO, device or directory is left to the checks that name it: opening a FIFO
   * would block). A missing file passes, for the same reason.
   */
  public static void probe(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Probe probe = PROBES.compute(key, (f, old) -> old != null && !old.read().isDone()
        && System.nanoTime() - old.startNanos() < LIMIT.toNanos() ? old : new Probe(start(f, () -> {
          if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
              in.read();
            }
          }
          return null;
        }), System.nanoTime()));
    Duration left = LIMIT.minusNanos(System.nanoTime() - probe.startNanos());
    try {
      await(file, probe.read(), left.isNegative() ? Duration.ZERO : left);
    } finally {
      if (probe.read().isDone()) {
        PROBES.remove(key, probe);
      }
    }
  }

  /** Runs {@code read} of {@code file} (after a {@link #probe}) and waits for it at most {@link #LIMIT}. */
  public static <T> T read(Path file, Read<T> read) throws IOException {
    probe(file);
    return await(file, start(file, read), LIMIT);
  }

  /** A read of a file. */
  @FunctionalInterface
  public interface Read<T> {
    T run() throws IOException;
  }

  private static <T> CompletableFuture<T> start(Path file, Read<T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (PENDING.incrementAndGet() > MAX_PENDING) {
      PENDING.decrementAndGet();
      result.completeExceptionally(new FileSystemException(file.toString(), null, "not read: " + MAX_PENDING
          + " earlier reads of files have not returned (a hung network or FUSE mount?)"));
      return result;
    }
    Thread t = new Thread(() -> {
      try {
        result.complete(read.run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        PENDING.decrementAndGet();
      }
    }, "vbackcam-read " + file);
    t.setDaemon(true); // a read blocked for good must not keep the JVM from exiting
    t.start();
    return result;
  }

  private static <T> T await(Path file, CompletableFuture<T> read, Duration limit) throws IOException {
    try {
      return read.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new FileSystemException(file.toString(), null, "did not finish reading within " + LIMIT.toSeconds()
          + " s (a hung network or FUSE mount, or a special file whose read waits)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FileSystemException(file.toString(), null, "interrupted while reading");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(file + ": " + e.getCause(), e.getCause());
    }
  }
}
