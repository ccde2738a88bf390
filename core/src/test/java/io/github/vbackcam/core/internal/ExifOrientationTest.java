package io.github.vbackcam.core.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orientation tag is found in each container that carries one, and applying it gives exactly what OpenCV's own
 * colour decoding shows: for all eight orientations, in JPEG, PNG and WebP, big- and little-endian.
 */
class ExifOrientationTest {

  @TempDir
  Path dir;

  @Test
  void everyOrientationInEveryContainerIsReadAndAppliedAsOpenCvShowsIt() throws IOException {
    try (Mat picture = asymmetric()) {
      for (String format : new String[] {"jpg", "png", "webp"}) {
        for (int o = 1; o <= 8; o++) {
          for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Path file = dir.resolve(format + "-" + o + "-" + order + "." + format);
            Files.write(file, withOrientation(format, encode(picture, format), o, order));
            String what = file.getFileName().toString();
            assertEquals(o, ExifOrientation.read(file), what);
            try (Mat stored = imread(file.toString(), IMREAD_UNCHANGED);
                 Mat shown = imread(file.toString(), IMREAD_COLOR)) {
              ExifOrientation.apply(o, stored);
              assertEquals(shown.cols(), stored.cols(), what);
              assertEquals(shown.rows(), stored.rows(), what);
              try (Mat diff = new Mat()) {
                opencv_core.absdiff(stored, shown, diff);
                try (Mat grey = diff.reshape(1, 0)) {
                  assertEquals(0, countNonZero(grey), what + ": pixels differ from OpenCV's own orientation");
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void filesWithoutTheTagAreAsStored() throws IOException {
    try (Mat picture = asymmetric()) {
      for (String format : new String[] {"jpg", "png", "webp", "bmp"}) {
        Path file = Files.write(dir.resolve("plain." + format), encode(picture, format));
        assertEquals(ExifOrientation.NORMAL, ExifOrientation.read(file), format);
      }
    }
    assertEquals(ExifOrientation.NORMAL, ExifOrientation.read(Files.write(dir.resolve("cut.png"),
        new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'})));
  }

  /** 48x32, a different colour in each quarter, so every turn and mirror gives a different picture. */
  private static Mat asymmetric() {
    Mat m = new Mat(32, 48, CV_8UC3, new Scalar(0, 0, 0, 0));
    paint(m, new Rect(0, 0, 24, 16), new Scalar(0, 0, 255, 0));
    paint(m, new Rect(24, 0, 24, 16), new Scalar(0, 255, 0, 0));
    paint(m, new Rect(0, 16, 24, 16), new Scalar(255, 0, 0, 0));
    return m;
  }

  private static void paint(Mat m, Rect r, Scalar colour) {
    try (Mat region = m.apply(r)) {
      region.put(colour);
    }
  }

  private static byte[] encode(Mat picture, String format) {
    try (BytePointer out = new BytePointer(); IntPointer params = format.equals("webp")
        ? new IntPointer(opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101) // lossless: VP8L
        : new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 100)) {
      imencode("." + format, picture, out, params);
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  /** A TIFF structure with one entry: orientation. */
  private static byte[] tiff(int orientation, ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(26).order(order);
    b.put(order == ByteOrder.BIG_ENDIAN ? new byte[] {'M', 'M'} : new byte[] {'I', 'I'});
    b.putShort((short) 42).putInt(8).putShort((short) 1);
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    b.putInt(0);
    return b.array();
  }

  private static byte[] withOrientation(String format, byte[] file, int orientation, ByteOrder order)
      throws IOException {
    byte[] tiff = tiff(orientation, order);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (format) {
      case "jpg" -> { // SOI, then an APP1 "Exif\0\0" segment, then the rest
        out.write(file, 0, 2);
        out.write(new byte[] {(byte) 0xff, (byte) 0xe1});
        out.write(ByteBuffer.allocate(2).putShort((short) (2 + 6 + tiff.length)).array());
        out.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(tiff);
        out.write(file, 2, file.length - 2);
      }
      case "png" -> { // signature and IHDR, then eXIf, then the rest
        out.write(file, 0, 33);
        out.write(ByteBuffer.allocate(4).putInt(tiff.length).array());
        byte[] typed = ByteBuffer.allocate(4 + tiff.length).put("eXIf".getBytes(StandardCharsets.ISO_8859_1))
            .put(tiff).array();
        out.write(typed);
        CRC32 crc = new CRC32();
        crc.update(typed);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(file, 33, file.length - 33);
      }
      default -> { // an extended WebP: VP8X (EXIF flag, canvas size), the lossless image, then EXIF
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int imageLength = in.getInt(16);
        byte[] image = new byte[8 + imageLength + (imageLength & 1)];
        System.arraycopy(file, 12, image, 0, image.length);
        int bits = in.getInt(21);
        int width = (bits & 0x3fff) + 1;
        int height = ((bits >>> 14) & 0x3fff) + 1;
        ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes(StandardCharsets.ISO_8859_1)).putInt(10).put((byte) 0x08).put(new byte[3]);
        vp8x.put(u24(width - 1)).put(u24(height - 1));
        ByteBuffer exif = ByteBuffer.allocate(8 + tiff.length + (tiff.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        exif.put("EXIF".getBytes(StandardCharsets.ISO_8859_1)).putInt(tiff.length).put(tiff);
        int riff = 4 + vp8x.capacity() + image.length + exif.capacity();
        out.write("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(riff).array());
        out.write("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        out.write(vp8x.array());
        out.write(image);
        out.write(exif.array());
      }
    }
    return out.toByteArray();
  }

  private static byte[] u24(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16)};
  }
}
