package io.github.vbackcam.core.internal.v4l2;

/**
 * BGR24 to YUYV (YUV 4:2:2, packed Y0 U Y1 V) with BT.601 limited-range coefficients, the format every browser
 * accepts from a camera. Chroma is the average of each horizontal pixel pair.
 */
public final class Yuyv {
  private Yuyv() {}

  /** Converts {@code width}x{@code height} BGR pixels (rows {@code stride} bytes apart) into {@code yuyv}. */
  public static void fromBgr(byte[] bgr, int stride, int width, int height, byte[] yuyv) {
    if (width % 2 != 0) {
      throw new IllegalArgumentException("YUYV needs an even width, got " + width);
    }
    int out = 0;
    for (int y = 0; y < height; y++) {
      int in = y * stride;
      for (int x = 0; x < width; x += 2) {
        int b0 = bgr[in] & 0xff;
        int g0 = bgr[in + 1] & 0xff;
        int r0 = bgr[in + 2] & 0xff;
        int b1 = bgr[in + 3] & 0xff;
        int g1 = bgr[in + 4] & 0xff;
        int r1 = bgr[in + 5] & 0xff;
        in += 6;
        int r = r0 + r1;
        int g = g0 + g1;
        int b = b0 + b1;
        yuyv[out] = (byte) (((66 * r0 + 129 * g0 + 25 * b0 + 128) >> 8) + 16);
        yuyv[out + 1] = (byte) (((-38 * r - 74 * g + 112 * b + 256) >> 9) + 128);
        yuyv[out + 2] = (byte) (((66 * r1 + 129 * g1 + 25 * b1 + 128) >> 8) + 16);
        yuyv[out + 3] = (byte) (((112 * r - 94 * g - 18 * b + 256) >> 9) + 128);
        out += 4;
      }
    }
  }
}
