package io.github.vbackcam.core.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgcodecs.Animation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Animated images show each frame for its own delay, in real time, and loop as browsers loop them. */
class AnimatedBackgroundTest {

  /** Red 500 ms, green 250 ms, blue 150 ms; sampled every 50 ms over 1.2 s (24 samples). */
  private static final String RED_GREEN_BLUE_LOOPED = "R".repeat(10) + "G".repeat(5) + "B".repeat(3) + "R".repeat(6);

  @Test
  void aGifPlaysEachFrameForItsDelayAndLoops(@TempDir Path dir) throws Exception {
    Path gif = Clips.write(dir.resolve("a.gif"), 32, 16, 100, 90, 0, shots());
    assertEquals(RED_GREEN_BLUE_LOOPED, colours(gif, 20, 24));
  }

  @Test
  void anApngPlaysEachFrameForItsDelayAndLoops(@TempDir Path dir) throws Exception {
    Path apng = Clips.write(dir.resolve("a.png"), 32, 16, 100, 90, 0, shots());
    assertTrue(io.github.vbackcam.core.internal.FileTypes.isAnimatedImage(apng), "an APNG is found by its header");
    assertEquals(RED_GREEN_BLUE_LOOPED, colours(apng, 20, 24));
  }

  @Test
  void anAnimatedWebpPlaysEachFrameForItsDelayAndLoops(@TempDir Path dir) throws Exception {
    Path webp = webp(dir.resolve("a.webp"), 0, 500, 250, 150);
    assertTrue(io.github.vbackcam.core.internal.FileTypes.isAnimatedImage(webp), "found by its VP8X header");
    assertEquals(RED_GREEN_BLUE_LOOPED, colours(webp, 20, 24));
  }

  @Test
  void aLoopCountIsHonouredThenTheLastFrameStays(@TempDir Path dir) throws Exception {
    Path twice = webp(dir.resolve("twice.webp"), 2, 100, 100, 100);
    assertEquals("RGB" + "RGB" + "BBBB", colours(twice, 10, 10));
  }

  @Test
  void delaysOfTenMillisecondsOrLessLastOneHundredAsInBrowsers(@TempDir Path dir) throws Exception {
    Path fast = webp(dir.resolve("fast.webp"), 0, 0, 10, 100);
    assertEquals("RRGGBBRRGG", colours(fast, 20, 10));
  }

  /**
   * A Graphic Control Extension gives its delay to the one image after it; an image without one has a delay of 0,
   * shown for 100 ms as browsers show it (OpenCV gave it 1 s, or the delay of the frame before).
   */
  @Test
  void aGifFrameWithoutAGraphicControlExtensionLastsOneHundredMilliseconds(@TempDir Path dir) throws Exception {
    Path none = gif(dir.resolve("d0.gif"), null, null, null);
    assertEquals("RRRGGGBBB".repeat(2), colours(none, 30, 18));
    Path mixed = gif(dir.resolve("mixed.gif"), 500, null, 500);
    assertEquals("R".repeat(15) + "GGG" + "B".repeat(15) + "RRR", colours(mixed, 30, 36));
  }

  @Test
  void anAnimatedImageIsAnImageEffectThatOpensAnAnimation(@TempDir Path dir) throws Exception {
    Path gif = Clips.write(dir.resolve("b.gif"), 32, 16, 100, 90, 0, shots());
    Effect effect = Effect.file(gif, false);
    assertInstanceOf(Effect.Image.class, effect);
    try (Background bg = effect.open()) {
      assertInstanceOf(AnimatedBackground.class, bg);
    }
  }

  @Test
  void anAnimationTooBigToKeepDecodedIsRefusedNamingTheLimit(@TempDir Path dir) throws Exception {
    // Three 32x16 frames are 1536 pixels; with room for 1000, only one frame fits.
    Path gif = Clips.write(dir.resolve("big.gif"), 32, 16, 100, 90, 0, shots());
    IOException e = assertThrows(IOException.class, () -> new AnimatedBackground(gif, 1000));
    assertEquals("animated image " + gif + " has more than 1 frames of its size (32x16): over the limit of 1000"
        + " pixels for all frames together", e.getMessage());
    try (AnimatedBackground fits = new AnimatedBackground(gif, 1536)) {
      assertEquals(2, fits.frameAt(800_000), "all three frames fit in exactly 1536 pixels");
    }
  }

