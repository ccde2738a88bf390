package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.source.VideoFileSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PipeWire camera against the real PipeWire daemon and WirePlumber, with GStreamer's {@code pipewiresrc} as
 * the app. Run by {@code core/src/test/pipewire/run}, which installs them and gives the JVM a private runtime
 * directory; the session bus, PipeWire and WirePlumber are started here, so the test can also stop them.
 *
 * <p>Frames are a real video of a person with two marks drawn on: a magenta square, whose YUY2 value is checked
 * against BT.601, and the frame's index as a row of black and white blocks, so each frame a consumer receives is
 * matched byte for byte with the frame that was written (its YUY2 computed here the way the sink does).
 */
class PipeWireSinkIT {

  private static final Logger LOG = LoggerFactory.getLogger(PipeWireSinkIT.class);
  private static final VideoSize SIZE = new VideoSize(1280, 720);
  /** The rate frames are written at and the node advertises: a webcam's, whatever the video file's own. */
  private static final int FPS = 30;
  /** The rate of a camera slowed down in low light, far beyond the tolerance from {@link #FPS}. */
  private static final int SLOW_FPS = 10;
  /** The frame index drawn on each frame: BITS blocks of BLOCK x BLOCK pixels along the top, white for 1. */
  static final int BITS = 16;
  static final int BLOCK = 40;
  private static final Rect MAGENTA = new Rect(800, 100, 160, 160);

  /** CRC32 of the YUY2 of each frame written, by frame index. */
  private final Map<Integer, Long> written = new ConcurrentHashMap<>();
  /** The rate the feeder writes at now. */
  private volatile int pace = FPS;

