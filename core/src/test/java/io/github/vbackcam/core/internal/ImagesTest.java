package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.Pngs;
import io.github.vbackcam.core.TestData;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input images: transparency is composited over black, EXIF orientation is applied. */
class ImagesTest {

  @Test
  void anInputWithAlphaIsCompositedOverBlackBeforeSegmentation(@TempDir Path dir) throws Exception {
    byte[] px = new byte[8 * 4 * 4];
    for (int i = 0; i < 32; i++) {
      boolean left = i % 8 < 4;
      px[4 * i + 1] = (byte) 255; // green everywhere
      px[4 * i + 3] = (byte) (left ? 0 : 255);
    }
    Path png = Pngs.write(dir.resolve("in.png"), 8, 4, Pngs.RGBA, px, null, null);
    try (Mat image = Images.readImage(png)) {
      assertArrayEquals(new int[] {0, 0, 0}, Frames.pixel(image, 1, 1), "transparent: black");
      assertArrayEquals(new int[] {0, 255, 0}, Frames.pixel(image, 6, 1), "opaque: as stored");
    }
  }

  @Test
  void exifOrientationOfAnOpaqueImageIsStillApplied() throws Exception {
    // Stored landscape with orientation 6 (turn 90 degrees clockwise to show): comes out portrait.
    Path jpg = TestData.file("cases/segment/selfie-exif6.jpg");
    try (Mat image = Images.readImage(jpg); Images.Picture picture = Images.readPicture(jpg)) {
      assertEquals(true, image.rows() > image.cols(), "portrait after EXIF orientation");
      assertEquals(image.rows(), picture.bgr().rows());
      assertEquals(null, picture.alpha());
    }
  }

  @Test
  void aTransparentImageIsTurnedByItsExifOrientationColourAndAlphaAlike(@TempDir Path dir) throws Exception {
    // 8x4, the left half transparent red, the right half opaque blue; orientation 6: turn 90 degrees clockwise.
    byte[] px = new byte[8 * 4 * 4];
    for (int i = 0; i < 32; i++) {
      boolean left = i % 8 < 4;
      px[4 * i] = (byte) (left ? 255 : 0);
      px[4 * i + 2] = (byte) (left ? 0 : 255);
      px[4 * i + 3] = (byte) (left ? 0 : 255);
    }
    Path png = Pngs.write(dir.resolve("turned.png"), 8, 4, Pngs.RGBA, 8, px, null, null, Pngs.exifOrientation(6));
    try (Images.Picture picture = Images.readPicture(png)) {
      assertEquals(4, picture.bgr().cols(), "shown portrait");
      assertEquals(8, picture.bgr().rows());
      assertEquals(4, picture.alpha().cols());
      // The stored left column is the shown top row.
      assertArrayEquals(new int[] {0}, alpha(picture, 1, 1), "top: transparent");
      assertArrayEquals(new int[] {255}, alpha(picture, 1, 6), "bottom: opaque");
      assertArrayEquals(new int[] {0, 0, 255}, Frames.pixel(picture.bgr(), 1, 1), "top: red, hidden");
      assertArrayEquals(new int[] {255, 0, 0}, Frames.pixel(picture.bgr(), 1, 6), "bottom: blue");
    }
  }

  @Test
  void theColourKeyOfAGreyImageIsTransparentAtEveryDepth(@TempDir Path dir) throws Exception {
    // 8x2, the left half the key grey, the right half another; the key as stored at each depth.
    for (int depth : new int[] {2, 8, 16}) {
      int key = depth == 2 ? 2 : depth == 8 ? 200 : 51400;
      int other = depth == 2 ? 1 : depth == 8 ? 50 : 12850;
      byte[] px = greyRows(8, 2, depth, key, other);
      byte[] trns = {(byte) (key >> 8), (byte) key};
      Path png = Pngs.write(dir.resolve("key" + depth + ".png"), 8, 2, Pngs.GREY, depth, px, null, trns, null);
      try (Images.Picture picture = Images.readPicture(png)) {
        assertArrayEquals(new int[] {0}, alpha(picture, 1, 1), depth + " bits: the key is clear");
        assertArrayEquals(new int[] {255}, alpha(picture, 6, 1), depth + " bits: the rest opaque");
        int shown = depth == 2 ? 85 : 50;
        assertArrayEquals(new int[] {shown, shown, shown}, Frames.pixel(picture.bgr(), 6, 1), depth + " bits");
      }
    }
  }

  @Test
  void anImageOverTheLimitIsRefusedFromItsHeader(@TempDir Path dir) throws Exception {
    Path png = Pngs.write(dir.resolve("huge.png"), 9000, 8000, Pngs.GREY, 8, new byte[8000], null, null, null);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> Images.readImage(png));
    assertEquals(png + ": image of 9000x8000 pixels is too large (at most 64 megapixels)", e.getMessage());
  }

  private static int[] alpha(Images.Picture picture, int x, int y) {
    try (UByteIndexer a = picture.alpha().createIndexer()) {
      return new int[] {a.get(y, x)};
    }
  }

  /** Rows of {@code width} grey pixels at {@code depth} bits, the left half {@code left}, the right {@code right}. */
  private static byte[] greyRows(int width, int height, int depth, int left, int right) {
    int rowBytes = (width * depth + 7) / 8;
    byte[] rows = new byte[rowBytes * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = x < width / 2 ? left : right;
        int bit = x * depth;
        if (depth == 16) {
          rows[y * rowBytes + 2 * x] = (byte) (v >> 8);
          rows[y * rowBytes + 2 * x + 1] = (byte) v;
        } else {
          rows[y * rowBytes + bit / 8] |= (byte) (v << (8 - depth - bit % 8));
        }
      }
    }
    return rows;
  }

  /**
   * The eight orientations on a 3x2 picture whose pixels are numbered 1-6 in reading order (as in the first
   * channel): a turn first, then the mirror, so a vertical flip is a half turn mirrored and a transpose a quarter
   * turn mirrored.
   */
  @Test
  void aTurnThenAMirrorMakesEachOfTheEightOrientations() {
    // Rows of the result, for (clockwise, mirrored).
    Object[][] cases = {
      {0, false, "123/456"}, {0, true, "321/654"}, {180, false, "654/321"}, {180, true, "456/123"},
      {90, false, "41/52/63"}, {90, true, "14/25/36"}, {270, false, "36/25/14"}, {270, true, "63/52/41"},
    };
    try (Mat src = new Mat(2, 3, opencv_core.CV_8UC3); UByteIndexer in = src.createIndexer()) {
      for (int i = 0; i < 6; i++) {
        in.put(i / 3, i % 3, 0, i + 1);
      }
      for (Object[] c : cases) {
        try (Mat dst = new Mat()) {
          Mat out = Images.orient(src, dst, (Integer) c[0], (Boolean) c[1]);
          StringBuilder rows = new StringBuilder();
          try (UByteIndexer o = out.createIndexer()) {
            for (int y = 0; y < out.rows(); y++) {
              rows.append(y > 0 ? "/" : "");
              for (int x = 0; x < out.cols(); x++) {
                rows.append(o.get(y, x, 0));
              }
            }
          }
          assertEquals(c[2], rows.toString(), c[0] + " degrees" + ((Boolean) c[1] ? ", mirrored" : ""));
        }
      }
    }
  }
}
