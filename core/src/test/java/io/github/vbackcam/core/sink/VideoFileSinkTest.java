package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.source.Sources;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output files keep the frames' times: timestamps where the container has them, a truthful constant rate else. */
class VideoFileSinkTest {

  private static final VideoSize SIZE = new VideoSize(64, 36);

  @Test
  void aVariableFrameRateInputKeepsItsFrameTimesAndDuration(@TempDir Path dir) throws Exception {
    Path input = TestData.file("cases/timing/person-vfr.mkv");
    List<Long> in = times(input);
    for (String ext : new String[] {"mp4", "mkv", "mov", "webm"}) {
      Path out = dir.resolve("vfr." + ext);
      try (FrameSource s = Sources.open(input, SIZE, false); VideoFileSink sink = new VideoFileSink(out, SIZE, 24)) {
        Frame next;
        while ((next = s.read()) != null) {
          try (Frame f = next) {
            sink.write(f);
          }
        }
      }
      List<Long> back = times(out);
      assertEquals(in.size(), back.size(), ext);
      for (int i = 0; i < in.size(); i++) {
        assertEquals(in.get(i), back.get(i), 1_000, ext + " frame " + i + " in " + in + " out " + back);
      }
    }
  }

  @Test
  void y4mDeclaresItsRateAndRepeatsFramesOfASlowerCamera(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("slow.y4m");
    try (VideoFileSink sink = new VideoFileSink(out, SIZE, 30)) {
      writeAt(sink, 0, 15, 15); // one second at 15 fps
    }
    assertEquals("F30:1", header(out, 'F'));
    assertEquals(30, y4mFrames(out), 1, "one second at the declared 30 fps");
  }

  @Test
  void y4mThinsAFasterInputAndFollowsARateChangeMidStream(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("change.y4m");
    try (VideoFileSink sink = new VideoFileSink(out, SIZE, 30)) {
      long t = writeAt(sink, 0, 60, 30);   // half a second at 60 fps
      t = writeAt(sink, t, 30, 15);        // half a second at 30 fps
      writeAt(sink, t, 15, 15);            // a second at 15 fps, as a camera in low light
    }
    assertEquals(60, y4mFrames(out), 2, "two seconds at 30 fps whatever the input's rate");
  }

  @Test
  void aLongGapIsNotFilledWithCopies() {
    ConstantRate grid = new ConstantRate(30);
    assertEquals(1, grid.copies(0));
    assertEquals(1, grid.copies(33_333));
    assertEquals(0, grid.copies(40_000), "a second frame within one slot is dropped");
    assertEquals(3, grid.copies(133_333), "two missing slots are filled");
    assertEquals(1, grid.copies(60_000_000), "a minute's gap (a suspended machine) restarts the grid");
    assertEquals(1, grid.copies(60_033_333));
  }

  /** Writes {@code count} frames {@code fps} apart from {@code start}; returns the time after the last. */
  private static long writeAt(VideoFileSink sink, long start, double fps, int count) throws IOException {
    long t = start;
    for (int i = 0; i < count; i++) {
      t = start + Math.round(i * 1e6 / fps);
      try (Frame f = Frames.solidAt(SIZE.width(), SIZE.height(), t, 0, 0, 255)) {
        sink.write(f);
      }
    }
    return start + Math.round(count * 1e6 / fps);
  }

  static List<Long> times(Path video) throws IOException {
    List<Long> times = new ArrayList<>();
    try (FrameSource s = Sources.open(video, null, false)) {
      Frame next;
      long first = -1;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          first = first < 0 ? f.ptsMicros() : first;
          times.add(f.ptsMicros() - first);
        }
      }
    }
    return times;
  }

  static String header(Path y4m, char tag) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(y4m, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      for (String token : r.readLine().split(" ")) {
        if (token.charAt(0) == tag) {
          return token;
        }
      }
    }
    throw new AssertionError("no " + tag + " in the header of " + y4m);
  }

  static long y4mFrames(Path y4m) throws IOException {
    long frameBytes = 6 + SIZE.width() * SIZE.height() * 3L / 2;
    long headerBytes;
    try (BufferedReader r = Files.newBufferedReader(y4m, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      headerBytes = r.readLine().length() + 1;
    }
    long frames = (Files.size(y4m) - headerBytes) / frameBytes;
    assertTrue(frames > 0, "frames in " + y4m);
    return frames;
  }
}
