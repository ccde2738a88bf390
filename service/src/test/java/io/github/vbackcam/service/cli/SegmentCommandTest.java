package io.github.vbackcam.service.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code segment} never loses a mask silently: inputs that would share a mask name are refused up front. */
class SegmentCommandTest {

  @TempDir
  Path dir;

  @Test
  void inputsSharingABaseNameAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path in = copyOfTheReportedCase();
    Path masks = dir.resolve("masks");
    Cli r = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("same.jpg and same.png would both write same.png"), r.err());
    assertFalse(Files.exists(masks), "nothing was written");
  }

  @Test
  void distinctNamesGetOneMaskEachAtTheUprightSize() throws IOException {
    Path in = copyOfTheReportedCase();
    Files.move(in.resolve("same.png"), in.resolve("same-too.png"));
    Path masks = dir.resolve("masks");
    Cli r = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    assertEquals(0, r.status(), r.err());
    try (Stream<Path> written = Files.list(masks)) {
      assertEquals(List.of("gray.png", "same-too.png", "same.png", "selfie-exif6.png"),
          written.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (Mat mask = imread(masks.resolve("selfie-exif6.png").toString(), IMREAD_UNCHANGED)) {
      assertTrue(mask.rows() > mask.cols(), "the EXIF-rotated selfie's mask is portrait, as the image is shown");
    }
  }

  @Test
  void masksNeverReplaceTheirInputsOrGoThroughALink() throws IOException {
    Path in = copyOfTheReportedCase();
    Files.move(in.resolve("same.png"), in.resolve("same-too.png"));
    byte[] photo = Files.readAllBytes(in.resolve("gray.png"));
    for (Path out : List.of(in, in.resolve("..").resolve(in.getFileName()))) {
      Cli r = Cli.run("segment", "-i", in.toString(), "-o", out.toString());
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("would replace the input image"), r.err());
      assertArrayEquals(photo, Files.readAllBytes(in.resolve("gray.png")), "the input photo is untouched");
    }
    Path masks = Files.createDirectories(dir.resolve("masks"));
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Files.createSymbolicLink(masks.resolve("gray.png"), victim);
    Cli r = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("gray.png is a symbolic link"), r.err());
    assertEquals("precious", Files.readString(victim));
    try (Stream<Path> written = Files.list(masks)) {
      assertEquals(1, written.count(), "nothing was written");
    }
  }

  @Test
  void anUnreadableImageIsNamedAndTheOthersStillGetMasks() throws IOException {
    Path in = copyOfTheReportedCase();
    Files.delete(in.resolve("same.png"));
    Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path masks = dir.resolve("masks");
    Cli r = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("broken.png"), r.err());
    assertTrue(r.err().contains("1 of 4 images got no mask"), r.err());
    try (Stream<Path> written = Files.list(masks)) {
      assertEquals(List.of("gray.png", "same.png", "selfie-exif6.png"),
          written.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anOutputThatCannotBeADirectorySaysSo() throws IOException {
    Path in = copyOfTheReportedCase();
    Files.delete(in.resolve("same.png"));
    Path file = Files.writeString(dir.resolve("outfile"), "x");
    for (Path out : List.of(file, Path.of("/dev/null"))) {
      Cli r = Cli.run("segment", "-i", in.toString(), "-o", out.toString());
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("vbackcam segment: " + out + ": not a directory"), r.err());
    }
    for (Path out : List.of(Path.of("/proc/probe-masks"), file.resolve("sub"))) {
      Cli r = Cli.run("segment", "-i", in.toString(), "-o", out.toString());
      assertEquals(1, r.status(), r.err());
      assertTrue(r.err().contains("vbackcam segment: " + out + ": cannot create this directory: "), r.err());
      assertFalse(r.err().contains("no such file"), r.err());
    }
  }

  @Test
  void anEmptyInputOrOutputIsAUsageError() throws IOException {
    Path in = copyOfTheReportedCase();
    Cli r = Cli.run("segment", "-i", in.toString(), "-o", "");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("-o/--output is empty"), r.err());
    r = Cli.run("segment", "-i", "", "-o", dir.resolve("masks").toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("-i/--input is empty"), r.err());
    assertFalse(Files.exists(dir.resolve("masks")), "nothing was written");
  }

  /** A name Java cannot read back ({@code bad\xff\xfe.png} in UTF-8) fails alone; the other images get masks. */
  @Test
  void aFileNameNotValidInTheEncodingIsOneFailureAndTheOthersGetMasks() throws Exception {
    Path in = copyOfTheReportedCase();
    Files.delete(in.resolve("same.png"));
    Process cp = new ProcessBuilder("sh", "-c", "cp gray.png \"$(printf 'bad\\377\\376.png')\"")
        .directory(in.toFile()).inheritIO().start();
    assertEquals(0, cp.waitFor(), "test setup: copying to a badly encoded name");
    Path masks = dir.resolve("masks");
    Logger log = (Logger) LoggerFactory.getLogger(SegmentCommand.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    Cli r;
    try {
      r = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    } finally {
      log.detachAppender(lines);
    }
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("1 of 4 images got no mask: bad\uFFFD\uFFFD.png"), r.err());
    assertEquals(List.of(in.resolve("bad\uFFFD\uFFFD.png") + ": the file name is not valid UTF-8; rename it"),
        lines.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
            .toList());
    try (Stream<Path> written = Files.list(masks)) {
      assertEquals(List.of("gray.png", "same.png", "selfie-exif6.png"),
          written.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private Path copyOfTheReportedCase() throws IOException {
    Path in = dir.resolve("segment");
    Files.createDirectories(in);
    try (Stream<Path> files = Files.list(Cli.shared("cases/segment"))) {
      for (Path f : files.toList()) {
        Files.copy(f, in.resolve(f.getFileName()));
      }
    }
    return in;
  }
}
