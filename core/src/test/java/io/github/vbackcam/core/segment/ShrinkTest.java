package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class ShrinkTest {

  @Test
  void eachHalvingAveragesTwoByTwoBlocks() {
    try (Shrink shrink = new Shrink(); Mat src = new Mat(9, 9, opencv_core.CV_8UC3); Mat dst = new Mat()) {
      try (UByteIndexer s = src.createIndexer()) {
        for (int y = 0; y < 9; y++) {
          for (int x = 0; x < 9; x++) {
            s.put(y, x, 0, 20 * x + y);
            s.put(y, x, 1, 10 * y);
            s.put(y, x, 2, (x + y) % 2 == 0 ? 200 : 0);
          }
        }
      }
      shrink.apply(src, dst, 4, 4); // 9x9: the odd last row and column go, then one exact halving
      try (UByteIndexer d = dst.createIndexer()) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            assertEquals(20 * (2 * x + 0.5) + 2 * y + 0.5, d.get(y, x, 0), 0.5, "channel 0 at " + x + "," + y);
            assertEquals(10 * (2 * y + 0.5), d.get(y, x, 1), 0.5, "channel 1 at " + x + "," + y);
            assertEquals(100, d.get(y, x, 2), "a checkerboard averages to its mean at " + x + "," + y);
          }
        }
      }
    }
  }

  @Test
  void aFrameShrunkToAModelInputAveragesFineDetailAndKeepsShapes() {
    try (Shrink shrink = new Shrink(); Mat src = new Mat(720, 1280, opencv_core.CV_8UC3); Mat ours = new Mat();
         Mat area = new Mat(); Mat diff = new Mat(); Size size = new Size(256, 256)) {
      try (UByteIndexer s = src.createIndexer()) {
        for (int y = 0; y < 720; y++) {
          for (int x = 0; x < 1280; x++) {
            // smooth shapes plus one-pixel stripes, which alias unless the halving averages them
            s.put(y, x, 0, (x * 255) / 1280);
            s.put(y, x, 1, x % 2 == 0 ? 255 : 0);
            s.put(y, x, 2, Math.hypot(x - 640, y - 360) < 200 ? 230 : 30);
          }
        }
      }
      shrink.apply(src, ours, 256, 256);
      try (UByteIndexer o = ours.createIndexer()) {
        for (int y = 0; y < 256; y++) {
          for (int x = 0; x < 256; x++) {
            int stripes = o.get(y, x, 1);
            assertTrue(stripes >= 126 && stripes <= 129, "one-pixel stripes average to grey, got " + stripes);
          }
        }
      }
      opencv_imgproc.resize(src, area, size, 0, 0, opencv_imgproc.INTER_AREA);
      opencv_core.absdiff(ours, area, diff);
      double gradient = opencv_core.mean(diff).get(0);
      double disc = opencv_core.mean(diff).get(2);
      assertTrue(gradient < 2 && disc < 4, "smooth shapes match an area average: " + gradient + ", " + disc);
      assertEquals(256, ours.cols());
      assertEquals(256, ours.rows());
    }
  }
}
