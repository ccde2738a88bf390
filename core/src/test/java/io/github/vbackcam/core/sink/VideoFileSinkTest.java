package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.source.Sources;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output files keep the frames' times: timestamps where the container has them, a truthful constant rate else; and
 * each picture as FFmpeg's own conversion gives it, though a repeated one is converted once.
 */
class VideoFileSinkTest {

  private static final VideoSize SIZE = new VideoSize(64, 36);

  private final long liveFramesBefore = FrameLeakDetector.liveFrames();

  @AfterEach
  void noFrameLeaks() {
    assertEquals(liveFramesBefore, FrameLeakDetector.liveFrames(), () -> "frames left alive: "
        + FrameLeakDetector.liveAllocations());
  }

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

  /**
   * The Y4M holds FFmpeg's own conversion of every picture, repeated or changed: byte for byte where the sink scales
   * with swscale as the recorder does (an odd height), and within rounding where OpenCV converts (an even one: luma
   * within one code; each 2x2 block's chroma its first pixel's where swscale filters it, so U and V each close on
   * average: swapped, or a plane out of place, they are not).
   */
  @Test
  void aY4mHoldsWhatFfmpegsOwnConversionGivesForEveryPictureRepeatedOrChanged(@TempDir Path dir) throws Exception {
    for (VideoSize size : new VideoSize[] {SIZE, new VideoSize(64, 35)}) {
      Path out = dir.resolve("sink-" + size + ".y4m");
      try (VideoFileSink sink = new VideoFileSink(out, size, 30)) {
        writeCameraThenPlaceholders(size, sink::write);
      }
      // The recorder converting every copy itself, as this sink did before it kept its conversions.
      Path reference = dir.resolve("reference-" + size + ".y4m");
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(reference.toFile(), size.width(), size.height(), 0);
           OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
        recorder.setFrameRate(30);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFormat("yuv4mpegpipe");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_RAWVIDEO);
        recorder.start();
        ConstantRate grid = new ConstantRate(30);
        Mat[] before = {null};
        writeCameraThenPlaceholders(size, f -> {
          ConstantRate.Slots slots = grid.next(f.ptsMicros());
          for (int i = 0; i < slots.held(); i++) {
            recorder.record(converter.convert(before[0]), avutil.AV_PIX_FMT_BGR24);
          }
          if (slots.current() > 0) {
            recorder.record(converter.convert(f.image()), avutil.AV_PIX_FMT_BGR24);
          }
          if (before[0] != null) {
            before[0].close();
          }
          before[0] = f.image().clone();
        });
        before[0].close();
      }
      byte[] written = Files.readAllBytes(out);
      byte[] expected = Files.readAllBytes(reference);
      if (size.height() % 2 != 0) {
        assertEquals(-1, Arrays.mismatch(expected, written), size + ": first differing byte");
      } else {
        assertSameWithinRounding(expected, written, size);
      }
      // Pictures 0-2 from the camera at 0, 0.5 and 1 s (15 + 15 slots each), then A, A, B, A each half a second
      // later: frames 45-74 A, 75-89 B, 90 A; a slot before a picture's time shows the picture before it.
      assertEquals(91, y4mFrames(out, size));
      assertNotEquals(y4mFrame(out, size, 45), y4mFrame(out, size, 44), "A shows at its own time, not before");
      assertEquals(y4mFrame(out, size, 45), y4mFrame(out, size, 74));
      assertNotEquals(y4mFrame(out, size, 74), y4mFrame(out, size, 75), "B shows at 2.5 s");
      assertEquals(y4mFrame(out, size, 75), y4mFrame(out, size, 89), "B held until A's time");
      assertEquals(y4mFrame(out, size, 45), y4mFrame(out, size, 90), "A again after B");
    }
  }

  /** Same header and frames; per frame, luma within one code, and U and V each within two codes on average. */
  private static void assertSameWithinRounding(byte[] expected, byte[] written, VideoSize size) {
    assertEquals(expected.length, written.length, size + ": file length");
    int header = indexOf(expected, (byte) '\n') + 1;
    assertEquals(new String(expected, 0, header, StandardCharsets.ISO_8859_1),
        new String(written, 0, header, StandardCharsets.ISO_8859_1), size + ": header");
    int luma = size.width() * size.height();
    int frame = "FRAME\n".length() + luma * 3 / 2;
    for (int start = header, n = 0; start < expected.length; start += frame, n++) {
      int pixels = start + "FRAME\n".length();
      for (int i = pixels; i < pixels + luma; i++) {
        assertEquals(expected[i] & 0xff, written[i] & 0xff, 1, size + " frame " + n + ": luma byte " + (i - pixels));
      }
      for (int plane = 0; plane < 2; plane++) {
        int from = pixels + luma + plane * luma / 4;
        long diff = 0;
        for (int i = from; i < from + luma / 4; i++) {
          diff += Math.abs((expected[i] & 0xff) - (written[i] & 0xff));
        }
        double mean = diff / (luma / 4.0);
        assertTrue(mean <= 2, size + " frame " + n + ": " + (plane == 0 ? "U" : "V") + " differs by " + mean
            + " on average");
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Takes frames written to an output. */
  private interface Output {
    void write(Frame frame) throws IOException;
  }

  /**
   * Writes three camera pictures, then a placeholder as the service does, 2 a second and each time as a new frame:
   * A, A, B (A with its last pixel changed), A.
   */
  private static void writeCameraThenPlaceholders(VideoSize size, Output out) throws IOException {
    List<Frame> pictures = new ArrayList<>();
    try (FrameSource s = Sources.open(TestData.tearsOfSteel(), size, false)) {
      for (int i = 0; i < 3; i++) {
        pictures.add(s.read());
      }
      Frame a = Frames.solid(size.width(), size.height(), 40, 40, 40);
      Frame b = a.copyAt(-1, 0);
      Frames.paintPerson(b, size.width() - 1, size.height() - 1, 1, 1, 255, 255, 255);
      pictures.addAll(List.of(a, a, b, a));
      long t = 0;
      for (Frame picture : pictures) {
        try (Frame f = picture.copyAt(-1, t)) {
          out.write(f);
        }
        t += 500_000;
      }
    } finally {
      new LinkedHashSet<>(pictures).forEach(Frame::close);
    }
  }

  @Test
  void aLongGapIsNotFilledWithCopies() {
    ConstantRate grid = new ConstantRate(30);
    assertEquals(new ConstantRate.Slots(0, 1), grid.next(0));
    assertEquals(new ConstantRate.Slots(0, 1), grid.next(33_333));
    assertEquals(new ConstantRate.Slots(0, 0), grid.next(40_000), "a second frame within one slot is dropped");
    assertEquals(new ConstantRate.Slots(2, 1), grid.next(133_333),
        "two missing slots show the picture before, then the frame at its own slot");
    assertEquals(new ConstantRate.Slots(0, 1), grid.next(60_000_000),
        "a minute's gap (a suspended machine) restarts the grid");
    assertEquals(new ConstantRate.Slots(0, 1), grid.next(60_033_333));
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

  /** Frames in a Y4M file of {@code size}, 4:2:0. */
  static long y4mFrames(Path y4m, VideoSize size) throws IOException {
    return (Files.size(y4m) - y4mHeaderBytes(y4m)) / (6 + i420Bytes(size));
  }

  /** Frame {@code index}'s Y, U and V planes. */
  static List<Byte> y4mFrame(Path y4m, VideoSize size, int index) throws IOException {
    byte[] all = Files.readAllBytes(y4m);
    int start = (int) (y4mHeaderBytes(y4m) + index * (6 + i420Bytes(size)) + 6);
    List<Byte> frame = new ArrayList<>();
    for (int i = start; i < start + i420Bytes(size); i++) {
      frame.add(all[i]);
    }
    return frame;
  }

  private static int i420Bytes(VideoSize size) {
    return size.width() * size.height() + 2 * ((size.width() + 1) / 2) * ((size.height() + 1) / 2);
  }

  private static long y4mHeaderBytes(Path y4m) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(y4m, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return r.readLine().length() + 1;
    }
  }

  static long y4mFrames(Path y4m) throws IOException {
    long frames = y4mFrames(y4m, SIZE);
    assertTrue(frames > 0, "frames in " + y4m);
    return frames;
  }
}
