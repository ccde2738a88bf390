package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class MaskRefinerTest {

  /** One 30 fps frame interval, in microseconds. */
  private static final long FRAME = 33_333;


  private static int at(Mat m, int x) {
    try (UByteIndexer idx = m.createIndexer()) {
      return idx.get(0, x);
    }
  }

  private static Mat uniform(int value) {
    Mat m = new Mat(4, 16, opencv_core.CV_8UC1);
    m.put(new Scalar(value));
    return m;
  }

  @Test
  void hardThresholdCutsAtTheThreshold() {
    try (MaskRefiner r = new MaskRefiner(new MaskSettings(0.7, 0, 0, 0));
         Mat below = uniform(170); Mat above = uniform(180)) {
      r.refine(below, 1.0, 0);
      r.refine(above, 1.0, FRAME);
      assertEquals(0, at(below, 3));
      assertEquals(255, at(above, 3));
    }
  }

  @Test
  void softThresholdIsARampAroundTheThreshold() {
    try (MaskRefiner r = new MaskRefiner(new MaskSettings(0.5, 0.1, 0, 0));
         Mat low = uniform(102); Mat mid = uniform(128); Mat high = uniform(153)) {
      r.refine(low, 1.0, 0);
      r.refine(mid, 1.0, FRAME);
      r.refine(high, 1.0, 2 * FRAME);
      assertEquals(0, at(low, 0));
      assertEquals(130, at(mid, 0), 1, "128/255 = 0.502 sits 51% up the 0.4..0.6 ramp");
      assertEquals(255, at(high, 0));
    }
  }

  @Test
  void smoothingBlendsWithThePreviousFrameAndResetForgetsIt() {
    try (MaskRefiner r = new MaskRefiner(new MaskSettings(0.5, 0.5, 0, 0.5));
         Mat first = uniform(255); Mat second = uniform(0); Mat third = uniform(0)) {
      r.refine(first, 1.0, 0);
      r.refine(second, 1.0, FRAME);
      assertEquals(128, at(second, 0), 1, "half of the previous frame's 255 remains");
      r.reset();
      r.refine(third, 1.0, 2 * FRAME);
      assertEquals(0, at(third, 0));
    }
  }

  @Test
  void smoothingDecaysWithMediaTimeNotFrameCount() {
    try (MaskRefiner r = new MaskRefiner(new MaskSettings(0.5, 0.5, 0, 0.5));
         Mat first = uniform(255); Mat late = uniform(0); Mat first2 = uniform(255); Mat twoLater = uniform(0)) {
      r.refine(first, 1.0, 0);
      r.refine(late, 1.0, 2 * FRAME);
      assertEquals(64, at(late, 0), 1, "two 30 fps intervals later (a 15 fps camera) a quarter of 255 remains");
      r.reset();
      r.refine(first2, 1.0, 10 * FRAME);
      r.refine(twoLater, 1.0, 10 * FRAME + FRAME / 2);
      assertEquals(180, at(twoLater, 0), 1, "half an interval later (60 fps) 0.5^0.5 = 71% of 255 remains");
    }
  }

  @Test
  void featherSoftensAHardEdge() {
    try (MaskRefiner r = new MaskRefiner(new MaskSettings(0.5, 0, 2, 0)); Mat edge = uniform(0)) {
      try (UByteIndexer idx = edge.createIndexer()) {
        for (int y = 0; y < 4; y++) {
          for (int x = 8; x < 16; x++) {
            idx.put(y, x, 255);
          }
        }
      }
      r.refine(edge, 1.0, 0);
      int inner = at(edge, 7);
      int outer = at(edge, 8);
      assertEquals(true, inner > 0 && inner < 128 && outer > 128 && outer < 255, inner + " / " + outer);
    }
  }

  @Test
  void settingsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new MaskSettings(1.5, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new MaskSettings(0.5, 0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MaskSettings(0.5, 0, 0, 1));
  }
}
