package io.github.vbackcam.core.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A background video plays in real time behind any input rate: it follows the frames' times, not their count. */
class VideoBackgroundTest {

  private static final int[] RGB = {Clips.RED, Clips.GREEN, Clips.BLUE};
  private static final double[] ONE_SECOND_EACH = {1, 1, 1};

  @Test
  void aSixtyFpsBackgroundBehindATwentyFourFpsInputPlaysInRealTime() throws Exception {
    // The reported case: 36 frames at 24 fps over a background that is red for 1 s, then green, then blue.
    String shown = colours(TestData.file("cases/timing/bg-video-60fps-rgb-1s-each.mp4"), 24, 36);
    assertEquals("R".repeat(24) + "G".repeat(12), shown);
  }

  @Test
  void fifteenAndSixtyFpsBackgroundsFollowMediaTimeAndLoop(@TempDir Path dir) throws Exception {
    for (double fps : new double[] {15, 60}) {
      Path bg = Clips.constantRate(dir.resolve("bg" + (int) fps + ".mkv"), 64, 36, fps, RGB, ONE_SECOND_EACH);
      assertEquals(("R".repeat(10) + "G".repeat(10) + "B".repeat(10)).repeat(2), colours(bg, 10, 60),
          fps + " fps background behind 10 fps, looped after 3 s");
      assertEquals("R".repeat(30) + "G".repeat(30) + "B".repeat(30), colours(bg, 30, 90),
          fps + " fps background behind 30 fps");
    }
  }

  @Test
  void aVariableRateBackgroundKeepsItsOwnTiming(@TempDir Path dir) throws Exception {
    // Red at 0, green from 0.3 s, blue from 1.1 s and again at 1.4 s, until 1.5 s: in ticks of 1/10 s.
    Path bg = Clips.write(dir.resolve("vfr.mkv"), 64, 36, 10, 15, 0, new Clips.Shot(Clips.RED, 0),
        new Clips.Shot(Clips.GREEN, 3), new Clips.Shot(Clips.BLUE, 11), new Clips.Shot(Clips.BLUE, 14));
    assertEquals("RRRGGGGGGGGBBBB" + "RRRGG", colours(bg, 10, 20));
  }

  @Test
  void liveFramesThatWereDroppedDoNotSlowTheBackground(@TempDir Path dir) throws Exception {
    Path bg = Clips.constantRate(dir.resolve("bg.mkv"), 64, 36, 30, RGB, ONE_SECOND_EACH);
    long start = 5_000_000_000L; // a monotonic clock in microseconds, far from 0
    long[] arrivals = {0, 100_000, 900_000, 1_050_000, 1_990_000, 2_100_000};
    StringBuilder shown = new StringBuilder();
    try (VideoBackground background = new VideoBackground(bg)) {
      for (long t : arrivals) {
        shown.append(colourAt(background, start + t));
      }
    }
    assertEquals("RRRGGB", shown.toString());
  }

  @Test
  void aLongJumpAheadLandsWhereTheLoopWouldHaveBeen(@TempDir Path dir) throws Exception {
    Path bg = Clips.constantRate(dir.resolve("bg.mkv"), 64, 36, 30, RGB, ONE_SECOND_EACH);
    long start = 5_000_000_000L;
    // A paused service, or a slideshow input whose frames last seconds: 3 s a loop.
    long[] times = {0, 7_500_000, 8_600_000, 30_200_000, 30_300_000, 61_100_000};
    StringBuilder shown = new StringBuilder();
    try (VideoBackground background = new VideoBackground(bg)) {
      for (long t : times) {
        shown.append(colourAt(background, start + t));
      }
    }
    assertEquals("RGBRRG", shown.toString());
  }

  /** The background colour behind {@code count} frames at {@code fps}, one letter a frame. */
  private static String colours(Path video, double fps, int count) throws Exception {
    StringBuilder shown = new StringBuilder();
    try (VideoBackground background = new VideoBackground(video)) {
      for (int i = 0; i < count; i++) {
        shown.append(colourAt(background, Math.round(i * 1e6 / fps)));
      }
    }
    return shown.toString();
  }

  private static char colourAt(Background background, long ptsMicros) throws Exception {
    try (Frame frame = Frames.solidAt(64, 36, ptsMicros, 0, 0, 0)) {
      return Clips.colourClass(Frames.pixel(background.render(frame), 32, 18));
    }
  }
}
