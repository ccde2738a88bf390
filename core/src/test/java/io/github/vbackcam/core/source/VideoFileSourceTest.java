package io.github.vbackcam.core.source;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A video file's frames carry FFmpeg's own times and come out upright, as players show them. */
class VideoFileSourceTest {

  @Test
  void aVariableFrameRateFileKeepsEveryFramesTime() throws Exception {
    List<Long> times = new ArrayList<>();
    try (VideoFileSource s = new VideoFileSource(TestData.file("cases/timing/person-vfr.mkv"), null, false)) {
      Frame next;
      long first = -1;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          first = first < 0 ? f.ptsMicros() : first;
          times.add(f.ptsMicros() - first);
        }
      }
    }
    assertEquals(List.of(0L, 125_000L, 250_000L, 375_000L, 417_000L, 458_000L, 500_000L, 625_000L, 750_000L,
        875_000L, 1_000_000L, 1_125_000L, 1_250_000L, 1_375_000L), times);
  }

  @Test
  void aPhoneClipStoredSidewaysComesOutUprightAtItsDisplaySize() throws Exception {
    try (VideoFileSource s = new VideoFileSource(TestData.file("cases/timing/person-rotated-meta90.mp4"), null,
        false)) {
      assertEquals(90, s.rotation());
      assertEquals(new VideoSize(360, 640), s.size());
      try (Frame f = s.read()) {
        assertEquals(360, f.width());
        assertEquals(640, f.height());
      }
    }
  }

  /** The top-left marker of a clip stored 64x32 ends up where a player shows it after each quarter turn. */
  @Test
  void everyQuarterTurnOfTheDisplayMatrixIsApplied(@TempDir Path dir) throws Exception {
    int[][] expected = {{0, 4, 4, 64, 32}, {90, 27, 4, 32, 64}, {180, 59, 27, 64, 32}, {270, 4, 59, 32, 64}};
    for (int[] e : expected) {
      int clockwise = e[0];
      // FFmpeg's display matrix states the counter-clockwise angle; players turn the picture back by it.
      Path clip = Clips.write(dir.resolve("turn" + clockwise + ".mp4"), 64, 32, 10, 1, -clockwise,
          new Clips.Shot(Clips.BLUE, 0));
      try (VideoFileSource s = new VideoFileSource(clip, null, false); Frame f = s.read()) {
        assertEquals(clockwise, s.rotation(), "rotation of " + clip);
        assertEquals(e[3], f.width(), "width after " + clockwise);
        assertEquals(e[4], f.height(), "height after " + clockwise);
        int[] marker = Frames.pixel(f.image(), e[1], e[2]);
        assertTrue(marker[2] > 150 && marker[0] < 100, "the yellow marker (inverse of blue) at " + e[1] + ","
            + e[2] + " after " + clockwise + " degrees, got BGR " + java.util.Arrays.toString(marker));
        assertEquals('B', Clips.colourClass(Frames.pixel(f.image(), f.width() / 2, f.height() / 2)));
      }
    }
  }

  @Test
  void oneDecodingThreadGivesTheSameFramesAtTheSameTimes() throws Exception {
    // A file camera decodes on one thread (no frames held back); that must not change a single pixel or timestamp.
    Path clip = TestData.tearsOfSteel();
    try (VideoFileSource threads = new VideoFileSource(clip, null, false, false);
        VideoFileSource one = new VideoFileSource(clip, null, false, true)) {
      for (int i = 0; i < 30; i++) {
        try (Frame a = threads.read(); Frame b = one.read()) {
          assertEquals(a.ptsMicros(), b.ptsMicros(), "time of frame " + i);
          try (Mat diff = new Mat()) {
            absdiff(a.image(), b.image(), diff);
            assertEquals(0, countNonZero(diff.reshape(1, 0)), "pixels of frame " + i);
          }
        }
      }
    }
  }

  @Test
  void aLoopContinuesTheTimelineSoTimeNeverRunsBack(@TempDir Path dir) throws Exception {
    Path clip = Clips.constantRate(dir.resolve("loop.mkv"), 32, 16, 10, new int[] {Clips.RED}, new double[] {0.5});
    try (VideoFileSource s = new VideoFileSource(clip, null, true)) {
      long previous = -1;
      for (int i = 0; i < 12; i++) {
        try (Frame f = s.read()) {
          if (previous >= 0) {
            assertEquals(100_000, f.ptsMicros() - previous, 1_000, "step before frame " + i);
          }
          previous = f.ptsMicros();
        }
      }
    }
  }

  @Test
  void declaredClockwiseTurnFollowsFfmpegsSign() {
    assertEquals(90, VideoFileSource.clockwise(-90));
    assertEquals(270, VideoFileSource.clockwise(90));
    assertEquals(180, VideoFileSource.clockwise(180));
    assertEquals(180, VideoFileSource.clockwise(-180));
    assertEquals(0, VideoFileSource.clockwise(Double.NaN));
    assertEquals(0, VideoFileSource.clockwise(0));
  }
}
