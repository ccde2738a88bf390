package io.github.vbackcam.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded reads: a file whose read never returns is named within the limit, and nothing that is refused by its type
 * is opened. {@code /proc/kmsg} (a regular empty file whose read waits for the next kernel message) stands for a
 * file on a hung NFS, sshfs or FUSE mount; reading it needs root, which the tests run as (else they fail, never skip).
 */
class FileReadsTest {

  @TempDir
  Path dir;

  @Test
  void aFileWhoseReadNeverReturnsIsNamedWithinTheLimit() throws Exception {
    assertEquals("root", System.getProperty("user.name"), "reading /proc/kmsg needs root: run the tests as root");
    Path link = Files.createSymbolicLink(dir.resolve("background.png"), Path.of("/proc/kmsg"));
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> FileReads.read(link, () -> Files.readAllBytes(link)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(link + ": did not finish reading within 5 s (a hung network or FUSE mount, or a special file whose"
        + " read waits)", e.getMessage());
    assertTrue(millis < FileReads.LIMIT.toMillis() + 2000, millis + " ms");
  }

  @Test
  void aFifoIsNotOpenedByTheProbeLeftToTheChecksThatNameIt() throws Exception {
    Path fifo = dir.resolve("fifo.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    long start = System.nanoTime();
    FileReads.probe(fifo);
    FileReads.probe(dir.resolve("missing.png"));
    FileReads.probe(dir);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void aReadableFileIsReadAndItsFailureReachesTheCaller() throws Exception {
    Path file = Files.writeString(dir.resolve("a.conf"), "blur = 3\n");
    assertEquals("blur = 3\n", FileReads.read(file, () -> Files.readString(file)));
    IOException e = assertThrows(IOException.class, () -> FileReads.read(file, () -> {
      throw new java.nio.file.AccessDeniedException(file.toString());
    }));
    assertEquals(file.toString(), e.getMessage());
  }
}
