package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is checked is what is read: a FIFO never blocks the opener, and a name swapped later changes nothing. */
class OpenedFileTest {

  @TempDir
  Path dir;

  @Test
  void aFifoIsRefusedAtOnceWithoutAWriter() throws Exception {
    Path fifo = dir.resolve("background.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(IOException.class, () -> OpenedFile.open(fifo, Long.MAX_VALUE)));
    assertTrue(e.getMessage().contains("not a regular file (a FIFO, device or socket)"), e.getMessage());
    assertTrue(e.getMessage().contains(fifo.toString()), e.getMessage());
  }

  @Test
  void theOpenFileIsReadEvenAfterItsNameIsReplacedByAFifo() throws Exception {
    Path file = Files.writeString(dir.resolve("bg.txt"), "the checked content");
    try (OpenedFile opened = OpenedFile.open(file, 100)) {
      Path fifo = dir.resolve("fifo");
      assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
      Files.move(fifo, file, StandardCopyOption.REPLACE_EXISTING);
      String read = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Files.readString(opened.path()));
      assertEquals("the checked content", read);
      assertEquals(19, opened.size());
      assertEquals(file, opened.name());
    }
  }

  @Test
  void otherKindsAndSizesAreNamed() throws Exception {
    Path big = Files.write(dir.resolve("big.bin"), new byte[2_000_000]);
    assertTrue(assertThrows(IOException.class, () -> OpenedFile.open(big, 1_000_000)).getMessage()
        .contains("too large: 2.0 MB (at most 1.0 MB)"));
    assertTrue(assertThrows(IOException.class, () -> OpenedFile.open(dir, 1000)).getMessage()
        .contains("not a regular file (a directory)"));
    assertTrue(assertThrows(IOException.class, () -> OpenedFile.open(dir.resolve("none.png"), 1000)).getMessage()
        .contains("no such file"));
    Path loop = dir.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    assertTrue(assertThrows(IOException.class, () -> OpenedFile.open(loop, 1000)).getMessage()
        .contains("a loop of symbolic links"));
    Path devZero = Files.createSymbolicLink(dir.resolve("zero.png"), Path.of("/dev/zero"));
    assertTrue(assertThrows(IOException.class, () -> OpenedFile.open(devZero, 1000)).getMessage()
        .contains("not a regular file"));
  }
}
