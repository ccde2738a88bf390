package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.Pngs;
import io.github.vbackcam.core.TestData;
import java.nio.file.Path;
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
}
