package io.github.vbackcam.core.sink;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.TestData;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * The YUYV the loopback and the PipeWire node carry: luma as OpenCV's direct conversion within a code; chroma that of
 * each 2x2 block's first pixel (4:2:0, as OpenCV's I420 takes it), in both rows of the block; an odd height converted
 * directly. Nothing is written past the picture into the node's buffer at any width (swscale packs whole blocks).
 */
class Yuy2ConverterTest {

  private static final int GUARD = 4096;

  @Test
  void aPhotoIsBt601WithTheChromaOfEachBlocksFirstPixelAtWidthsSwscaleDoesAndDoesNotPackExactly() {
    Mat photo = opencv_imgcodecs.imread(TestData.file("data/portraits_unlabeled/grace_hopper_512x600.jpg").toString());
    assertTrue(!photo.empty(), "the test photo did not load");
    try (Yuy2Converter converter = new Yuy2Converter()) {
      // 1280 and 64: multiples of 32, packed in place; 854, 62 and 6: through the padded buffer; 35 rows: odd.
      for (int[] wh : new int[][] {{1280, 720}, {854, 480}, {64, 36}, {62, 36}, {6, 4}, {64, 35}}) {
        try (Mat bgr = new Mat(); Mat firsts = new Mat(); Size size = new Size(wh[0], wh[1]);
            Size half = new Size(wh[0] / 2, wh[1] / 2)) {
          opencv_imgproc.resize(photo, bgr, size);
          String what = wh[0] + "x" + wh[1];
          byte[] got = convert(converter, bgr, what);
          byte[] direct = direct(bgr);
          byte[] chroma = direct;
          if (wh[1] % 2 == 0) { // every pixel of a 2x2 block made its first one's
            opencv_imgproc.resize(bgr, firsts, half, 0, 0, opencv_imgproc.INTER_NEAREST);
            opencv_imgproc.resize(firsts, firsts, size, 0, 0, opencv_imgproc.INTER_NEAREST);
            chroma = direct(firsts);
          }
          for (int i = 0; i < got.length; i++) {
            int want = (i % 2 == 0 ? direct[i] : chroma[i]) & 0xff;
            assertEquals(want, got[i] & 0xff, 1, what + ": " + (i % 2 == 0 ? "luma" : "chroma") + " byte " + i);
          }
        }
      }
    }
    photo.close();
  }

  @Test
  void aFlatColourIsExact() {
    try (Yuy2Converter converter = new Yuy2Converter();
        Mat bgr = new Mat(36, 62, CV_8UC3, new Scalar(30, 200, 90, 0))) {
      byte[] got = convert(converter, bgr, "62x36 flat");
      byte[] direct = direct(bgr);
      for (int i = 0; i < got.length; i++) {
        assertEquals(direct[i] & 0xff, got[i] & 0xff, 1, "byte " + i);
      }
    }
  }

  /**
   * Converts as the PipeWire node does, into a buffer of its own with a guard zone after the picture, and checks the
   * zone is untouched.
   */
  private static byte[] convert(Yuy2Converter converter, Mat bgr, String what) {
    int bytes = bgr.rows() * bgr.cols() * 2;
    ByteBuffer memory = ByteBuffer.allocateDirect(bytes + GUARD);
    for (int i = 0; i < memory.capacity(); i++) {
      memory.put(i, (byte) 0x5a);
    }
    PipeWireSink.toYuy2(converter, bgr, memory);
    byte[] all = new byte[bytes + GUARD];
    memory.get(0, all);
    for (int i = bytes; i < all.length; i++) {
      assertEquals(0x5a, all[i], what + ": byte " + (i - bytes) + " past the picture was written");
    }
    return Arrays.copyOf(all, bytes);
  }

  private static byte[] direct(Mat bgr) {
    try (Mat yuy2 = new Mat()) {
      opencv_imgproc.cvtColor(bgr, yuy2, opencv_imgproc.COLOR_BGR2YUV_YUY2);
      byte[] bytes = new byte[bgr.rows() * bgr.cols() * 2];
      yuy2.data().capacity(bytes.length).get(bytes);
      return bytes;
    }
  }
}
