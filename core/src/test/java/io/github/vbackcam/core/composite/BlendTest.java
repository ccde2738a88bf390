package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class BlendTest {

  @Test
  void everyPixelIsTheRoundedWeightedMeanWhateverTheRunsOfTheMask() {
    Random random = new Random(7);
    int rows = 37;
    int cols = 101; // not a multiple of 8: the tail of each row is read byte by byte
    try (Mat fg = noise(rows, cols, 3, random); Mat bg = noise(rows, cols, 3, random);
         Mat alpha = new Mat(rows, cols, opencv_core.CV_8UC1); Mat original = fg.clone()) {
      try (UByteIndexer a = alpha.createIndexer()) {
        for (int y = 0; y < rows; y++) {
          for (int x = 0; x < cols; x++) {
            // runs of background and person of varied lengths, with soft edges between them
            int phase = (x + 3 * y) % 40;
            a.put(y, x, phase < 13 ? 0 : phase < 15 ? random.nextInt(256) : phase < 35 ? 255 : random.nextInt(256));
          }
        }
      }
      new Blend().over(fg, bg, alpha);
      assertBlended(fg, original, bg, alpha);
    }
  }

  @Test
  void theThreeLanesOfAPixelAreEachExactForEveryForegroundBackgroundAndAlpha() {
    for (int alpha = 0; alpha < 256; alpha++) {
      for (int f = 0; f < 256; f++) {
        for (int b = 0; b < 256; b++) {
          // the three lanes carry different values, so a carry or a bit shifted across lanes would show
          int[] fs = {f, 255 - f, (f * 7) & 255};
          int[] bs = {b, (b * 13) & 255, 255 - b};
          long v = Blend.mix(fs[0] | (long) fs[1] << 16 | (long) fs[2] << 32,
              bs[0] | (long) bs[1] << 16 | (long) bs[2] << 32, alpha);
          for (int lane = 0; lane < 3; lane++) {
            long expected = Math.round((fs[lane] * alpha + bs[lane] * (255.0 - alpha)) / 255);
            long got = v >>> (16 * lane) & 0xffff;
            if (got != expected) {
              fail("lane " + lane + " of f " + fs[lane] + ", b " + bs[lane] + ", alpha " + alpha + ": " + got
                  + ", want " + expected);
            }
          }
        }
      }
    }
  }

  @Test
  void regionsOfLargerImagesBlendRowByRow() {
    Random random = new Random(11);
    try (Mat bigFg = noise(40, 60, 3, random); Mat bigBg = noise(40, 60, 3, random);
         Mat bigAlpha = noise(40, 60, 1, random); Rect roi = new Rect(5, 3, 33, 20);
         Mat fg = new Mat(bigFg, roi); Mat bg = new Mat(bigBg, roi); Mat alpha = new Mat(bigAlpha, roi);
         Mat original = fg.clone(); Mat outsideBefore = bigFg.clone()) {
      assertTrue(!fg.isContinuous(), "the test needs a region with gaps between rows");
      new Blend().over(fg, bg, alpha);
      assertBlended(fg, original, bg, alpha);
      try (UByteIndexer now = bigFg.createIndexer(); UByteIndexer before = outsideBefore.createIndexer()) {
        assertEquals(before.get(0, 0, 0), now.get(0, 0, 0), "pixels outside the region are untouched");
        assertEquals(before.get(39, 59, 2), now.get(39, 59, 2), "pixels outside the region are untouched");
      }
    }
  }

  @Test
  void aCoarseMaskScaledWhileBlendingGivesWhatOpenCvsResizeThenBlendGive() {
    // {coarse rows, cols, frame rows, cols, period of the mask's runs}: the selfie model's 256x144 to 720p with short
    // runs and with runs long enough for the eight-column skips, odd ratios, one row, one column, one pixel, and down
    int[][] shapes = {{144, 256, 720, 1280, 12}, {144, 256, 720, 1280, 90}, {5, 7, 20, 33, 12}, {1, 9, 7, 40, 5},
        {9, 1, 40, 7, 5}, {1, 1, 9, 10, 12}, {17, 30, 17, 30, 40}, {60, 90, 25, 41, 30}, {144, 256, 720, 1280, 90}};
    Random random = new Random(5);
    Blend blend = new Blend(); // one for all: its buffers follow each size change, as between a stream's frames
    for (int[] shape : shapes) {
      try (Mat fg = noise(shape[2], shape[3], 3, random); Mat bg = noise(shape[2], shape[3], 3, random);
           Mat coarse = blobs(shape[0], shape[1], shape[4], random); Mat expected = fg.clone()) {
        blend.overScaled(fg, bg, coarse);
        assertScaledBlend(fg, expected, bg, coarse, shape[3] + "x" + shape[2] + " from " + shape[1] + "x" + shape[0]);
      }
    }
  }

  @Test
  void aCoarseMaskIsScaledOverRegionsOfLargerImages() {
    Random random = new Random(13);
    try (Mat bigFg = noise(100, 160, 3, random); Mat bigBg = noise(100, 160, 3, random);
         Mat coarse = blobs(9, 16, 40, random); Rect roi = new Rect(7, 5, 120, 72);
         Mat fg = new Mat(bigFg, roi); Mat bg = new Mat(bigBg, roi); Mat original = fg.clone();
         Mat outsideBefore = bigFg.clone()) {
      new Blend().overScaled(fg, bg, coarse);
      assertScaledBlend(fg, original, bg, coarse, "a region");
      try (UByteIndexer now = bigFg.createIndexer(); UByteIndexer before = outsideBefore.createIndexer()) {
        assertEquals(before.get(4, 6, 1), now.get(4, 6, 1), "pixels outside the region are untouched");
        assertEquals(before.get(99, 159, 2), now.get(99, 159, 2), "pixels outside the region are untouched");
        assertEquals(before.get(77, 127, 0), now.get(77, 127, 0), "pixels outside the region are untouched");
      }
    }
  }

  /** Asserts that {@code out} is {@code fg} over {@code bg} with {@code coarse} resized by OpenCV, within 1. */
  private static void assertScaledBlend(Mat out, Mat fg, Mat bg, Mat coarse, String what) {
    try (Mat alpha = new Mat(); Mat expected = fg.clone(); Size size = new Size(out.cols(), out.rows());
         Mat difference = new Mat()) {
      resize(coarse, alpha, size, 0, 0, INTER_LINEAR);
      new Blend().over(expected, bg, alpha);
      absdiff(out, expected, difference);
      double[] most = new double[1];
      minMaxLoc(difference.reshape(1), null, most, null, null, null);
      assertTrue(most[0] <= 1, what + ": a channel differs by " + most[0] + " from OpenCV's resize, then the blend");
    }
  }

  @Test
  void mismatchedSizesAreRefusedWithTheirShapes() {
    try (Mat fg = new Mat(4, 4, opencv_core.CV_8UC3); Mat bg = new Mat(4, 5, opencv_core.CV_8UC3);
         Mat alpha = new Mat(4, 4, opencv_core.CV_8UC1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Blend().over(fg, bg, alpha));
      assertTrue(e.getMessage().contains("5x4"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> new Blend().overScaled(fg, bg, alpha));
      assertTrue(e.getMessage().contains("5x4"), e.getMessage());
    }
    try (Mat fg = new Mat(4, 4, opencv_core.CV_8UC3); Mat bg = new Mat(4, 4, opencv_core.CV_8UC3);
         Mat colour = new Mat(2, 2, opencv_core.CV_8UC3)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Blend().overScaled(fg, bg, colour));
      assertTrue(e.getMessage().contains("2x2 type " + opencv_core.CV_8UC3), e.getMessage());
    }
  }

  private static void assertBlended(Mat out, Mat fg, Mat bg, Mat alpha) {
    try (UByteIndexer o = out.createIndexer(); UByteIndexer f = fg.createIndexer(); UByteIndexer b = bg.createIndexer();
         UByteIndexer a = alpha.createIndexer()) {
      for (int y = 0; y < out.rows(); y++) {
        for (int x = 0; x < out.cols(); x++) {
          int w = a.get(y, x);
          for (int c = 0; c < 3; c++) {
            int expected = (int) Math.round((f.get(y, x, c) * w + b.get(y, x, c) * (255.0 - w)) / 255);
            assertEquals(expected, o.get(y, x, c), 0, "pixel " + x + "," + y + " channel " + c + " alpha " + w);
          }
        }
      }
    }
  }

  /**
   * A mask like a model's: runs of 0 and 255 {@code period / 3} long with soft edges between them (random values),
   * slanting from row to row.
   */
  private static Mat blobs(int rows, int cols, int period, Random random) {
    Mat m = new Mat(rows, cols, opencv_core.CV_8UC1);
    try (UByteIndexer i = m.createIndexer()) {
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
          int phase = (x + 2 * y) % period;
          int v = phase < period / 3 ? 0 : phase < period / 2 ? random.nextInt(256)
              : phase < 5 * period / 6 ? 255 : random.nextInt(256);
          i.put(y, x, v);
        }
      }
    }
    return m;
  }

  private static Mat noise(int rows, int cols, int channels, Random random) {
    Mat m = new Mat(rows, cols, opencv_core.CV_8UC(channels));
    try (UByteIndexer i = m.createIndexer()) {
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
          for (int c = 0; c < channels; c++) {
            i.put(y, x, c, random.nextInt(256));
          }
        }
      }
    }
    return m;
  }
}
