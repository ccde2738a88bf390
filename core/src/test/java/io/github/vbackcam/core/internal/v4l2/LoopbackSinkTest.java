package io.github.vbackcam.core.internal.v4l2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyShort;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.LogCapture;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.sink.LoopbackSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback sink writes each frame's pixels as one YUYV buffer of the negotiated size, converting a picture only
 * when it differs from the last one.
 */
class LoopbackSinkTest {

  private final long liveFramesBefore = FrameLeakDetector.liveFrames();

  @AfterEach
  void noFrameLeaks() {
    assertEquals(liveFramesBefore, FrameLeakDetector.liveFrames(), () -> "frames left alive: "
        + FrameLeakDetector.liveAllocations());
  }

  /** A v4l2loopback device that keeps a copy of every buffer written to it. */
  private static Kernel fakeKernel(List<byte[]> writes) throws ErrnoException {
    return fakeKernel(writes, new ArrayList<>());
  }

  /** ... and the {@link System#nanoTime} of each write in {@code times}. */
  private static Kernel fakeKernel(List<byte[]> writes, List<Long> times) throws ErrnoException {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenReturn(3);
    doAnswer(inv -> {
      byte[] name = V4l2.LOOPBACK_DRIVER.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, (byte[]) inv.getArgument(2), 0, name.length);
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_QUERYCAP), any());
    when(k.write(eq(3), any(), anyInt())).thenAnswer(inv -> {
      times.add(System.nanoTime());
      writes.add(Arrays.copyOf((byte[]) inv.getArgument(1), (int) inv.getArgument(2)));
      return inv.getArgument(2);
    });
    return k;
  }

  @Test
  void aRedFrameIsWrittenAsYuyvRed() throws Exception {
    List<byte[]> writes = new ArrayList<>();
    try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", new VideoSize(6, 4), 30, 0);
         Frame red = Frames.solid(6, 4, 0, 0, 255)) {
      sink.write(red);
      try (Frame wrong = Frames.solid(8, 4, 0, 0, 255)) {
        IOException e = assertThrows(IOException.class, () -> sink.write(wrong));
        assertTrue(e.getMessage().contains("set up for 6x4, got a 8x4 frame"), e.getMessage());
      }
    }
    assertEquals(1, writes.size());
    byte[] yuyv = writes.get(0);
    assertEquals(6 * 4 * 2, yuyv.length);
    for (int i = 0; i < yuyv.length; i += 4) {
      assertYuyv(new int[] {82, 90, 82, 240}, yuyv, i);
    }
  }

  @Test
  void primariesAndGreysAreBt601LimitedRange() throws Exception {
    int[][] bgrToYuyv = {
        {0, 0, 0, 16, 128, 16, 128},
        {255, 255, 255, 235, 128, 235, 128},
        {0, 0, 255, 82, 90, 82, 240},     // red
        {0, 255, 0, 145, 54, 145, 34},    // green
        {255, 0, 0, 41, 240, 41, 110},    // blue
    };
    List<byte[]> writes = new ArrayList<>();
    try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", new VideoSize(6, 4), 30, 0)) {
      for (int[] c : bgrToYuyv) {
        try (Frame f = Frames.solid(6, 4, c[0], c[1], c[2])) {
          sink.write(f);
        }
      }
    }
    for (int i = 0; i < bgrToYuyv.length; i++) {
      assertYuyv(Arrays.copyOfRange(bgrToYuyv[i], 3, 7), writes.get(i), 0);
      assertYuyv(Arrays.copyOfRange(bgrToYuyv[i], 3, 7), writes.get(i), writes.get(i).length - 4);
    }
  }

  @Test
  void lumaIsPerPixelWithinAPair() throws Exception {
    List<byte[]> writes = new ArrayList<>();
    try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", new VideoSize(6, 4), 30, 0);
         Frame f = Frames.solid(6, 4, 0, 0, 0)) {
      try (Rect odd = new Rect(1, 0, 1, 4); Mat column = new Mat(f.image(), odd);
           Scalar white = new Scalar(255, 255, 255, 0)) {
        column.put(white); // the first pair: black then white
      }
      sink.write(f);
    }
    assertYuyv(new int[] {16, 128, 235, 128}, writes.get(0), 0);
  }

  @Test
  void aRepeatedPictureIsWrittenEachTimeAndEveryChangeReachesTheDevice() throws Exception {
    VideoSize size = new VideoSize(64, 36);
    List<byte[]> writes = new ArrayList<>();
    try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", size, 30, 0);
         Frame a = Frames.solid(size.width(), size.height(), 40, 40, 40);
         Frame b = Frames.solid(size.width(), size.height(), 40, 40, 40)) {
      Frames.paintPerson(b, size.width() - 1, size.height() - 1, 1, 1, 255, 255, 255); // only the last pixel
      // Each write a new frame holding A or B, as the placeholder is written: A, A, B, A.
      for (Frame picture : new Frame[] {a, a, b, a}) {
        try (Frame copy = picture.copyAt(-1, writes.size() * 500_000L)) {
          sink.write(copy);
        }
      }
      // The same frame changed in place after it was written is converted again.
      sink.write(a);
      Frames.paintPerson(a, 0, 0, 1, 1, 0, 0, 255);
      sink.write(a);
    }
    assertEquals(6, writes.size(), "one device write per frame");
    byte[] grey = writes.get(0);
    int last = grey.length - 4;
    assertYuyv(new int[] {50, 128, 50, 128}, grey, last);
    assertArrayEquals(grey, writes.get(1), "A again");
    assertYuyv(new int[] {50, 128, 235, 128}, writes.get(2), last);
    assertArrayEquals(Arrays.copyOf(grey, last), Arrays.copyOf(writes.get(2), last), "B differs in its last pair");
    assertArrayEquals(grey, writes.get(3), "A after B");
    assertArrayEquals(grey, writes.get(4), "A as a frame of its own");
    // The chroma is 4:2:0's, from each 2x2 block's first pixel, in both rows of the block: the red pixel's.
    int row = 2 * size.width();
    assertYuyv(new int[] {82, 90, 50, 240}, writes.get(5), 0);
    assertYuyv(new int[] {50, 90, 50, 240}, writes.get(5), row);
    assertArrayEquals(Arrays.copyOfRange(grey, 4, row), Arrays.copyOfRange(writes.get(5), 4, row),
        "A with its first pixel painted red in place");
    assertArrayEquals(Arrays.copyOfRange(grey, row + 4, grey.length),
        Arrays.copyOfRange(writes.get(5), row + 4, grey.length), "A with its first pixel painted red in place");
  }

  @Test
  void aCameraRepeatingAPictureCountsForTheDeclaredRateAndAPlaceholderNever() throws Exception {
    List<byte[]> writes = new ArrayList<>();
    try (Frame picture = Frames.solid(6, 4, 40, 40, 40)) {
      try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", new VideoSize(6, 4), 30, 0)) {
        for (int i = 0; i < 20; i++) {
          try (Frame f = picture.copyAt(i, i * 500_000L)) { // a camera's frames, one picture at 2 fps
            sink.write(f);
          }
        }
        assertEquals(2, sink.declaredFps(), "a camera at 2 fps, its picture unchanged");
      }
      // While someone streams (a driver without client-usage events counts as always), the placeholder shown as the
      // camera opens is not the camera's rate.
      try (LoopbackSink sink = new LoopbackSink(fakeKernel(writes), "/dev/video20", new VideoSize(6, 4), 30, 0)) {
        for (int i = 0; i < 20; i++) {
          try (Frame f = picture.copyAt(Frame.PLACEHOLDER, i * 500_000L)) {
            sink.write(f);
          }
        }
        assertEquals(30, sink.declaredFps(), "the placeholder's 2 fps is never declared");
      }
    }
    assertEquals(40, writes.size());
  }

  private static void assertYuyv(int[] expected, byte[] yuyv, int at) {
    for (int i = 0; i < 4; i++) {
      int[] got = {yuyv[at] & 0xff, yuyv[at + 1] & 0xff, yuyv[at + 2] & 0xff, yuyv[at + 3] & 0xff};
      assertEquals(expected[i], got[i], 1, "byte " + (at + i) + " of " + Arrays.toString(got));
    }
  }

  @Test
  void appsAreToldTheRateFramesReallyArriveAt() throws Exception {
    Kernel k = fakeKernel(new ArrayList<>());
    List<int[]> declared = new ArrayList<>();
    doAnswer(inv -> {
      byte[] parm = inv.getArgument(2);
      assertEquals(V4l2.BUF_TYPE_VIDEO_OUTPUT, parm[0]);
      declared.add(V4l2.timePerFrame(parm));
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_S_PARM), any());
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, 0)) {
      long t = 0;
      for (int i = 0; i < 30; i++, t += 33_333) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(30, sink.declaredFps(), "a camera at its configured 30 fps");
      for (int i = 0; i < 30; i++, t += 66_667) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(15, sink.declaredFps(), "the camera dropped to 15 fps in low light");
    }
    assertEquals(2, declared.size(), "declared once at the start and once for the change");
    assertEquals(List.of(1, 30), List.of(declared.get(0)[0], declared.get(0)[1]));
    assertEquals(List.of(1, 15), List.of(declared.get(1)[0], declared.get(1)[1]));
  }

  @Test
  void whenFramesStopAppsGetTheLastPictureAgainAndTheDeclaredRateStays() throws Exception {
    List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
    List<Long> writeTimes = Collections.synchronizedList(new ArrayList<>());
    Kernel k = fakeKernel(writes, writeTimes);
    long keepAliveMillis = 100;
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, keepAliveMillis)) {
      Thread keepAlive = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("vbackcam-keepalive")).findFirst().orElseThrow();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = threads.getThreadCpuTime(keepAlive.getId());
      Thread.sleep(5 * keepAliveMillis);
      long idleCpuNanos = threads.getThreadCpuTime(keepAlive.getId()) - cpuBefore;
      assertEquals(0, writes.size(), "nothing is repeated before a picture was written");
      assertTrue(idleCpuNanos < 2_000_000, "the keep-alive thread spent " + idleCpuNanos / 1e6
          + " ms of CPU in 5 periods with nothing to repeat: it should wake once a period");
      long t = 0;
      for (int i = 0; i < 30; i++, t += 33_333) {
        try (Frame f = Frames.solidAt(6, 4, t, 255, 0, 0)) { // blue, a 30 fps camera
          sink.write(f);
        }
      }
      try (Frame red = Frames.solidAt(6, 4, t, 0, 0, 255)) {
        sink.write(red);
      }
      int frames = writes.size();
      long lastFrame = writeTimes.get(frames - 1);
      // The camera stalls: the red picture comes again every keepAliveMillis.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (writes.size() < frames + 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(writes.size() >= frames + 5, "only " + (writes.size() - frames) + " repeats in 10 s");
      for (int i = frames; i < frames + 5; i++) {
        assertArrayEquals(writes.get(frames - 1), writes.get(i), "repeat " + (i - frames) + " is the last picture");
        long gap = writeTimes.get(i) - (i == frames ? lastFrame : writeTimes.get(i - 1));
        assertTrue(gap >= keepAliveMillis * 1_000_000 - 1_000_000, "a repeat after only " + gap / 1e6 + " ms");
      }
      assertEquals(30, sink.declaredFps(), "repeats are not camera frames: the declared rate stays the camera's");
    }
    int afterClose = writes.size();
    Thread.sleep(3 * keepAliveMillis);
    assertEquals(afterClose, writes.size(), "a write after close");
  }

  @Test
  void nothingIsRepeatedWhileNobodyStreams() throws Exception {
    List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
    Kernel k = fakeKernel(writes);
    AtomicInteger pending = clientUsageEvents(k, 0);
    long keepAliveMillis = 100;
    List<Integer> usage = Collections.synchronizedList(new ArrayList<>());
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, keepAliveMillis);
         ConsumerMonitor consumers = sink.consumerMonitor();
         Frame f = Frames.solid(6, 4, 0, 0, 255)) {
      consumers.start(usage::add);
      assertEquals(List.of(0), usage, "nobody streams");
      sink.write(f);
      Thread.sleep(5 * keepAliveMillis);
      assertEquals(1, writes.size(), "repeated while nobody streams");
      pending.set(1); // an app starts streaming
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (writes.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(writes.size() >= 3, "no repeat within 10 s of an app streaming: " + writes.size() + " writes");
      assertEquals(List.of(0, 1), usage);
    }
  }

  @Test
  void whileNobodyStreamsCameraFramesAreWrittenTwiceASecondAndEveryFrameOnceAnAppStreams() throws Exception {
    List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
    Kernel k = fakeKernel(writes);
    AtomicInteger pending = clientUsageEvents(k, 0);
    List<Integer> usage = Collections.synchronizedList(new ArrayList<>());
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, 0);
         ConsumerMonitor consumers = sink.consumerMonitor()) {
      consumers.start(usage::add);
      long t = 0;
      for (int i = 0; i < 50; i++, t += 40_000) { // 2 s at 25 fps, for the PipeWire node's apps alone
        try (Frame f = Frames.solidAt(6, 4, t, 0, i, 255)) {
          sink.write(f);
        }
      }
      // the first picture, then the first frame at least 0.5 s after the last written: 0, 0.52, 1.04, 1.56 s
      assertEquals(4, writes.size(), "frames written to a device nobody streams");
      assertEquals(4, writes.stream().map(Arrays::toString).distinct().count(), "four different frames written");
      try (Frame placeholder = Frame.allocate(6, 4, Frame.PLACEHOLDER, System.nanoTime(), t - 40_000)) {
        sink.write(placeholder);
      }
      assertEquals(5, writes.size(), "a placeholder is always written");
      pending.set(1); // an app streams the device
      awaitUsage(usage, 1);
      for (int i = 0; i < 10; i++, t += 40_000) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(15, writes.size(), "every frame while an app streams");
      pending.set(0);
      awaitUsage(usage, 0);
      try (Frame f = Frames.solidAt(6, 4, t - 1_000_000, 0, 0, 255)) {
        sink.write(f); // a time that went back (a new stream): written, and the interval counts from it
      }
      assertEquals(16, writes.size(), "a frame whose time went back");
      try (Frame f = Frames.solidAt(6, 4, t - 960_000, 0, 0, 255)) {
        sink.write(f);
      }
      assertEquals(16, writes.size(), "40 ms after the frame whose time went back");
    }
  }

  @Test
  void thePlaceholderWrittenWhileNobodyStreamsIsNotTheDeclaredRate() throws Exception {
    Kernel k = fakeKernel(new ArrayList<>());
    AtomicInteger pending = clientUsageEvents(k, 0);
    List<Integer> usage = Collections.synchronizedList(new ArrayList<>());
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, 0);
         ConsumerMonitor consumers = sink.consumerMonitor()) {
      consumers.start(usage::add);
      long t = 0;
      for (int i = 0; i < 20; i++, t += 500_000) {
        try (Frame f = Frames.solidAt(6, 4, t, 40, 40, 40)) {
          sink.write(f);
        }
      }
      assertEquals(30, sink.declaredFps(), "an app opening the idle camera is told the camera's rate, not 2 fps");
      pending.set(1); // an app streams: the camera's own frames, at 15 fps
      awaitUsage(usage, 1);
      for (int i = 0; i < 30; i++, t += 66_667) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(15, sink.declaredFps(), "measured while the app streams");
      pending.set(0); // the app has gone: the placeholder again
      awaitUsage(usage, 0);
      for (int i = 0; i < 20; i++, t += 500_000) {
        try (Frame f = Frames.solidAt(6, 4, t, 40, 40, 40)) {
          sink.write(f);
        }
      }
      assertEquals(15, sink.declaredFps(), "the next app is told the rate the last one got");
    }
  }

  /**
   * v4l2loopback's client-usage events on {@code k}'s device, one at a time: set the returned value to the usage to
   * report next; it reads -1 once reported.
   */
  private static AtomicInteger clientUsageEvents(Kernel k, int initial) throws Exception {
    AtomicInteger pending = new AtomicInteger(initial);
    when(k.poll(eq(3), anyShort(), anyInt())).thenAnswer(inv -> {
      if (pending.get() >= 0) {
        return V4l2.POLLPRI;
      }
      Thread.sleep((int) inv.getArgument(2));
      return (short) 0;
    });
    doAnswer(inv -> {
      ByteBuffer event = ByteBuffer.wrap((byte[]) inv.getArgument(2)).order(ByteOrder.LITTLE_ENDIAN);
      event.putInt(0, V4l2.EVENT_PRI_CLIENT_USAGE);
      event.putInt(8, pending.getAndSet(-1));
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_DQEVENT), any());
    return pending;
  }

  private static void awaitUsage(List<Integer> usage, int last) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while ((usage.isEmpty() || usage.get(usage.size() - 1) != last) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(last, usage.get(usage.size() - 1), "client usage reported: " + usage);
  }

  /**
   * An app that stops its stream and starts it again at once (Chromium, after a second without a frame) is reported as
   * it happens: whether that is the app leaving is the engine's call (ConsumerGrace). The app's wait for a frame goes
   * on across its restart, and is warned of.
   */
  @Test
  void aStreamRestartIsReportedAsItHappensAndTheWaitGoesOn() throws Exception {
    Kernel k = fakeKernel(new ArrayList<>());
    AtomicInteger pending = clientUsageEvents(k, 1);
    List<Integer> usage = Collections.synchronizedList(new ArrayList<>());
    try (LogCapture log = LogCapture.of(LoopbackSink.class);
         LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, 0);
         ConsumerMonitor consumers = sink.consumerMonitor();
         Frame f = Frames.solid(6, 4, 0, 0, 255)) {
      consumers.start(usage::add);
      assertEquals(List.of(1), usage);
      sink.write(f);
      Thread.sleep(600);
      pending.set(0); // STREAMOFF, 0.6 s without a frame
      while (pending.get() >= 0) {
        Thread.sleep(1);
      }
      pending.set(1); // STREAMON at once
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (usage.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(List.of(1, 0, 1), usage);
      Thread.sleep(500);
      sink.write(f);
      List<String> warned = log.lines(Level.WARN);
      assertEquals(1, warned.size(), "no warning of a wait of over a second across a restart: " + warned);
    }
  }

  /**
   * A second without a frame makes Chromium restart its capture, ten make it give up: the log says when apps streaming
   * the device waited that long (keep-alive off, as if its thread got no CPU either), once per ten seconds; a wait
   * while nobody streamed is no one's wait.
   */
  @Test
  void aSecondWithoutAFrameWhileAnAppStreamsIsLoggedOncePerTenSeconds() throws Exception {
    Kernel k = fakeKernel(new ArrayList<>());
    AtomicInteger pending = clientUsageEvents(k, 0);
    List<Integer> usage = Collections.synchronizedList(new ArrayList<>());
    try (LogCapture log = LogCapture.of(LoopbackSink.class);
         LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30, 0);
         ConsumerMonitor consumers = sink.consumerMonitor();
         Frame f = Frames.solid(6, 4, 0, 0, 255)) {
      consumers.start(usage::add);
      sink.write(f);
      Thread.sleep(1100); // nobody streams: no one waited
      pending.set(1);
      awaitUsage(usage, 1);
      sink.write(f);
      assertEquals(List.of(), log.lines(Level.WARN), "a wait while nobody streamed");
      Thread.sleep(1100);
      sink.write(f);
      List<String> warned = log.lines(Level.WARN);
      assertEquals(1, warned.size(), "warnings: " + warned);
      assertTrue(warned.get(0).matches("/dev/video20: apps streaming it got no frame for [1-9]\\.[0-9] s .*"),
          warned.get(0));
      Thread.sleep(1100);
      sink.write(f);
      assertEquals(1, log.lines(Level.WARN).size(), "a second warning within 10 s: " + log.lines(Level.WARN));
    }
  }

  @Test
  void aFrameAfterCloseIsAnErrorNamingTheDevice() throws Exception {
    LoopbackSink sink = new LoopbackSink(fakeKernel(new ArrayList<>()), "/dev/video20", new VideoSize(6, 4), 30, 100);
    sink.close();
    try (Frame f = Frames.solid(6, 4, 0, 0, 255)) {
      IOException e = assertThrows(IOException.class, () -> sink.write(f));
      assertEquals("/dev/video20 is closed", e.getMessage());
    }
  }

  @Test
  void streamParmIsTheOutputTimePerFrameOfTheKernelHeader() {
    assertEquals(0xC0CC5615L, V4l2.VIDIOC_G_PARM);
    assertEquals(0xC0CC5616L, V4l2.VIDIOC_S_PARM);
    byte[] parm = V4l2.outputTimePerFrame(1001, 30000);
    assertEquals(204, parm.length);
    assertEquals(List.of(1001, 30000), List.of(V4l2.timePerFrame(parm)[0], V4l2.timePerFrame(parm)[1]));
  }
}
