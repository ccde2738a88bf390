package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.service.dbus.Control1;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No resource grows with calls: switching between two models and replacing the background many times leaves the
 * service's thread count and resident memory where they were after a warm-up. Each cycle loads a second model
 * (BodyPix MobileNet 0.50, from the shared data) and goes back to selfie. The cycle count is
 * {@code -Dvbackcam.soak.cycles} (default 100; the figure is 1,000).
 */
class SoakServiceTest {

  /** Threads the service may gain over the soak: pools that grow once to their size, not per call. */
  private static final int MAX_THREAD_GROWTH = 2;
  /** Resident memory the service may gain over the soak: heap and allocator noise, not per call. */
  private static final long MAX_RSS_GROWTH_KB = 96 * 1024;

  private record Usage(long threads, long rssKb) {}

  /**
   * Threads and resident memory after a full collection in the service (jcmd GC.run), so that heap the JVM has not
   * yet collected or returned is not taken for a leak.
   */
  private static Usage usage(long pid) throws Exception {
    Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(gc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run failed");
    Thread.sleep(1000);
    return read(pid);
  }

  private static Usage read(long pid) throws IOException {
    long threads = -1;
    long rss = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.substring(8).trim());
      } else if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
      }
    }
    return new Usage(threads, rss);
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "tensorflow"})
  void manyModelAndBackgroundChangesLeaveThreadsAndMemoryFlat(String engine) throws Exception {
    int cycles = Integer.getInteger("vbackcam.soak.cycles", 100);
    try (ServiceHarness live = ServiceHarness.start(320, 180, "engine = " + engine + "\n")) {
      Path red = live.dir.resolve("red.ppm");
      ServiceHarness.writePpm(red, 255, 0, 0);
      String other = ServiceHarness.sharedFile("models/bodypix/mobilenet-quant1-050-stride16/model-stride16.json")
          .toString();
      DBusConnection client = DBusConnectionBuilder.forAddress(live.address).withShared(false).build();
      try {
        Control1 control = client.getRemoteObject(ServiceHarness.DEST, ServiceHarness.PATH, Control1.class);
        long pid = live.service().pid();
        int warmUp = Math.max(5, cycles / 10);
        for (int i = 0; i < warmUp; i++) {
          cycle(control, red, other);
        }
        Usage before = usage(pid);
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
          cycle(control, red, other);
        }
        Thread.sleep(1000); // old stages are closed on the pipeline threads at the next frame
        Usage after = usage(pid);
        System.out.printf(Locale.ROOT, "soak on %s: %d cycles of SetModel (two models)/SetBackground/SetColor in %.0f s:"
            + " threads %d -> %d (%+d), RSS %d -> %d MB (%+d MB)%n", engine, cycles, (System.nanoTime() - start) / 1e9, before.threads,
            after.threads, after.threads - before.threads, before.rssKb / 1024, after.rssKb / 1024,
            (after.rssKb - before.rssKb) / 1024);
        assertEquals("s \"running\"", live.property("State"));
        assertTrue(live.property("Engine").startsWith("s \"" + engine + " (requested"), live.property("Engine"));
        assertTrue(after.threads - before.threads <= MAX_THREAD_GROWTH,
            "threads grew from " + before.threads + " to " + after.threads);
        assertTrue(after.rssKb - before.rssKb <= MAX_RSS_GROWTH_KB,
            "RSS grew from " + before.rssKb / 1024 + " to " + after.rssKb / 1024 + " MB");
      } finally {
        client.disconnect();
      }
    }
  }

  private static void cycle(Control1 control, Path background, String otherModel) {
    control.SetModel(otherModel);
    control.SetBackground(background.toString());
    control.SetColor("#00ff00");
    control.SetModel("selfie");
  }
}
