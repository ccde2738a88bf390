package io.github.vbackcam.core.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.vbackcam.core.EngineListener;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.RecordingSegmenter;
import io.github.vbackcam.core.Render;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.segment.Segmenter;
import io.github.vbackcam.core.segment.SegmenterFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live engine with fakes on every side: a blue camera that counts opens and closes, a segmenter that finds no
 * person (so the whole frame is background), consumer events the test fires, and a sink that records what it got.
 */
class LiveEngineTest {

  private static final VideoSize SIZE = new VideoSize(64, 36);

  private final FakeCamera camera = new FakeCamera();
  private final FakeConsumers consumers = new FakeConsumers();
  private final RecordingSink sink = new RecordingSink();
  private LiveEngine engine;

  private LiveEngine start(int initialConsumers) throws IOException {
    return start(initialConsumers, MaskSettings.STILL, name -> {
      if (name.equals("bad")) {
        throw new IOException("model 'bad' is broken");
      }
      return new NoPersonSegmenter(name);
    });
  }

  private LiveEngine start(int initialConsumers, MaskSettings mask, SegmenterFactory models) throws IOException {
    consumers.count = initialConsumers;
    engine = new LiveEngine(camera, sink, SIZE, consumers, models, mask, 5);
    engine.prepare(new Effect.Color(0xff0000, false), "fake");
    engine.start();
    return engine;
  }

  private final long liveFramesBefore = FrameLeakDetector.liveFrames();

  @AfterEach
  void closeEngineAndCheckForLeaks() throws IOException {
    if (engine != null) {
      engine.close();
    }
    assertEquals(liveFramesBefore, FrameLeakDetector.liveFrames(), "frames left alive after close: "
        + FrameLeakDetector.liveAllocations());
  }

  @Test
  void framesGetTheBackgroundWhileSomeoneWatches() throws Exception {
    start(1);
    await("running", () -> engine.status().state() == LiveState.RUNNING);
    await("a red frame", () -> sink.last().equals("red"));
    assertTrue(engine.status().fps() >= 0);
  }

