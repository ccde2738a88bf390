package io.github.vbackcam.core.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.EllipseSegmenter;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.sink.VideoFileSink;
import io.github.vbackcam.core.source.PacedSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live service's clock is the wall clock: a 15 fps camera into a Y4M declared at 30 fps fills the file at 30
 * frames a second, and a background video plays in real time behind it.
 */
class LiveTimingTest {

  private static final VideoSize SIZE = new VideoSize(64, 36);

  @Test
  void aFifteenFpsCameraFillsAThirtyFpsY4mInRealTimeWithTheBackgroundOnTime(@TempDir Path dir) throws Exception {
    Path camera = Clips.constantRate(dir.resolve("camera.mkv"), 64, 36, 15, new int[] {0x808080},
        new double[] {1});
    Path background = Clips.constantRate(dir.resolve("bg.mkv"), 64, 36, 60,
        new int[] {Clips.RED, Clips.GREEN, Clips.BLUE}, new double[] {1, 1, 1});
    Path out = dir.resolve("live.y4m");
    long started;
    long stopped;
    try (LiveEngine engine = new LiveEngine(new LiveEngine.Camera() {
      @Override
      public FrameSource open() throws IOException {
        return new PacedSource(camera, SIZE, 5);
      }

      @Override
      public String describe() {
        return camera.toString();
      }
    }, new VideoFileSink(out, SIZE, 30), SIZE, ConsumerMonitor.alwaysWatched("test"), name -> new EllipseSegmenter(),
        MaskSettings.STILL, 5)) {
      engine.prepare(new Effect.Video(background, false), "ellipse");
      started = System.nanoTime();
      engine.start();
      Thread.sleep(2500);
      stopped = System.nanoTime();
    }
    byte[] y4m = Files.readAllBytes(out);
    String header = new String(y4m, 0, indexOf(y4m, (byte) '\n'), StandardCharsets.ISO_8859_1);
    assertTrue(header.contains(" F30:1 "), header);
    int frameBytes = 6 + SIZE.width() * SIZE.height() * 3 / 2;
    int frames = (y4m.length - header.length() - 1) / frameBytes;
    double seconds = (stopped - started) / 1e9;
    assertEquals(30 * seconds, frames, 30 * seconds * 0.2, "frames for " + seconds + " s at 30 fps");
    // A corner is background: red for the first second of frames, then green for a second, then blue.
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < frames; i++) {
      shown.append(corner(out, header.length() + 1, frameBytes, i));
    }
    String colours = shown.toString();
    int reds = colours.indexOf('G');
    int greens = colours.indexOf('B') - reds;
    assertTrue(colours.startsWith("R") && reds >= 26 && reds <= 33, "one second of red at 30 fps: " + colours);
    assertTrue(greens >= 26 && greens <= 33, "then one second of green: " + colours);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no header line");
  }

  /** The colour class of pixel (60, 2) of frame {@code index}, from its Y, U and V samples (BT.601). */
  private static char corner(Path y4m, int start, int frameBytes, int index) throws IOException {
    try (InputStream in = Files.newInputStream(y4m)) {
      byte[] all = in.readAllBytes();
      int base = start + index * frameBytes + 6;
      int w = SIZE.width();
      int h = SIZE.height();
      int x = w - 4; // top right: background, away from the clip's top-left marker
      int y = all[base + 2 * w + x] & 0xff;
      int u = all[base + w * h + w / 2 + x / 2] & 0xff;
      int v = all[base + w * h + (w / 2) * (h / 2) + w / 2 + x / 2] & 0xff;
      int r = (int) (y + 1.402 * (v - 128));
      int g = (int) (y - 0.344 * (u - 128) - 0.714 * (v - 128));
      int b = (int) (y + 1.772 * (u - 128));
      return Clips.colourClass(new int[] {b, g, r});
    }
  }
}
