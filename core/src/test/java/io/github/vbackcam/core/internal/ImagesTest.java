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
