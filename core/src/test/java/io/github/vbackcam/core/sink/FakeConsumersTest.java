package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConsumerMonitor#fromFile}: the benchmarks' and service tests' stand-in for apps opening the camera. */
class FakeConsumersTest {

  @TempDir
  Path dir;

  private final BlockingQueue<Integer> counts = new LinkedBlockingQueue<>();

  private int next() throws InterruptedException {
    Integer count = counts.poll(10, TimeUnit.SECONDS);
    assertNotNull(count, "no count reported within 10 s");
    return count;
  }

  @Test
  void reportsTheCountInTheFileAndEachChangeOfIt() throws Exception {
    Path file = dir.resolve("consumers");
    Files.writeString(file, "2\n");
    try (ConsumerMonitor monitor = ConsumerMonitor.fromFile(file)) {
      monitor.start(counts::add);
      assertEquals(2, next());
      Files.writeString(file, "0\n");
      assertEquals(0, next());
      Files.writeString(file, "3");
      assertEquals(3, next());
      Files.delete(file); // a missing file counts as one
      assertEquals(1, next());
      Files.writeString(file, "0");
      assertEquals(0, next());
    }
  }

  @Test
  void anEmptyFileIsAWriteUnderWayAndChangesNothing() throws Exception {
    Path file = dir.resolve("consumers");
    Files.writeString(file, "0");
    try (ConsumerMonitor monitor = ConsumerMonitor.fromFile(file)) {
      monitor.start(counts::add);
      assertEquals(0, next());
      Files.writeString(file, "");
      Thread.sleep(1500); // read again by then (its change, or the read every second)
      Files.writeString(file, "2");
      assertEquals(2, next()); // not 1 first: that would open the camera
    }
  }

  @Test
  void aFolderThatIsDeletedAndMadeAgainIsFollowed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("run"));
    Path file = folder.resolve("consumers");
    Files.writeString(file, "0");
    try (ConsumerMonitor monitor = ConsumerMonitor.fromFile(file)) {
      monitor.start(counts::add);
      assertEquals(0, next());
      Files.delete(file);
      Files.delete(folder);
      assertEquals(1, next());
      Files.createDirectories(folder);
      Files.writeString(file, "0");
      assertEquals(0, next());
      Files.writeString(file, "4");
      assertEquals(4, next());
    }
  }

  @Test
  void aFileInAFolderThatDoesNotExistCountsAsOneAndIsReadOnceItExists() throws Exception {
    Path folder = dir.resolve("later");
    Path file = folder.resolve("consumers");
    try (ConsumerMonitor monitor = ConsumerMonitor.fromFile(file)) {
      monitor.start(counts::add);
      assertEquals(1, next());
      Files.createDirectories(folder);
      Files.writeString(file, "0");
      assertEquals(0, next());
    }
  }

  @Test
  void nothingIsReportedAfterClose() throws Exception {
    Path file = dir.resolve("consumers");
    Files.writeString(file, "0");
    ConsumerMonitor monitor = ConsumerMonitor.fromFile(file);
    monitor.start(counts::add);
    assertEquals(0, next());
    monitor.close();
    Files.writeString(file, "5");
    assertNull(counts.poll(2, TimeUnit.SECONDS));
  }
}
