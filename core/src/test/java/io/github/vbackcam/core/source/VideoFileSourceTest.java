package io.github.vbackcam.core.source;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.PatchedMedia;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.sink.Sinks;
import io.github.vbackcam.core.source.VideoFileSource.Orientation;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
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

  /**
   * JavaCV pads narrow BGR rows to 64 bytes and took the padding for channels (96 pixels wide: "4 channels"), so
   * pictures 32, 48, 80 or 96 pixels wide came out garbled or failed; every column must hold its own colour.
   */
  @Test
  void narrowVideosAndGifsDecodeToTheirOwnPixels(@TempDir Path dir) throws Exception {
    for (int width : new int[] {32, 48, 80, 96, 100}) {
      for (String ext : new String[] {"mkv", "gif"}) {
        Path file = Clips.write(dir.resolve(width + "." + ext), width, 16, 10, 10, 0,
            new Clips.Shot(Clips.GREEN, 0));
        try (VideoFileSource source = new VideoFileSource(file, null, false); Frame f = source.read()) {
          assertEquals(width, f.width(), file.toString());
          for (int x = 0; x < width; x += 7) {
            assertEquals('G', Clips.colourClass(Frames.pixel(f.image(), x, 8)), file + " column " + x);
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

  /**
   * Every display matrix of quarter turns and flips, written into an mp4's track header: the stored picture's red
   * top-left and blue top-right corners end up where FFmpeg's command line shows them (the table was read from
   * {@code ffmpeg -i X out.y4m} for the same eight headers).
   */
  @Test
  void everyTurnAndFlipOfTheDisplayMatrixShowsAsFfmpegShowsIt(@TempDir Path dir) throws Exception {
    Path stored = PatchedMedia.corners(dir.resolve("corners.mp4"), 64, 32, 3);
    // The matrix's a b c d; the colours then shown at the top-left, top-right, bottom-left and bottom-right corners.
    record Case(int a, int b, int c, int d, String corners, Orientation orientation) {}
    List<Case> cases = List.of(
        new Case(1, 0, 0, 1, "RBGG", new Orientation(0, false)),
        new Case(-1, 0, 0, 1, "BRGG", new Orientation(0, true)), // hflip
        new Case(1, 0, 0, -1, "GGRB", new Orientation(180, true)), // vflip
        new Case(-1, 0, 0, -1, "GGBR", new Orientation(180, false)),
        new Case(0, 1, -1, 0, "GRGB", new Orientation(90, false)),
        new Case(0, -1, 1, 0, "BGRG", new Orientation(270, false)),
        new Case(0, 1, 1, 0, "RGBG", new Orientation(90, true)), // transpose
        new Case(0, -1, -1, 0, "GBGR", new Orientation(270, true))); // the other diagonal
    for (Case c : cases) {
      String name = "m" + c.a() + c.b() + c.c() + c.d();
      Path clip = Files.copy(stored, dir.resolve(name + ".mp4"));
      PatchedMedia.displayMatrix(clip, c.a(), c.b(), c.c(), c.d());
      try (VideoFileSource s = new VideoFileSource(clip, null, false); Frame f = s.read()) {
        assertEquals(c.orientation(), s.orientation(), name);
        boolean sideways = c.orientation().sideways();
        assertEquals(sideways ? 32 : 64, f.width(), name + " width");
        assertEquals(sideways ? 64 : 32, f.height(), name + " height");
        int in = PatchedMedia.MARK / 4;
        int right = f.width() - 1 - in;
        int bottom = f.height() - 1 - in;
        String shown = "" + colour(f, in, in) + colour(f, right, in) + colour(f, in, bottom) + colour(f, right, bottom);
        assertEquals(c.corners(), shown, name + " corners");
      }
    }
  }

  /** The matrices as FFmpeg's mov demuxer hands them on (16.16 fixed point), and the edge cases. */
  @Test
  void theOrientationIsReadFromTheMatrixAsFfmpegsCommandLineReadsIt() {
    int one = 1 << 16;
    assertEquals(Orientation.UPRIGHT, Orientation.of(null));
    assertEquals(Orientation.UPRIGHT, Orientation.of(matrix(one, 0, 0, one)));
    assertEquals(new Orientation(90, false), Orientation.of(matrix(0, one, -one, 0)));
    assertEquals(new Orientation(180, false), Orientation.of(matrix(-one, 0, 0, -one)));
    assertEquals(new Orientation(270, false), Orientation.of(matrix(0, -one, one, 0)));
    assertEquals(new Orientation(0, true), Orientation.of(matrix(-one, 0, 0, one)));
    assertEquals(new Orientation(180, true), Orientation.of(matrix(one, 0, 0, -one)));
    assertEquals(new Orientation(90, true), Orientation.of(matrix(0, one, one, 0)));
    assertEquals(new Orientation(270, true), Orientation.of(matrix(0, -one, -one, 0)));
    // A scaled quarter turn is still one; a matrix that collapses the picture is ignored, as FFmpeg ignores it.
    assertEquals(new Orientation(90, false), Orientation.of(matrix(0, 2 * one, -2 * one, 0)));
    assertEquals(Orientation.UPRIGHT, Orientation.of(matrix(0, 0, 0, 0)));
  }

  /**
   * QA's case: frames on a 30 fps grid with gaps (23 frames in 1.5 s, an average of 15.3 fps). The declared rate is
   * the grid, so an mp4 written at it keeps every frame's time and duration (on the average's grid, frames closer
   * than 65 ms were pushed apart and the video grew).
   */
  @Test
  void aVariableRateVideoDeclaresTheGridItsFramesLieOnAndAnMp4KeepsThem(@TempDir Path dir) throws Exception {
    Path clip = Clips.write(dir.resolve("vfr.mp4"), 64, 36, 30, 45, 0, gappedShots());
    try (VideoFileSource s = new VideoFileSource(clip, null, false)) {
      assertEquals(30, s.frameRate(), 1e-9);
    }
    Path out = roundTrip(clip, dir.resolve("out.mp4"));
    assertEquals(times(clip), times(out));
    try (VideoFileSource s = new VideoFileSource(out, null, false)) {
      assertEquals(1_500_000, s.durationMicros(), 1_000);
    }
  }

  /**
   * The same frames in Matroska, whose header states one default duration (here the average's, as FFmpeg's mkv
   * muxer copies it from an mp4) and whose times are rounded to milliseconds: FFmpeg's r_frame_rate is then just
   * that average, and the grid is found from the times. A y4m holds each frame on the 30 fps grid until the next,
   * as {@code ffmpeg -fps_mode cfr -r 30} does.
   */
  @Test
  void aMatroskaFilesGridIsFoundFromItsFramesTimesAndAY4mHoldsEachFrameOnIt(@TempDir Path dir) throws Exception {
    Path clip = Clips.write(dir.resolve("vfr.mkv"), 64, 36, 30, 45, 0, gappedShots());
    // DefaultDuration (ID 23 E3 83, 4 bytes): 1/30 s as written, 3/46 s (the average rate) as after a remux.
    PatchedMedia.replace(clip, PatchedMedia.bytes(0x23, 0xE3, 0x83, 0x84, 0x01, 0xFC, 0xA0, 0x55),
        PatchedMedia.bytes(0x23, 0xE3, 0x83, 0x84, 0x03, 0xE3, 0x2A, 0x6F));
    try (VideoFileSource s = new VideoFileSource(clip, null, false)) {
      assertEquals(30, s.frameRate(), 1e-9);
    }
    Path out = roundTrip(clip, dir.resolve("out.y4m"));
    StringBuilder expected = new StringBuilder();
    int[] ticks = Arrays.stream(gappedShots()).mapToInt(shot -> (int) shot.tick()).toArray();
    for (int slot = 0; slot < 45; slot++) {
      int held = 0;
      for (int t : ticks) {
        held = t <= slot ? t : held;
      }
      expected.append(held).append(' ');
    }
    assertEquals(expected.toString(), shownTicks(out));
  }

  /**
   * A slideshow: pictures at 0, 2 and 3 s, the last shown for 0.04 s (FFmpeg's concat of two stills). The 1 fps
   * grid FFmpeg guesses holds the pictures but not that end; 25 fps holds both, so the copy lasts 3.04 s, not 4.
   * Looped, the second pass starts where the first ends: at the last picture's own end.
   */
  @Test
  void aSlideshowKeepsItsLastPicturesOwnDurationWrittenAndLooped(@TempDir Path dir) throws Exception {
    Path clip = Clips.write(dir.resolve("slides.mp4"), 64, 36, 25, 76, 0, new Clips.Shot(Clips.RED, 0),
        new Clips.Shot(Clips.GREEN, 50), new Clips.Shot(Clips.BLUE, 75));
    Path out = roundTrip(clip, dir.resolve("out.mp4"));
    assertEquals(List.of(0L, 2_000_000L, 3_000_000L), times(out));
    try (VideoFileSource s = new VideoFileSource(out, null, false)) {
      assertEquals(3_040_000, s.durationMicros(), 1_000);
    }
    List<Long> looped = new ArrayList<>();
    try (VideoFileSource s = new VideoFileSource(clip, null, true)) {
      for (int i = 0; i < 6; i++) {
        try (Frame f = s.read()) {
          looped.add(f.ptsMicros());
        }
      }
    }
    assertEquals(List.of(0L, 2_000_000L, 3_000_000L, 3_040_000L, 5_040_000L, 6_040_000L), looped);
  }

  /**
   * A Matroska header claiming 16000x16000 (QA's 790 KB PNG-in-mkv took the service to 1.7 GB and out of memory)
   * and a y4m header claiming 60000x60000 are refused from the header. The Matroska file's frames are really
   * 320x256, so a check made after decoding a frame would have let it through.
   */
  @Test
  void aVideoOverSixtyFourMegapixelsIsRefusedFromItsHeaderBeforeAFrameIsDecoded(@TempDir Path dir) throws Exception {
    Path mkv = dir.resolve("huge.mkv");
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(mkv.toFile(), 320, 256, 0);
         OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
         Mat red = Clips.solid(320, 256, Clips.RED)) {
      r.setFormat("matroska");
      r.setVideoCodec(avcodec.AV_CODEC_ID_PNG);
      r.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      r.setFrameRate(1);
      r.start();
      r.record(converter.convert(red), avutil.AV_PIX_FMT_BGR24);
      r.stop();
    }
    // PixelWidth (ID B0) and PixelHeight (ID BA), two bytes each: 320 and 256 become 16000.
    PatchedMedia.replace(mkv, PatchedMedia.bytes(0xB0, 0x82, 0x01, 0x40), PatchedMedia.bytes(0xB0, 0x82, 0x3E, 0x80));
    PatchedMedia.replace(mkv, PatchedMedia.bytes(0xBA, 0x82, 0x01, 0x00), PatchedMedia.bytes(0xBA, 0x82, 0x3E, 0x80));
    IOException huge = assertThrows(IOException.class, () -> new VideoFileSource(mkv, null, false));
    assertEquals(mkv + ": video of 16000x16000 pixels is too large (at most 64 megapixels)", huge.getMessage());
    Path y4m = dir.resolve("huge.y4m");
    Files.write(y4m, "YUV4MPEG2 W60000 H60000 F30:1 Ip A1:1 C420jpeg\nFRAME\n0123456789".getBytes(US_ASCII));
    IOException header = assertThrows(IOException.class, () -> new VideoFileSource(y4m, null, true));
    assertEquals(y4m + ": video of 60000x60000 pixels is too large (at most 64 megapixels)", header.getMessage());
  }

  /** QA's unreadable inputs: each message names the file and the problem, in FFmpeg's words, not JavaCV's. */
  @Test
  void unreadableVideosGetErrorsThatNameTheFileAndTheProblem(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    Path random = dir.resolve("random.mp4");
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    Files.write(random, noise);
    Path whole = Clips.constantRate(dir.resolve("whole.mp4"), 64, 36, 10, new int[] {Clips.RED}, new double[] {2});
    Path truncated = dir.resolve("truncated.mp4");
    byte[] recording = Files.readAllBytes(whole);
    int index = new String(recording, US_ASCII).indexOf("moov") - 4; // a recording stopped before its index
    assertTrue(index > 0, "FFmpeg's mp4 muxer writes the moov box last");
    Files.write(truncated, Arrays.copyOf(recording, index));
    for (Path bad : List.of(empty, random, truncated)) {
      IOException e = assertThrows(IOException.class, () -> new VideoFileSource(bad, null, false));
      assertEquals(bad + " is not a video FFmpeg can read: Invalid data found when processing input",
          e.getMessage());
    }
    Path sound = dir.resolve("sound.mkv");
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(sound.toFile(), 1)) {
      r.setFormat("matroska");
      r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
      r.setSampleRate(8000);
      r.start();
      r.recordSamples(8000, 1, ShortBuffer.allocate(800));
      r.stop();
    }
    IOException e = assertThrows(IOException.class, () -> new VideoFileSource(sound, null, false));
    assertEquals("no video stream in " + sound, e.getMessage());
  }

  /** Both rate sources and both ends of the grid search, without a file. */
  @Test
  void theGridIsTheAverageForAConstantRateElseTheFinestThatHoldsEveryFrame() {
    double[] cfr = {0, 1 / 24.0, 2 / 24.0, 3 / 24.0};
    assertEquals(24, Sources.gridRate(24, 48, cfr, 4 / 24.0, 1e-6), 1e-9, "a constant rate stays, whatever tbr");
    double[] gaps = {0, 1 / 30.0, 4 / 30.0, 5 / 30.0};
    assertEquals(30, Sources.gridRate(10, 30, gaps, 6 / 30.0, 1e-6), 1e-9, "FFmpeg's tbr holds them");
    assertEquals(30, Sources.gridRate(10, 10, gaps, 6 / 30.0, 1e-3), 1e-9, "a standard rate holds them");
    double[] jitter = {0, 0.0331, 0.0672, 0.1013};
    assertEquals(29.6, Sources.gridRate(29.6, 30, jitter, Double.NaN, 1 / 90_000.0), 1e-9, "no grid: the average");
    double[] fine = {0, 1 / 480.0, 1};
    assertEquals(2, Sources.gridRate(2, 480, fine, Double.NaN, 1e-6), 1e-9, "finer than 240 fps is not a rate");
    assertEquals(30, Sources.gridRate(0, 0, new double[0], Double.NaN, 1e-6), 1e-9, "nothing known: 30");
  }

  /**
   * QA's case of a variable-rate stream: frames 0-9, 12, 20-21, 30-38 and 44 of a 30 fps grid, the nth of them grey
   * 20 + 10n (steps wide enough to survive a round trip through YUV).
   */
  private static Clips.Shot[] gappedShots() {
    List<Clips.Shot> shots = new ArrayList<>();
    for (int t = 0; t < 45; t++) {
      if (t < 10 || t == 12 || t == 20 || t == 21 || (t >= 30 && t <= 38) || t == 44) {
        int grey = 20 + 10 * shots.size();
        shots.add(new Clips.Shot(grey << 16 | grey << 8 | grey, t));
      }
    }
    return shots.toArray(Clips.Shot[]::new);
  }

  /** The grid tick of the {@link #gappedShots} frame each frame of {@code video} shows, by its grey. */
  private static String shownTicks(Path video) throws Exception {
    Clips.Shot[] shots = gappedShots();
    StringBuilder shown = new StringBuilder();
    try (VideoFileSource s = new VideoFileSource(video, null, false)) {
      Frame next;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          int grey = Frames.pixel(f.image(), f.width() / 2, f.height() / 2)[1];
          int n = (int) Math.max(0, Math.min(shots.length - 1, Math.round((grey - 20) / 10.0)));
          shown.append(shots[n].tick()).append(' ');
        }
      }
    }
    return shown.toString();
  }

  /** Every frame of {@code in} written to {@code out} at the rate the source declares, as {@code render} does. */
  private static Path roundTrip(Path in, Path out) throws Exception {
    try (VideoFileSource s = new VideoFileSource(in, null, false);
         FrameSink sink = Sinks.open(out, s.size(), s.frameRate())) {
      Frame next;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          sink.write(f);
        }
      }
    }
    return out;
  }

  /** The frames' times, from the first, rounded to the millisecond (Matroska's tick). */
  private static List<Long> times(Path video) throws Exception {
    List<Long> times = new ArrayList<>();
    try (VideoFileSource s = new VideoFileSource(video, null, false)) {
      Frame next;
      long first = Long.MIN_VALUE;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          first = first == Long.MIN_VALUE ? f.ptsMicros() : first;
          times.add(Math.round((f.ptsMicros() - first) / 1000.0) * 1000);
        }
      }
    }
    return times;
  }

  private static int[] matrix(int a, int b, int c, int d) {
    return new int[] {a, b, 0, c, d, 0, 0, 0, 1 << 30};
  }

  private static char colour(Frame f, int x, int y) {
    return Clips.colourClass(Frames.pixel(f.image(), x, y));
  }
}
