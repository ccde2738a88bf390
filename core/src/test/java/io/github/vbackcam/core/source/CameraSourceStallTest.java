package io.github.vbackcam.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.BundledFFmpeg;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera reader and its stall rule against a real slow camera: a real FFmpeg writing live 15 fps video into a
 * FIFO, which the camera source reads through FFmpeg as it reads a webcam. The camera's gaps are FFmpeg stopped
 * (SIGSTOP) and continued (SIGCONT): the reader blocks in the camera exactly as on a webcam that delivers late.
 */
// FFmpeg failing before it opens the FIFO leaves the grabber's open blocked in native code, which no interrupt ends:
// the timeout fails the test from a thread of its own, and the others go on.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CameraSourceStallTest {

  private static final long S = 1_000_000_000L;
  private static final long BASE = StallWatch.baseNanos(15);

  @TempDir
  Path dir;

  @Test
  void aCameraWithGapsOfOneAndAHalfSecondsIsLostOnceThenNoMoreAndAFrozenOneIsFoundWithinTheCap() throws Exception {
    FrameGaps gaps = new FrameGaps("fifo camera");
    // Its first 1.5 s gap, with no history: a stall after 1 s, as before; the frame that comes late teaches.
    try (Feed feed = new Feed(dir.resolve("first.y4m")); CameraSource camera = feed.open(gaps)) {
      Reading reading = new Reading(camera);
      await("15 frames", () -> reading.frames() >= 15, 30);
      feed.signal("STOP");
      Thread.sleep(1500);
      feed.signal("CONT");
      reading.join();
      assertTrue(reading.failure.getMessage().startsWith("camera fifo camera delivered no frame for ")
          && reading.failure.getMessage().contains(" (its limit now: 1.0 s; "), reading.failure.getMessage());
      await("the late frame learned", () -> gaps.limitNanos(BASE, System.nanoTime()) > BASE, 30);
    }
    long learned = gaps.limitNanos(BASE, System.nanoTime());
    // Twice the gap, which is 1.5 s less what the reader took to fetch a frame already in the FIFO at SIGSTOP.
    assertTrue(learned >= 2500_000_000L && learned <= FrameGaps.CAP_NANOS, "limit after a 1.5 s gap: " + learned);

    // Reopened, as the engine does after camera-lost: gaps of 1.5 s again are no stall.
    try (Feed feed = new Feed(dir.resolve("second.y4m")); CameraSource camera = feed.open(gaps)) {
      Reading reading = new Reading(camera);
      for (int gap = 0; gap < 3; gap++) {
        int before = reading.frames();
        await("10 more frames", () -> reading.frames() >= before + 10, 30);
        feed.signal("STOP");
        Thread.sleep(1500);
        feed.signal("CONT");
      }
      int before = reading.frames();
      await("10 more frames after the last gap", () -> reading.frames() >= before + 10 || reading.done(), 30);
      assertNull(reading.failure, "a gap of 1.5 s after a history of them");
      // Frozen for good: found within the learned limit, well inside the cap.
      long frozen = System.nanoTime();
      feed.signal("STOP");
      reading.join();
      long found = System.nanoTime() - frozen;
      assertTrue(reading.failure.getMessage().startsWith("camera fifo camera delivered no frame for "),
          reading.failure.getMessage());
      assertTrue(found >= 2 * S && found < FrameGaps.CAP_NANOS + 5 * S, "stall found after " + found / 1e9
          + " s: " + reading.failure.getMessage());
      feed.signal("CONT");
    }
  }

  @Test
  void aCameraThatFailsIsReportedAtOnceWhateverItsLimit() throws Exception {
    FrameGaps gaps = new FrameGaps("fifo camera");
    gaps.record(4 * S, System.nanoTime());
    try (Feed feed = new Feed(dir.resolve("dies.y4m")); CameraSource camera = feed.open(gaps)) {
      Reading reading = new Reading(camera);
      await("15 frames", () -> reading.frames() >= 15, 30);
      assertEquals(8 * S, gaps.limitNanos(BASE, System.nanoTime()));
      long killed = System.nanoTime();
      feed.process.destroyForcibly();
      reading.join();
      long found = System.nanoTime() - killed;
      assertEquals("camera fifo camera stopped delivering frames", reading.failure.getMessage());
      assertTrue(found < 4 * S, "the end of the camera's stream took " + found / 1e9 + " s to report");
    }
  }

  private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * S;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out after " + seconds + " s waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  @Timeout(60)
  void aFrameTheReaderCannotConvertFailsReadInsteadOfHangingIt(@TempDir Path dir) throws Exception {
    Path clip = dir.resolve("clip.y4m");
    assertEquals(0, BundledFFmpeg.command("-nostdin", "-loglevel", "fatal", "-f", "lavfi", "-i",
        "testsrc2=size=160x90:rate=15", "-frames:v", "30", "-pix_fmt", "yuv420p", "-y", clip.toString())
        .inheritIO().start().waitFor(), "ffmpeg");
    // A real grabber on a real clip whose frames come back without pixels, as a broken driver's might: the reader
    // thread's conversion throws.
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toString()) {
      @Override
      public org.bytedeco.javacv.Frame grabImage() throws Exception {
        super.grabImage();
        return new org.bytedeco.javacv.Frame();
      }
    };
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    grabber.start();
    try (CameraSource camera = new CameraSource("broken camera", grabber, null, new FrameGaps("broken camera"))) {
      IOException e = assertThrows(IOException.class, camera::read);
      assertTrue(e.getMessage().startsWith("camera broken camera failed: "), e.getMessage());
    }
    assertEquals(0, FrameLeakDetector.liveFrames(), () -> "leaked: " + FrameLeakDetector.liveAllocations());
  }

  /** A real FFmpeg playing a test pattern live (-re) at 15 fps into a FIFO as Y4M, a frame per write. */
  private static final class Feed implements AutoCloseable {
    final Path fifo;
    final Process process;

    Feed(Path fifo) throws IOException, InterruptedException {
      this.fifo = fifo;
      assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo");
      process = BundledFFmpeg.command("-nostdin", "-loglevel", "fatal", "-re", "-f", "lavfi", "-i",
          "testsrc2=size=160x90:rate=15", "-pix_fmt", "yuv420p", "-flush_packets", "1", "-f", "yuv4mpegpipe", "-y",
          fifo.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      // An FFmpeg that dies before it opens the FIFO (a missing library) would leave the grabber's open blocked in
      // native code for good, holding JavaCV's global lock, and every later test's grabber waiting on it. When the
      // process ends, a read-write open (which never blocks) held for a second lets a reader opening meanwhile
      // through, and its close gives that reader the end of the stream. Opened without CREATE: RandomAccessFile's
      // "rw" made a regular file in the FIFO's place when the test's directory was being deleted, which then failed.
      process.onExit().thenRunAsync(() -> {
        try (FileChannel writer = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          Thread.sleep(1000);
        } catch (IOException | InterruptedException e) {
          // the FIFO is gone with the test's directory: nobody waits on it
        }
      });
    }

    /** Opens the FIFO as the camera source opens a webcam: through FFmpeg, BGR frames of the camera's size. */
    CameraSource open(FrameGaps gaps) throws IOException {
      assertTrue(process.isAlive(), () -> "ffmpeg exited with " + process.exitValue() + " before the camera opened");
      FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(fifo.toString());
      grabber.setFormat("yuv4mpegpipe");
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      return new CameraSource("fifo camera", grabber, null, gaps);
    }

    void signal(String name) throws IOException, InterruptedException {
      assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start()
          .waitFor(), "kill -" + name);
    }

    @Override
    public void close() throws Exception {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Reads the camera on a thread of its own, as the pipeline's source thread does, until it fails. */
  private static final class Reading {
    private final Thread thread;
    private volatile int frames;
    volatile IOException failure;

    Reading(CameraSource camera) {
      thread = new Thread(() -> {
        try {
          while (true) {
            try (Frame f = camera.read()) {
              frames++;
            }
          }
        } catch (IOException e) {
          failure = e;
        }
      }, "camera-reading");
      thread.start();
    }

    int frames() {
      return frames;
    }

    boolean done() {
      return !thread.isAlive();
    }

    void join() throws InterruptedException {
      thread.join(30_000);
      assertTrue(done(), "the camera was still read 30 s later");
    }
  }
}
