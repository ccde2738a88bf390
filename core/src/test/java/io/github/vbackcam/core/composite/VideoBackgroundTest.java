package io.github.vbackcam.core.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.LogCapture;
import io.github.vbackcam.core.PatchedMedia;
import io.github.vbackcam.core.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
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

  /**
   * The file is opened once, when the background is made: deleted or replaced by another file afterwards, it plays
   * on from the open file, to the end and around the loop, also when the output size changes (which does not
   * reopen the path).
   */
  @Test
  void aDeletedOrReplacedFilePlaysOnFromTheFileOpened(@TempDir Path dir) throws Exception {
    Path bg = Clips.constantRate(dir.resolve("bg.mkv"), 64, 36, 30, RGB, ONE_SECOND_EACH);
    for (String change : new String[] {"deleted", "replaced"}) {
      Path copy = Files.copy(bg, dir.resolve(change + ".mkv"));
      try (VideoBackground background = new VideoBackground(copy)) {
        if (change.equals("deleted")) {
          Files.delete(copy);
        } else {
          Files.move(Files.writeString(dir.resolve("other"), "not a video"), copy,
              StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(("R".repeat(10) + "G".repeat(10) + "B".repeat(10)).repeat(2), playTwoSizes(background),
            change);
      }
    }
  }

  /**
   * The same file cut to nothing after the background was made (larger than FFmpeg's read buffer, so the cut is
   * seen): the last good frame stays on show, the failure is logged once, and rendering never fails.
   */
  @Test
  void aFileCutShortKeepsItsLastGoodFrameOnShowAndSaysSoOnce(@TempDir Path dir) throws Exception {
    Path bg = noisyRgb(dir.resolve("bg.mkv"));
    assertTrue(Files.size(bg) > 256 * 1024, "larger than FFmpeg's buffer: " + Files.size(bg));
    try (LogCapture log = LogCapture.of(VideoBackground.class)) {
      try (VideoBackground background = new VideoBackground(bg)) {
        Files.write(bg, new byte[0]);
        String shown = playTwoSizes(background);
        assertTrue(shown.matches("R+G*B*"), shown);
        String last = shown.substring(shown.length() - 20);
        assertEquals(String.valueOf(last.charAt(0)).repeat(20), last, "the last good frame stays: " + shown);
      }
      List<String> lines = log.lines();
      assertEquals(1, lines.size(), "logged once: " + lines);
      assertTrue(lines.get(0).startsWith("background video " + bg + " stopped playing"), lines.get(0));
    }
  }

  /** 60 frames at 10 fps, the first half 64x36, the second 32x18; the background colour behind each, a letter. */
  private static String playTwoSizes(Background background) throws Exception {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      int width = i < 30 ? 64 : 32;
      try (Frame frame = Frames.solidAt(width, width * 9 / 16, i * 100_000L, 0, 0, 0)) {
        Mat image = background.render(frame);
        assertEquals(width, image.cols(), "the background at the frame's size");
        shown.append(Clips.colourClass(Frames.pixel(image, width / 2, image.rows() * 3 / 4)));
      }
    }
    return shown.toString();
  }

  /** 3 s at 30 fps, red, green and blue a second each, with noise in the top half that keeps the file large. */
  private static Path noisyRgb(Path file) throws Exception {
    Random random = new Random(1);
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 160, 90, 0);
         OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
      r.setFormat("matroska");
      r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setVideoQuality(2);
      r.setFrameRate(30);
      r.start();
      byte[] noise = new byte[160 * 45 * 3];
      for (int i = 0; i < 90; i++) {
        try (Mat picture = Clips.solid(160, 90, RGB[i / 30]); Mat top = picture.rowRange(0, 45)) {
          random.nextBytes(noise);
          top.data().put(noise);
          r.record(converter.convert(picture), avutil.AV_PIX_FMT_BGR24);
        }
      }
      r.stop();
    }
    return file;
  }

  /** A background goes through the same display matrix handling as an input: a mirrored one shows mirrored. */
  @Test
  void aMirroredBackgroundShowsMirrored(@TempDir Path dir) throws Exception {
    Path clip = PatchedMedia.corners(dir.resolve("mirrored.mp4"), 64, 32, 3);
    PatchedMedia.displayMatrix(clip, -1, 0, 0, 1);
    try (VideoBackground background = new VideoBackground(clip); Frame frame = Frames.solidAt(64, 32, 0, 0, 0, 0)) {
      Mat shown = background.render(frame);
      assertEquals('B', Clips.colourClass(Frames.pixel(shown, 4, 4)), "the stored top-right corner, now left");
      assertEquals('R', Clips.colourClass(Frames.pixel(shown, 59, 4)), "the stored top-left corner, now right");
    }
  }

  /** A video with no frame (a recording stopped before its first) fails when the background is made, not later. */
  @Test
  void aVideoWithoutAFrameFailsWhenTheBackgroundIsMade(@TempDir Path dir) throws Exception {
    Path clip = Clips.write(dir.resolve("bg.mkv"), 64, 36, 10, 0, 0);
    IOException e = assertThrows(IOException.class, () -> new VideoBackground(clip));
    assertEquals("no video frames in " + clip, e.getMessage());
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
