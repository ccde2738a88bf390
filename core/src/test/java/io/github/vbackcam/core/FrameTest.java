package io.github.vbackcam.core;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * A frame's pixels move to a retimed frame without a copy, and only from a frame nothing else holds; a mask kept at
 * the model's resolution is scaled to the frame when asked for.
 */
class FrameTest {

  @Test
  void retimedMovesThePixelsAndReleasesTheOriginal() {
    Frame original = Frame.allocate(64, 32, 7, 1_000, 5);
    original.image().ptr(3, 4).put((byte) 200);
    long address = original.image().data().address();
    long before = System.nanoTime();
    try (Frame retimed = original.retimed(123_456)) {
      assertTrue(original.isReleased(), "the original gives up its pixels");
      assertEquals(address, retimed.image().data().address(), "the same pixels, not a copy");
      assertEquals(200, retimed.image().ptr(3, 4).get() & 0xff);
      assertEquals(7, retimed.sequence());
      assertEquals(123_456, retimed.ptsMicros());
      assertTrue(retimed.captureNanos() >= before, "captured now");
    }
  }

  @Test
  void aSharedOrSegmentedFrameIsNotRetimed() {
    try (Frame shared = Frame.allocate(16, 8, 1, 0, 0)) {
      Frame second = shared.retain();
      assertThrows(IllegalStateException.class, () -> shared.retimed(1));
      second.close();
      assertFalse(shared.isReleased(), "still usable after the refusal");
    }
    try (Frame segmented = Frame.allocate(16, 8, 2, 0, 0)) {
      segmented.maskForWriting();
      assertThrows(IllegalStateException.class, () -> segmented.retimed(1));
      assertNotEquals(null, segmented.image(), "still usable after the refusal");
    }
  }

  @Test
  void aCoarseMaskIsScaledToTheFrameOnlyWhenTheMaskIsAskedFor() {
    try (Frame frame = Frame.allocate(40, 20, 3, 0, 0);
         Mat expected = new Mat(); Size size = new Size(40, 20)) {
      assertFalse(frame.hasMask());
      assertNull(frame.mask(), "no mask before segmentation");
      Mat coarse = frame.coarseMaskForWriting(5, 8);
      try (UByteIndexer c = coarse.createIndexer()) {
        for (int y = 0; y < 5; y++) {
          for (int x = 0; x < 8; x++) {
            c.put(y, x, (x * 37 + y * 11) % 256);
          }
        }
      }
      assertTrue(frame.hasMask());
      assertNull(frame.scaledMask(), "not scaled until asked");
      resize(coarse, expected, size, 0, 0, INTER_LINEAR);
      Mat mask = frame.mask();
      assertEquals(40, mask.cols());
      assertEquals(20, mask.rows());
      try (Mat difference = new Mat()) {
        absdiff(mask, expected, difference);
        assertEquals(0, countNonZero(difference), "the bilinear scale of the coarse mask");
      }
      assertSame(mask, frame.scaledMask(), "made once");
      frame.coarseMaskForWriting(5, 8);
      assertNull(frame.scaledMask(), "a new coarse mask drops the old scaled one");
      assertThrows(IllegalStateException.class, () -> frame.retimed(1), "a segmented frame is not retimed");
    }
  }
}
