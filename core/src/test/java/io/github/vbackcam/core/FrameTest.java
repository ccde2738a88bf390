package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A frame's pixels move to a retimed frame without a copy, and only from a frame nothing else holds. */
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
}