  /** Chromium restarting its capture, or an app moving from the loopback device to the PipeWire node: no blink. */
  @Test
  void anAppStreamingAgainAtOnceKeepsTheCameraOpen() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    int opensBefore = camera.opens.get();
    consumers.fire(0);
    Thread.sleep(50);
    consumers.fire(1);
    Thread.sleep(ConsumerGrace.MILLIS + 500);
    assertEquals(opensBefore, camera.opens.get(), "the camera was closed and opened again for a stream restart");
    assertEquals(1, camera.open.get());
    assertEquals(LiveState.RUNNING, engine.status().state());
    assertEquals("red", sink.last());
  }

  @Test
  void noConsumerClosesTheCameraAndKeepsTheDeviceFedUntilOneComesBack() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    consumers.fire(0);
    await("idle", () -> engine.status().state() == LiveState.IDLE_NO_CONSUMER);
    await("camera closed", () -> camera.open.get() == 0);
    int opensBefore = camera.opens.get();
    int written = sink.count();
    Thread.sleep(1200);
    assertTrue(sink.count() - written >= 1, "no placeholder within 1.2 s while idle");
    assertEquals("placeholder", sink.last());
    assertEquals(opensBefore, camera.opens.get(), "the camera was reopened while no one watched");
    long resumed = System.nanoTime();
    consumers.fire(1);
    await("running again", () -> engine.status().state() == LiveState.RUNNING);
    await("a red frame again", () -> sink.last().equals("red"));
    assertTrue(System.nanoTime() - resumed < 1_000_000_000L, "resumed too slowly");
  }

  @Test
  void aVanishedCameraShowsThePlaceholderAndRecoversByItself() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    camera.broken.set(true);
    await("camera-lost", () -> engine.status().state() == LiveState.CAMERA_LOST);
    assertTrue(engine.status().detail().contains("unplugged"), engine.status().detail());
    await("placeholder", () -> sink.last().equals("placeholder"));
    camera.broken.set(false);
    await("running again", () -> engine.status().state() == LiveState.RUNNING);
    await("a red frame again", () -> sink.last().equals("red"));
  }

  @Test
  void pauseClosesTheCameraUntilResume() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    engine.pause(PauseReason.USER);
    await("paused", () -> engine.status().state() == LiveState.PAUSED);
    await("camera closed", () -> camera.open.get() == 0);
    engine.resume(PauseReason.USER);
    await("a red frame again", () -> sink.last().equals("red"));
  }

  @Test
  void theCameraComesBackOnlyWhenEveryPauseReasonIsResumed() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    engine.pause(PauseReason.USER);
    engine.pause(PauseReason.HOLD);
    await("paused", () -> engine.status().state() == LiveState.PAUSED);
    engine.resume(PauseReason.USER);
    Thread.sleep(300);
    assertEquals(LiveState.PAUSED, engine.status().state(), "a hold still pauses");
    assertEquals(0, camera.open.get());
    engine.resume(PauseReason.HOLD);
    await("a red frame again", () -> sink.last().equals("red"));
  }

  @Test
  void theFirstFrameAfterResumeIsNotSmoothedWithTheMaskFromBeforeThePause() throws Exception {
    RecordingSegmenter model = new RecordingSegmenter("fake", 255);
    start(1, MaskSettings.STILL.withSmoothing(0.9), name -> model);
    await("the camera's blue: all person", () -> sink.last().equals("blue"));
    engine.pause(PauseReason.USER);
    await("placeholder", () -> sink.last().equals("placeholder"));
    model.person(0);
    int mark = sink.count();
    engine.resume(PauseReason.USER);
    await("a camera frame after resume", () -> sink.since(mark).stream().anyMatch(c -> !c.equals("placeholder")));
    String first = sink.since(mark).stream().filter(c -> !c.equals("placeholder")).findFirst().orElseThrow();
    assertEquals("red", first, "the first frame after resume blended the new mask with the one from before");
  }

  @Test
  void renderAndLiveRunTheSameChainEachStepOnItsOwnThread() throws Exception {
    RecordingSegmenter rendered = new RecordingSegmenter("fake", 0);
    Render.run(new Render.Job(TestData.tearsOfSteel(), null, SIZE, new Effect.Color(0xff0000, false),
        MaskSettings.STILL, "fake", 5, false), name -> rendered, EngineListener.NONE);
    RecordingSegmenter live = new RecordingSegmenter("fake", 0);
    start(1, MaskSettings.STILL, name -> live);
    await("a red frame", () -> sink.last().equals("red"));
    engine.close();
    engine = null;
    Set<String> expected = Set.of("prepare@vbackcam-prepare", "segment@vbackcam-segment",
        "reset@vbackcam-segment", "close@" + Thread.currentThread().getName());
    assertEquals(expected, Set.copyOf(live.calls()), "live");
    assertEquals(expected.stream().filter(c -> !c.startsWith("reset")).collect(Collectors.toSet()),
        Set.copyOf(rendered.calls()), "render: a file is read once, from its start, so nothing resets");
  }

  @Test
  void theHologramReachesTheLiveCamera() throws Exception {
    start(1, MaskSettings.STILL, name -> new RecordingSegmenter(name, 255));
    await("the camera's blue: all person", () -> sink.last().equals("blue"));
    engine.setEffect(new Effect.Color(0xff0000, true));
    await("the hologram's dark scan line on the top row", () -> sink.topRowBlue < 200);
    assertEquals("color #ff0000 + hologram", engine.status().effect().toString());
    engine.setEffect(new Effect.Color(0xff0000, false));
    await("the plain camera again", () -> sink.topRowBlue == 255);
  }

  @Test
  void aBadModelIsRejectedAndTheOldOneStays() throws Exception {
    start(1);
    IOException e = assertThrows(IOException.class, () -> engine.setModel("bad"));
    assertEquals("model 'bad' is broken", e.getMessage());
    assertEquals("fake", engine.status().model());
    await("a red frame", () -> sink.last().equals("red"));
  }

  @Test
  void modeNonePassesTheCameraThroughAndBackgroundsSwapWithoutRestart() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    int opens = camera.opens.get();
    engine.setEffect(new Effect.None());
    await("the camera's blue", () -> sink.last().equals("blue"));
    engine.setEffect(new Effect.Color(0x00ff00, false));
    await("green", () -> sink.last().equals("green"));
    assertEquals(opens, camera.opens.get(), "the camera was reopened for a background change");
  }

  /**
   * A background file that takes its time (here a 49-megapixel PNG, about half a second to decode) must not hold up
   * status(), which every D-Bus property read calls; the old effect shows until the new one has opened.
   */
  @Test
  void aSlowBackgroundDoesNotHoldUpStatus(@TempDir Path dir) throws Exception {
    start(1);
    Path big = dir.resolve("big.png");
    try (Mat picture = new Mat(7000, 7000, opencv_core.CV_8UC3, new Scalar(0, 255, 0, 0))) {
      assertTrue(opencv_imgcodecs.imwrite(big.toString(), picture), "writing " + big);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread setter = new Thread(() -> {
      try {
        engine.setEffect(new Effect.Image(big, false));
      } catch (IOException | RuntimeException e) {
        failure.set(e);
      }
    }, "slow-background");
    setter.start();
    try {
      await("setEffect decoding the picture", () -> Arrays.stream(setter.getStackTrace())
          .anyMatch(f -> f.getMethodName().equals("imread")));
      LiveStatus during = CompletableFuture.supplyAsync(engine::status).get(2, TimeUnit.SECONDS);
      assertEquals(new Effect.Color(0xff0000, false), during.effect());
    } finally {
      setter.join(10_000);
    }
    assertEquals(null, failure.get());
    await("the new background", () -> sink.last().equals("green"));
  }

  /** A FIFO named like a picture is refused at once (opening it must not wait for a writer); the old effect stays. */
  @Test
  void aFifoBackgroundIsRefusedWithoutWaiting(@TempDir Path dir) throws Exception {
    start(1);
    Path fifo = dir.resolve("slow.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo");
    IOException e = CompletableFuture.supplyAsync(() -> assertThrows(IOException.class,
        () -> engine.setEffect(new Effect.Image(fifo, false)))).get(2, TimeUnit.SECONDS);
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    assertEquals(new Effect.Color(0xff0000, false), engine.status().effect());
  }

  @Test
  void closeStopsWithinASecondAndReleasesEverything() throws Exception {
    start(1);
    await("a red frame", () -> sink.last().equals("red"));
    long t = System.nanoTime();
    engine.close();
    engine = null;
    assertTrue(System.nanoTime() - t < 1_000_000_000L, "close took more than a second");
    assertEquals(0, camera.open.get());
    assertTrue(sink.closed);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not reached within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** A blue camera at about 50 fps; "unplugging" it makes reads and opens fail. */
  static final class FakeCamera implements LiveEngine.Camera {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicBoolean broken = new AtomicBoolean();

    @Override
    public FrameSource open() throws IOException {
      if (broken.get()) {
        throw new IOException("camera /dev/fake is unplugged");
      }
      opens.incrementAndGet();
      open.incrementAndGet();
      return new FrameSource() {
        private long sequence;

        @Override
        public Frame read() throws IOException {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
          if (broken.get()) {
            throw new IOException("camera /dev/fake is unplugged");
          }
          Frame f = Frames.solid(SIZE.width(), SIZE.height(), 255, 0, 0);
          return f;
        }

        @Override
        public VideoSize size() {
          return SIZE;
        }

        @Override
        public double frameRate() {
          return 50;
        }

        @Override
        public String describe() {
          return "/dev/fake";
        }

        @Override
        public void close() {
          open.decrementAndGet();
        }
      };
    }

    @Override
    public String describe() {
      return "/dev/fake";
    }
  }

  /** Consumer events fired by the test. */
  static final class FakeConsumers implements ConsumerMonitor {
    volatile int count;
    private volatile IntConsumer listener;

    @Override
    public String mode() {
      return "fake";
    }

    @Override
    public void start(IntConsumer onChange) {
      listener = onChange;
      onChange.accept(count);
    }

    void fire(int n) {
      count = n;
      listener.accept(n);
    }

    @Override
    public void close() {}
  }

  /** Background everywhere. */
  static final class NoPersonSegmenter implements Segmenter {
    private final Mat probability = new Mat(8, 8, opencv_core.CV_8UC1, new Scalar(0));
    private final String name;

    NoPersonSegmenter(String name) {
      this.name = name;
    }

    @Override
    public Mat segment(Frame frame) {
      return probability;
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public void close() {
      probability.close();
    }
  }

  /** Remembers the colour of each written frame's centre: red, green, blue, placeholder or other. */
  static final class RecordingSink implements FrameSink {
    private final List<String> colours = new ArrayList<>();
    volatile boolean closed;
    /** The blue of the top row, where the hologram draws a dark scan line. */
    volatile int topRowBlue;

    @Override
    public synchronized void write(Frame frame) {
      topRowBlue = Frames.pixel(frame.image(), 2, 0)[0];
      int[] bgr = Frames.pixel(frame.image(), 2, 2);
      String c = bgr[0] > 200 && bgr[1] < 50 && bgr[2] < 50 ? "blue"
          : bgr[2] > 200 && bgr[0] < 50 && bgr[1] < 50 ? "red"
          : bgr[1] > 200 && bgr[0] < 50 && bgr[2] < 50 ? "green"
          : bgr[0] == 40 && bgr[1] == 40 && bgr[2] == 40 ? "placeholder" : "other";
      colours.add(c);
    }

    synchronized String last() {
      return colours.isEmpty() ? "" : colours.get(colours.size() - 1);
    }

    synchronized List<String> since(int index) {
      return List.copyOf(colours.subList(index, colours.size()));
    }

    synchronized int count() {
      return colours.size();
    }

    @Override
    public String describe() {
      return "recording";
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
