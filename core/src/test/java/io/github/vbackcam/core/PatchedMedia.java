package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Generated media with a header changed afterwards, byte for byte, as other muxers or a hostile file would write it:
 * a display matrix FFmpeg's own muxer does not write (a flip), a frame size the data does not have.
 */
public final class PatchedMedia {
  private PatchedMedia() {}

  /** The side of the square corner markers of {@link #corners}. */
  public static final int MARK = 16;

  /**
   * A short MPEG-4 clip whose pictures are green with a red square in the top-left corner and a blue one in the
   * top-right: where those two corners end up tells every turn and flip apart.
   */
  public static Path corners(Path file, int width, int height, int frames) throws Exception {
    String name = file.getFileName().toString();
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
         OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
         Mat picture = new Mat(height, width, opencv_core.CV_8UC3);
         Scalar green = new Scalar(0, 255, 0, 0);
         Scalar red = new Scalar(0, 0, 255, 0);
         Scalar blue = new Scalar(255, 0, 0, 0);
         Rect left = new Rect(0, 0, MARK, MARK);
         Rect right = new Rect(width - MARK, 0, MARK, MARK);
         Mat topLeft = new Mat(picture, left);
         Mat topRight = new Mat(picture, right)) {
      picture.put(green);
      topLeft.put(red);
      topRight.put(blue);
      r.setFormat(name.endsWith(".mkv") ? "matroska" : name.substring(name.lastIndexOf('.') + 1));
      r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      r.setVideoQuality(2);
      r.setFrameRate(10);
      r.start();
      for (int i = 0; i < frames; i++) {
        r.record(converter.convert(picture), avutil.AV_PIX_FMT_BGR24);
      }
      r.stop();
    }
    return file;
  }

  /**
   * Writes the 2x2 part of an mp4's first track header matrix ({@code tkhd}: a b / c d, in whole numbers) as QA's
   * script writes it, with a flip's translation (the width for a = -1, the height for d = -1) that keeps the picture
   * in view; FFmpeg reads the matrix as the stream's display matrix and ignores the translation.
   */
  public static void displayMatrix(Path mp4, int a, int b, int c, int d) throws IOException {
    byte[] bytes = Files.readAllBytes(mp4);
    int at = indexOf(bytes, "tkhd".getBytes(StandardCharsets.US_ASCII), 0);
    assertTrue(at > 0, "no tkhd box in " + mp4);
    int version = bytes[at + 4];
    // type, version+flags, then creation, modification, track id, reserved, duration (wider in version 1),
    // 8 reserved bytes and layer, group, volume, reserved.
    int matrix = at + 4 + 4 + (version == 1 ? 32 : 20) + 8 + 8;
    ByteBuffer header = ByteBuffer.wrap(bytes);
    int width = header.getInt(matrix + 36) >>> 16;
    int height = header.getInt(matrix + 40) >>> 16;
    int[] m = {a << 16, b << 16, 0, c << 16, d << 16, 0, (a < 0 ? width : 0) << 16, (d < 0 ? height : 0) << 16,
        1 << 30};
    for (int i = 0; i < 9; i++) {
      header.putInt(matrix + 4 * i, m[i]);
    }
    Files.write(mp4, bytes);
  }

  /** Replaces the one occurrence of {@code from} in {@code file} by {@code to}, of the same length. */
  public static void replace(Path file, byte[] from, byte[] to) throws IOException {
    assertEquals(from.length, to.length, "a patch keeps the length");
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, from, 0);
    assertTrue(at >= 0, "pattern not found in " + file);
    assertEquals(-1, indexOf(bytes, from, at + 1), "pattern found twice in " + file);
    System.arraycopy(to, 0, bytes, at, to.length);
    Files.write(file, bytes);
  }

  /** Bytes from ints 0..255, for patterns. */
  public static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