  @Test
  void publishesACameraNodeThatAppsReadAndThatOutlivesPipeWire() throws Exception {
    Path logs = Path.of("target", "pipewire-it").toAbsolutePath();
    try (PipeWireSession session = new PipeWireSession(logs)) {
      // No daemon yet: one line that says why, nothing else escapes.
      try (PipeWireSink ignored = PipeWireSink.open(SIZE, FPS)) {
        fail("opened a PipeWire sink without a PipeWire daemon");
      } catch (IOException e) {
        LOG.info("without PipeWire: {}", e.getMessage());
        assertTrue(e.getMessage().startsWith("no PipeWire daemon at " + session.socket()), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
      }

      // A PipeWire-only service starts before PipeWire: its node appears once PipeWire does.
      try (PipeWireSink waiting = PipeWireSink.openWaiting(SIZE, FPS)) {
        assertFalse(waiting.isPublished(), "published without a daemon");
        assertEquals("PipeWire node vbackcam (waiting for PipeWire)", waiting.describe());
        session.start();
        PipeWireSession.await("the waiting sink's node in pw-dump", () -> session.node("vbackcam").isPresent());
        assertTrue(waiting.isPublished());
        assertEquals("PipeWire node vbackcam", waiting.describe());
      }
      PipeWireSession.await("the waiting sink's node gone", () -> session.node("vbackcam").isEmpty());

      Path video = TestData.file("data/videos/davis2016_lucia_854x480_24fps.mp4");
      try (PipeWireSink sink = PipeWireSink.open(SIZE, FPS);
          ConsumerMonitor consumers = sink.consumerMonitor()) {
        AtomicInteger count = new AtomicInteger(-1);
        AtomicBoolean linkedWhenNone = new AtomicBoolean();
        consumers.start(n -> {
          if (n == 0) {
            linkedWhenNone.set(sink.isLinked());
          }
          count.set(n);
        });
        AtomicReference<Throwable> feedError = new AtomicReference<>();
        Thread feeder = new Thread(() -> feed(video, sink, feedError), "feeder");
        feeder.start();
        try {
          assertNodeAdvertised(session);
          assertEquals(0, count.get(), "consumers before any app reads");

          readAndCheck(session, sink, count, "first reader");
          PipeWireSession.await("no consumer after the reader left", () -> count.get() == 0 && !sink.isLinked());
          // The count fell at once, while the sink still held the link for its grace: the engine's own grace, not
          // the sink's, decides whether the app has left (a PipeWire app frees the webcam after one second, not two).
          assertTrue(linkedWhenNone.get(), "the consumer count waited for the sink's link grace");

          // PipeWire goes away under the running sink, then comes back: so does the node.
          session.stop();
          session.start();
          assertNodeAdvertised(session);
          readAndCheck(session, sink, count, "reader after PipeWire restarted");
          PipeWireSession.await("no consumer after the second reader left", () -> count.get() == 0);

          // The camera slows down: an app reads it at that rate; once it has gone, the node offers the rate the
          // frames arrived at, and the next app reads at it.
          pace = SLOW_FPS;
          readAndCheck(session, sink, count, "reader at " + SLOW_FPS + " fps", 60);
          PipeWireSession.await("node vbackcam offering " + SLOW_FPS + "/1",
              () -> session.node("vbackcam").map(PipeWireSinkIT::offeredRate).orElse("").equals(SLOW_FPS + "/1"));
          readAndCheck(session, sink, count, "reader after the rate changed");
        } finally {
          feeder.interrupt();
          feeder.join(10_000);
        }
        if (feedError.get() != null) {
          throw new AssertionError("feeding frames failed", feedError.get());
        }
        measure(session, sink, video);
      }
      PipeWireSession.await("node gone after the sink closed", () -> session.node("vbackcam").isEmpty());
    }
  }

  private void assertNodeAdvertised(PipeWireSession session) throws InterruptedException {
    PipeWireSession.await("pw-dump lists node vbackcam", () -> session.node("vbackcam").isPresent());
    JsonObject node = session.node("vbackcam").orElseThrow();
    assertEquals("Video/Source", PipeWireSession.prop(node, "media.class"));
    assertEquals("Camera", PipeWireSession.prop(node, "media.role"));
    assertEquals("vbackcam", PipeWireSession.prop(node, "node.description"));
    JsonObject format = node.getAsJsonObject("info").getAsJsonObject("params").getAsJsonArray("EnumFormat")
        .get(0).getAsJsonObject();
    assertEquals("video", format.get("mediaType").getAsString());
    assertEquals("raw", format.get("mediaSubtype").getAsString());
    assertEquals("YUY2", format.get("format").getAsString());
    assertEquals(1280, format.getAsJsonObject("size").get("width").getAsInt());
    assertEquals(720, format.getAsJsonObject("size").get("height").getAsInt());
    assertEquals(FPS + "/1", offeredRate(node));
  }

  /** The frame rate the node offers in its first EnumFormat, as "num/denom". */
  private static String offeredRate(JsonObject node) {
    JsonObject rate = node.getAsJsonObject("info").getAsJsonObject("params").getAsJsonArray("EnumFormat").get(0)
        .getAsJsonObject().getAsJsonObject("framerate");
    return rate.get("num").getAsInt() + "/" + rate.get("denom").getAsInt();
  }

  private void readAndCheck(PipeWireSession session, PipeWireSink sink, AtomicInteger count, String who)
      throws Exception {
    readAndCheck(session, sink, count, who, 30);
  }

  /** Reads n frames with pipewiresrc; checks size, the magenta square, and each frame against what was written. */
  private void readAndCheck(PipeWireSession session, PipeWireSink sink, AtomicInteger count, String who, int n)
      throws Exception {
    Path out = session.logs().resolve("frames.yuy2");
    Files.deleteIfExists(out);
    Process reader = new ProcessBuilder("gst-launch-1.0", "-q", "pipewiresrc", "target-object=vbackcam",
        "num-buffers=" + n, "!", "video/x-raw,format=YUY2,width=1280,height=720", "!", "filesink",
        "location=" + out).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(session.logs().resolve("gst.log").toFile())).start();
    try {
      PipeWireSession.await(who + " counted as a consumer", () -> count.get() == 1 && sink.isLinked());
      if (!reader.waitFor(PipeWireSession.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        fail(who + ": pipewiresrc got no " + n + " frames within " + PipeWireSession.DEADLINE.toSeconds() + " s");
      }
    } finally {
      reader.destroyForcibly();
    }
    assertEquals(0, reader.exitValue(), who + ": gst-launch failed; see " + session.logs().resolve("gst.log"));
    byte[] all = Files.readAllBytes(out);
    int frameBytes = SIZE.width() * SIZE.height() * 2;
    assertEquals((long) n * frameBytes, all.length, who + ": " + n + " frames of 1280x720 YUY2");
    Set<Integer> indices = new TreeSet<>();
    for (int f = 0; f < n; f++) {
      byte[] frame = java.util.Arrays.copyOfRange(all, f * frameBytes, (f + 1) * frameBytes);
      assertMagenta(frame, who + " frame " + f);
      int index = readIndex(frame);
      Long crc = written.get(index);
      assertTrue(crc != null, who + " frame " + f + " carries index " + index + ", which was never written");
      assertEquals(crc, crc32(frame), who + " frame " + f + " (index " + index + ") differs from what was written");
      indices.add(index);
    }
    LOG.info("{}: {} frames of 1280x720 YUY2, indices {}", who, n, indices);
    assertTrue(indices.size() >= 10, who + " saw a live video, not a few repeated frames: " + indices);
  }

  /**
   * Writes the video, looped and paced at {@link #pace}, with the marks drawn on, until interrupted. Each frame is
   * presented at its slot on the feed's clock, as a camera stamps a frame when it captures it, not at the video's own
   * timestamps: the node measures the rate from them. (Stamped when written, the frames a feeder delayed by a loaded
   * machine wrote to catch up read as a faster camera: 44 fps measured once, and offered.)
   */
  private void feed(Path video, PipeWireSink sink, AtomicReference<Throwable> error) {
    byte[] yuy2 = new byte[SIZE.width() * SIZE.height() * 2];
    try (VideoFileSource source = new VideoFileSource(video, SIZE, true);
        Yuy2Converter converter = new Yuy2Converter()) {
      long due = System.nanoTime();
      for (int index = 0; !Thread.currentThread().isInterrupted(); index++) {
        try (Frame read = source.read();
            Frame frame = read.copyAt(index, due / 1000)) {
          mark(frame, index);
          converter.convert(frame.image()).get(yuy2); // the sink's own conversion: this checks the transport
          written.put(index, crc32(yuy2));
          sink.write(frame);
        }
        due += 1_000_000_000L / pace;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      // asked to stop
    } catch (Throwable e) {
      error.set(e);
    }
  }

  /** Draws the magenta square and {@code index} (see {@link #BITS}) on the frame. */
  static void mark(Frame frame, int index) {
    var image = frame.image();
    opencv_imgproc.rectangle(image, MAGENTA, new Scalar(255, 0, 255, 0), opencv_imgproc.FILLED, 8, 0);
    for (int bit = 0; bit < BITS; bit++) {
      int v = ((index >> bit) & 1) == 1 ? 255 : 0;
      opencv_imgproc.rectangle(image, new Point(bit * BLOCK, 0), new Point(bit * BLOCK + BLOCK - 1, BLOCK - 1),
          new Scalar(v, v, v, 0), opencv_imgproc.FILLED, 8, 0);
    }
  }

  private static int readIndex(byte[] yuy2) {
    int index = 0;
    for (int bit = 0; bit < BITS; bit++) {
      int x = bit * BLOCK + BLOCK / 2;
      int y = BLOCK / 2;
      int luma = yuy2[(y * SIZE.width() + x) * 2] & 0xff;
      if (luma > 128) {
        index |= 1 << bit;
      }
    }
    return index;
  }

  /** The square's Y, U and V against BT.601 limited range, computed here from the standard's coefficients. */
  private static void assertMagenta(byte[] yuy2, String where) {
    double r = 255;
    double g = 0;
    double b = 255;
    double y = 16 + 0.257 * r + 0.504 * g + 0.098 * b;
    double u = 128 - 0.148 * r - 0.291 * g + 0.439 * b;
    double v = 128 + 0.439 * r - 0.368 * g - 0.071 * b;
    int px = MAGENTA.x() + MAGENTA.width() / 2;
    int py = MAGENTA.y() + MAGENTA.height() / 2;
    int at = (py * SIZE.width() + px) * 2;
    assertEquals(y, yuy2[at] & 0xff, 2, where + ": Y of the magenta square");
    assertEquals(u, yuy2[at + 1] & 0xff, 2, where + ": U of the magenta square");
    assertEquals(v, yuy2[at + 3] & 0xff, 2, where + ": V of the magenta square");
  }

  /**
   * What the output costs at 720p30, for the record (the machine is shared, so nothing is asserted): the process's
   * CPU per frame while a client reads, less the same loop's while none does, and the time {@code write} takes.
   */
  private static void measure(PipeWireSession session, PipeWireSink sink, Path video) throws Exception {
    try (VideoFileSource source = new VideoFileSource(video, SIZE, false);
        Frame frame = source.read()) {
      double[] idle = writeFor(sink, frame, 150);
      Process reader = new ProcessBuilder("gst-launch-1.0", "-q", "pipewiresrc", "target-object=vbackcam", "!",
          "video/x-raw,format=YUY2,width=1280,height=720", "!", "fakesink").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(session.logs().resolve("gst.log").toFile())).start();
      try {
        PipeWireSession.await("the measuring reader linked", sink::isLinked);
        double[] linked = writeFor(sink, frame, 150);
        LOG.info("PipeWire output at {} {} fps: {} ms CPU per frame (process: {} with a client linked, {} without);"
            + " write() takes {} ms", SIZE, FPS, String.format("%.2f", linked[0] - idle[0]),
            String.format("%.2f", linked[0]), String.format("%.2f", idle[0]), String.format("%.2f", linked[1]));
      } finally {
        reader.destroy();
        reader.waitFor();
      }
    }
  }

  /** Writes {@code frame} {@code count} times at {@link #FPS}; returns process CPU and write() wall ms per frame. */
  private static double[] writeFor(PipeWireSink sink, Frame frame, int count) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    long writing = 0;
    for (int i = 0; i < count; i++) {
      long t = System.nanoTime();
      sink.write(frame);
      writing += System.nanoTime() - t;
      long wait = start + (i + 1) * 1_000_000_000L / FPS - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    return new double[] {(os.getProcessCpuTime() - cpu) / 1e6 / count, writing / 1e6 / count};
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
