package io.github.vbackcam.core.composite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.Pngs;
import io.github.vbackcam.core.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparent background pixels show the real scene (an overlay frame, a logo strip), whatever way the file stores
 * transparency; colours hidden under them never show.
 */
class ImageBackgroundTest {

  private static final int W = 16;
  private static final int H = 8;
  /** The scene behind the person: blue, in BGR. */
  private static final int[] SCENE = {255, 0, 0};

  @Test
  void theReportedOverlayShowsTheSceneNotTheHiddenGreen() throws Exception {
    Path png = TestData.file("cases/images/bg-alpha-hiddengreen.png");
    int[] red = {0, 0, 255};
    try (ImageBackground bg = new ImageBackground(png); Frame frame = Frames.solid(64, 48, 0, 0, 255)) {
      Mat out = bg.render(frame);
      assertArrayEquals(red, Frames.pixel(out, 4, 24), "the transparent left half shows the scene");
      assertTrue(!Arrays.equals(red, Frames.pixel(out, 60, 24)), "the opaque right half shows the picture");
    }
  }

  @Test
  void rgbaPng(@TempDir Path dir) throws Exception {
    byte[] px = new byte[W * H * 4];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = (y * W + x) * 4;
        boolean left = x < W / 2;
        px[i] = (byte) (left ? 0 : 255);
        px[i + 1] = (byte) (left ? 255 : 0);
        px[i + 3] = (byte) (left ? 0 : 255);
      }
    }
    check(Pngs.write(dir.resolve("rgba.png"), W, H, Pngs.RGBA, px, null, null), new int[] {0, 0, 255});
  }

  @Test
  void greyWithAlphaPng(@TempDir Path dir) throws Exception {
    byte[] px = new byte[W * H * 2];
    for (int i = 0; i < W * H; i++) {
      boolean left = i % W < W / 2;
      px[2 * i] = (byte) (left ? 250 : 100);
      px[2 * i + 1] = (byte) (left ? 0 : 255);
    }
    check(Pngs.write(dir.resolve("ga.png"), W, H, Pngs.GREY_ALPHA, px, null, null), new int[] {100, 100, 100});
  }

  @Test
  void palettePngWithTransparencyChunk(@TempDir Path dir) throws Exception {
    byte[] px = new byte[W * H];
    for (int i = 0; i < W * H; i++) {
      px[i] = (byte) (i % W < W / 2 ? 0 : 1);
    }
    byte[] palette = {0, (byte) 255, 0, (byte) 255, 0, 0}; // 0: green (hidden), 1: red
    byte[] trns = {0, (byte) 255};
    check(Pngs.write(dir.resolve("pal.png"), W, H, Pngs.PALETTE, px, palette, trns), new int[] {0, 0, 255});
  }

  @Test
  void webpWithAlpha(@TempDir Path dir) throws Exception {
    Path webp = dir.resolve("alpha.webp");
    try (Mat bgra = new Mat(H, W, opencv_core.CV_8UC4); UByteIndexer idx = bgra.createIndexer()) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          boolean left = x < W / 2;
          idx.put(y, x, 0, left ? 0 : 0, left ? 255 : 0, left ? 0 : 255, left ? 0 : 255);
        }
      }
      assertTrue(opencv_imgcodecs.imwrite(webp.toString(), bgra,
          new int[] {opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101}), "lossless WebP written");
    }
    check(webp, new int[] {0, 0, 255});
  }

  @Test
  void halfTransparentPixelsBlendPictureAndScene(@TempDir Path dir) throws Exception {
    byte[] px = new byte[W * H * 4];
    for (int i = 0; i < W * H; i++) {
      px[4 * i] = (byte) 255; // red at alpha 128
      px[4 * i + 3] = (byte) 128;
    }
    Path png = Pngs.write(dir.resolve("half.png"), W, H, Pngs.RGBA, px, null, null);
    try (ImageBackground bg = new ImageBackground(png); Frame frame = Frames.solid(W, H, 255, 0, 0)) {
      int[] p = Frames.pixel(bg.render(frame), 4, 4);
      assertEquals(127, p[0], 2, "half the scene's blue");
      assertEquals(128, p[2], 2, "half the picture's red");
    }
  }

  /** Left half transparent (hiding another colour), right half opaque {@code right} (BGR). */
  private static void check(Path file, int[] right) throws Exception {
    try (ImageBackground bg = new ImageBackground(file); Frame frame = Frames.solid(W, H, 255, 0, 0)) {
      Mat out = bg.render(frame);
      assertArrayEquals(SCENE, Frames.pixel(out, 2, 4), file + ": transparent pixels show the scene");
      assertArrayEquals(right, Frames.pixel(out, W - 3, 4), file + ": opaque pixels show the picture");
    }
  }
}
