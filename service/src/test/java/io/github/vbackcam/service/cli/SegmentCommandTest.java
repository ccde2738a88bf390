package io.github.vbackcam.service.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
