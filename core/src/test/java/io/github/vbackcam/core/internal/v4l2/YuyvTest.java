package io.github.vbackcam.core.internal.v4l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** BGR to YUYV on known colours (BT.601, limited range: Y 16-235, U/V 16-240). */
class YuyvTest {

  private static int[] convert(int b, int g, int r) {
    byte[] bgr = {(byte) b, (byte) g, (byte) r, (byte) b, (byte) g, (byte) r};
    byte[] out = new byte[4];
    Yuyv.fromBgr(bgr, 6, 2, 1, out);
    return new int[] {out[0] & 0xff, out[1] & 0xff, out[2] & 0xff, out[3] & 0xff};
  }

  private static void assertYuyv(int[] expected, int[] actual) {
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], actual[i], 1, "byte " + i + " of " + java.util.Arrays.toString(actual));
    }
  }

  @Test
  void primariesAndGreys() {
    assertYuyv(new int[] {16, 128, 16, 128}, convert(0, 0, 0));
    assertYuyv(new int[] {235, 128, 235, 128}, convert(255, 255, 255));
    assertYuyv(new int[] {82, 90, 82, 240}, convert(0, 0, 255));     // red
    assertYuyv(new int[] {145, 54, 145, 34}, convert(0, 255, 0));    // green
    assertYuyv(new int[] {41, 240, 41, 110}, convert(255, 0, 0));    // blue
  }

  @Test
  void chromaIsAveragedOverThePairAndLumaIsPerPixel() {
    byte[] bgr = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255};
    byte[] out = new byte[4];
    Yuyv.fromBgr(bgr, 6, 2, 1, out);
    assertEquals(16, out[0] & 0xff);
    assertEquals(235, out[2] & 0xff);
    assertEquals(128, out[1] & 0xff, 1);
    assertEquals(128, out[3] & 0xff, 1);
  }

  @Test
  void rowStrideIsHonoured() {
    byte[] bgr = new byte[2 * 8];
    bgr[8] = bgr[9] = bgr[10] = bgr[11] = bgr[12] = bgr[13] = (byte) 255; // second row white, after 2 pad bytes
    byte[] out = new byte[8];
    Yuyv.fromBgr(bgr, 8, 2, 2, out);
    assertEquals(16, out[0] & 0xff);
    assertEquals(235, out[4] & 0xff);
  }

  @Test
  void oddWidthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Yuyv.fromBgr(new byte[9], 9, 3, 1, new byte[8]));
  }
}
