package io.github.vbackcam.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.PatchedMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file camera delivers frames when the file's own timestamps say, like a camera, on the monotonic clock. */
class PacedSourceTest {

  @Test
  void aFileWhoseRateDropsMidStreamIsDeliveredAtBothRates(@TempDir Path dir) throws Exception {
    // 0.5 s at 30 fps, then 1 s at 15 fps, as a camera slowing down in low light: ticks of 1/30 s.
    List<Clips.Shot> shots = new ArrayList<>();
    for (int t = 0; t < 15; t++) {
      shots.add(new Clips.Shot(Clips.RED, t));
    }
    for (int t = 15; t < 45; t += 2) {
      shots.add(new Clips.Shot(Clips.GREEN, t));
    }
    Path clip = Clips.write(dir.resolve("slowing.mkv"), 32, 16, 30, 45, 0, shots.toArray(Clips.Shot[]::new));
    long[] times = new long[30];
    try (PacedSource camera = new PacedSource(clip, null, 5)) {
      for (int i = 0; i < times.length; i++) {
        long before = System.nanoTime() / 1000;
        try (Frame f = camera.read()) {
          times[i] = f.ptsMicros();
          assertTrue(f.ptsMicros() >= before && f.ptsMicros() <= System.nanoTime() / 1000,
              "presented when it arrived, on the monotonic clock");
        }
      }
    }
    assertEquals(33_333, medianStep(times, 1, 14), 8_000, "30 fps part: " + Arrays.toString(times));
    assertEquals(66_667, medianStep(times, 16, 29), 8_000, "15 fps part: " + Arrays.toString(times));
  }

  /** A video standing in for a camera is shown as a player shows it: here mirrored by its display matrix. */
  @Test
  void aFileCameraAppliesTheDisplayMatrix(@TempDir Path dir) throws Exception {
    Path clip = PatchedMedia.corners(dir.resolve("selfie.mp4"), 64, 32, 3);
    PatchedMedia.displayMatrix(clip, -1, 0, 0, 1);
    try (PacedSource camera = new PacedSource(clip, null, 5); Frame f = camera.read()) {
      assertEquals('B', Clips.colourClass(Frames.pixel(f.image(), 4, 4)), "the stored top-right corner, now left");
      assertEquals('R', Clips.colourClass(Frames.pixel(f.image(), 59, 4)), "the stored top-left corner, now right");
    }
  }

  private static long medianStep(long[] times, int from, int to) {
    long[] steps = new long[to - from + 1];
    for (int i = from; i <= to; i++) {
      steps[i - from] = times[i] - times[i - 1];
    }
    Arrays.sort(steps);
    return steps[steps.length / 2];
  }
}