  @Test
  void aBombOfManyTinyFramesOnAHugeScreenIsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
    Path bomb = java.nio.file.Files.write(dir.resolve("bomb.gif"),
        Clips.gifOfPixels(5000, 5000, 400));
    IOException e = assertThrows(IOException.class, () -> new AnimatedBackground(bomb));
    assertEquals("animated image " + bomb + " has more than 10 frames of its size (5000x5000): over the limit of"
        + " 250000000 pixels for all frames together", e.getMessage());
  }

  @Test
  void aFifoNamedLikeAnAnimationIsRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
    for (String name : new String[] {"f.png", "f.webp", "f.gif"}) {
      Path fifo = dir.resolve(name);
      assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
      assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
        assertEquals(name.endsWith(".gif"), io.github.vbackcam.core.internal.FileTypes.isAnimatedImage(fifo));
        IOException e = assertThrows(IOException.class, () -> new AnimatedBackground(fifo));
        assertTrue(e.getMessage().contains("not a regular file (a FIFO, device or socket)"), e.getMessage());
      });
    }
  }

  private static Clips.Shot[] shots() {
    return new Clips.Shot[] {
        new Clips.Shot(Clips.RED, 0), new Clips.Shot(Clips.GREEN, 50), new Clips.Shot(Clips.BLUE, 75)};
  }

  /** A red, green, blue animated WebP with the given delays (ms) and loop count, written by OpenCV. */
  private static Path webp(Path file, int loops, int... delays) {
    int[] colours = {Clips.RED, Clips.GREEN, Clips.BLUE};
    try (Animation animation = new Animation(); MatVector frames = new MatVector(colours.length);
         IntPointer durations = new IntPointer(delays)) {
      for (int i = 0; i < colours.length; i++) {
        frames.put(i, Clips.solid(32, 16, colours[i]));
      }
      animation.frames(frames);
      animation.durations(durations);
      animation.loop_count(loops);
      assertTrue(opencv_imgcodecs.imwriteanimation(file.toString(), animation), "animated WebP written");
    }
    return file;
  }

  /**
   * A GIF written byte by byte, looping forever: a 32x16 screen with red, green, then blue drawn at pixel (20, 10),
   * one 1x1 image each, each after a Graphic Control Extension with its delay in ms, or after none for null.
   */
  private static Path gif(Path file, Integer... delays) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {32, 0, 16, 0, (byte) 0x81, 0, 0}); // a global table of 4 colours
    out.writeBytes(new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0});
    out.writeBytes(new byte[] {0x21, (byte) 0xff, 11});
    out.writeBytes("NETSCAPE2.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {3, 1, 0, 0, 0}); // repeat forever
    for (int colour = 0; colour < delays.length; colour++) {
      if (delays[colour] != null) {
        int centis = delays[colour] / 10;
        out.writeBytes(new byte[] {0x21, (byte) 0xf9, 4, 0, (byte) centis, (byte) (centis >> 8), 0, 0});
      }
      out.writeBytes(new byte[] {0x2c, 20, 0, 10, 0, 1, 0, 1, 0, 0}); // at (20, 10), 1x1, no local table
      // LZW with 3-bit codes, least significant bit first: clear (4), the colour's index, end (5).
      out.writeBytes(new byte[] {2, 2, (byte) (4 | colour << 3 | (5 & 3) << 6), (byte) (5 >> 2), 0});
    }
    out.write(0x3b);
    return java.nio.file.Files.write(file, out.toByteArray());
  }

  /** The colour shown behind {@code count} frames at {@code fps}, one letter a frame. */
  private static String colours(Path image, double fps, int count) throws Exception {
    StringBuilder shown = new StringBuilder();
    try (AnimatedBackground bg = new AnimatedBackground(image)) {
      for (int i = 0; i < count; i++) {
        try (Frame frame = Frames.solidAt(32, 16, Math.round(i * 1e6 / fps), 0, 0, 0)) {
          Mat out = bg.render(frame);
          shown.append(Clips.colourClass(Frames.pixel(out, 20, 10)));
        }
      }
    }
    return shown.toString();
  }
}
