package io.github.vbackcam.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.sink.Sinks;
import io.github.vbackcam.core.FrameSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {

  @Test
  void anImageIsOneFrameOfItsOwnSizeWithEvenWidth() throws IOException {
    Path portrait = TestData.file("data/portraits_unlabeled/astronaut_eileen_collins_512x512.png");
    try (FrameSource s = Sources.open(portrait, null, false)) {
      try (Frame f = s.read()) {
        assertEquals(512, f.width());
        assertEquals(512, f.height());
      }
      assertNull(s.read());
    }
  }

  @Test
  void aVideoIsDecodedAndScaledToTheRequestedSize() throws IOException {
    try (FrameSource s = Sources.open(TestData.tearsOfSteel(), new VideoSize(1280, 720), false)) {
      assertEquals(24.0, s.frameRate(), 0.01);
      try (Frame f = s.read()) {
        assertEquals(1280, f.width());
        assertEquals(720, f.height());
      }
    }
  }

  @Test
  void videoRoundTripsThroughEveryOutputContainer(@TempDir Path dir) throws IOException {
    for (String ext : new String[] {"mp4", "y4m", "webm", "avi", "mkv"}) {
      Path out = dir.resolve("clip." + ext);
      try (FrameSource in = Sources.open(TestData.tearsOfSteel(), new VideoSize(160, 90), false);
           FrameSink sink = Sinks.open(out, new VideoSize(160, 90), 24)) {
        for (int i = 0; i < 12; i++) {
          try (Frame f = in.read()) {
            sink.write(f);
          }
        }
      }
      int frames = 0;
      try (FrameSource back = Sources.open(out, null, false)) {
        Frame f;
        while ((f = back.read()) != null) {
          assertEquals(160, f.width(), ext);
          f.close();
          frames++;
        }
      }
      assertEquals(12, frames, ext + " keeps every frame");
    }
  }

  @Test
  void badInputsGetErrorsThatNameTheProblem(@TempDir Path dir) throws IOException {
    assertThrows(NoSuchFileException.class, () -> Sources.open(dir.resolve("missing.mp4"), null, false));
    IOException d = assertThrows(IOException.class, () -> Sources.open(dir, null, false));
    assertTrue(d.getMessage().contains("not a regular file (a directory)"), d.getMessage());
    Path junk = dir.resolve("junk.mp4");
    Files.writeString(junk, "this is not a video");
    IOException j = assertThrows(IOException.class, () -> Sources.open(junk, null, false));
    assertEquals(junk + " is not a video FFmpeg can read: Invalid data found when processing input", j.getMessage());
    Path badPng = dir.resolve("bad.png");
    Files.writeString(badPng, "not a png");
    IOException p = assertThrows(IOException.class, () -> Sources.open(badPng, null, false));
    assertEquals(badPng + ": not an image vbackcam reads, or its header is damaged (expected PNG, JPEG, BMP, WebP,"
        + " TIFF, PPM or GIF)", p.getMessage());
    IOException o = assertThrows(IOException.class,
        () -> Sinks.open(dir.resolve("no/such/dir/out.mp4"), new VideoSize(64, 64), 30));
    assertTrue(o.getMessage().contains("does not exist"), o.getMessage());
    IOException x = assertThrows(IOException.class, () -> Sinks.open(dir.resolve("out.xyz"), new VideoSize(64, 64), 30));
    assertTrue(x.getMessage().contains("unsupported output type '.xyz'"), x.getMessage());
  }

  @Test
  void sizesAreParsedStrictly() {
    assertEquals(new VideoSize(1280, 720), VideoSize.parse("1280x720"));
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> VideoSize.parse("1281x720"));
    assertTrue(odd.getMessage().contains("odd width"), odd.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VideoSize.parse("big"));
    assertThrows(IllegalArgumentException.class, () -> VideoSize.parse("0x0"));
    assertEquals(new VideoSize(852, 480), new VideoSize(853, 480).evenWidth());
  }
}
