package io.github.vbackcam.core;

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
 * Short generated media for timing tests, written with the bundled FFmpeg: solid colours shown at chosen times, so
 * a test can tell from one pixel which picture is on show.
 */
public final class Clips {
  private Clips() {}

  /** Red, green and blue, as 0xRRGGBB. */
  public static final int RED = 0xff0000;
  public static final int GREEN = 0x00ff00;
  public static final int BLUE = 0x0000ff;

  /** One picture of a clip: a colour from a time, in ticks of the clip's time base. */
  public record Shot(int rgb, long tick) {}

  /**
   * Writes {@code shots} to {@code file}: MPEG-4 video in mp4/mkv, a GIF, or an APNG, with a time base of 1/{@code
   * ticksPerSecond}; the clip ends at {@code endTick}. A top-left 8x8 marker in the opposite colour shows
   * orientation. {@code displayRotation} (degrees, as FFmpeg's display matrix states it, counter-clockwise) is
   * written for mp4 when non-zero.
   */
  public static Path write(Path file, int width, int height, double ticksPerSecond, long endTick,
                           double displayRotation, Shot... shots) throws Exception {
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1);
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
         OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
      r.setFrameRate(ticksPerSecond);
      switch (ext) {
        case "gif" -> {
          r.setFormat("gif");
          r.setVideoCodec(avcodec.AV_CODEC_ID_GIF);
          r.setPixelFormat(avutil.AV_PIX_FMT_RGB8);
          r.setOption("loop", "0");
          // GIF delays are in hundredths of a second; the last one is the time left until the end.
          long lastTick = shots[shots.length - 1].tick();
          r.setOption("final_delay", Long.toString(Math.round((endTick - lastTick) * 100 / ticksPerSecond)));
        }
        case "apng", "png" -> {
          r.setFormat("apng");
          r.setVideoCodec(avcodec.AV_CODEC_ID_APNG);
          r.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
          r.setOption("plays", "0");
          // In seconds; without it the muxer repeats the previous frame's delay for the last one.
          long lastTick = shots[shots.length - 1].tick();
          r.setOption("final_delay", (endTick - lastTick) + "/" + Math.round(ticksPerSecond));
        }
        default -> {
          r.setFormat(ext.equals("mkv") ? "matroska" : ext);
          r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
          r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
          r.setVideoQuality(2);
          if (displayRotation != 0) {
            r.setDisplayRotation(displayRotation);
          }
        }
      }
      r.start();
      for (Shot shot : shots) {
        try (Mat m = solid(width, height, shot.rgb())) {
          r.setFrameNumber(Math.toIntExact(shot.tick()));
          r.record(converter.convert(m), avutil.AV_PIX_FMT_BGR24);
        }
      }
      r.setFrameNumber(Math.toIntExact(endTick));
      r.stop();
    }
    return file;
  }

  /** A constant-rate clip: {@code seconds[i]} seconds of {@code colours[i]} each, at {@code fps}. */
  public static Path constantRate(Path file, int width, int height, double fps, int[] colours, double[] seconds)
      throws Exception {
    java.util.List<Shot> shots = new java.util.ArrayList<>();
    long tick = 0;
    for (int i = 0; i < colours.length; i++) {
      long frames = Math.round(seconds[i] * fps);
      for (long f = 0; f < frames; f++) {
        shots.add(new Shot(colours[i], tick++));
      }
    }
    return write(file, width, height, fps, tick, 0, shots.toArray(Shot[]::new));
  }

  /** A BGR image of one colour with an 8x8 top-left marker in its inverse. */
  public static Mat solid(int width, int height, int rgb) {
    Mat m = new Mat(height, width, opencv_core.CV_8UC3);
    try (Scalar fill = bgr(rgb); Scalar mark = bgr(~rgb & 0xffffff); Rect corner = new Rect(0, 0, 8, 8);
         Mat roi = new Mat(m, corner)) {
      m.put(fill);
      roi.put(mark);
    }
    return m;
  }

  private static Scalar bgr(int rgb) {
    return new Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff, 0);
  }

  /** The colour class of a BGR pixel, as the shared cases' y4m.py names it: R, G, B, k (dark), w (light) or ?. */
  public static char colourClass(int[] bgrPixel) {
    int b = bgrPixel[0];
    int g = bgrPixel[1];
    int r = bgrPixel[2];
    int max = Math.max(r, Math.max(g, b));
    if (max < 60) {
      return 'k';
    }
    if (Math.min(r, Math.min(g, b)) > 180) {
      return 'w';
    }
    return max == r ? 'R' : max == g ? 'G' : 'B';
  }

  /**
   * A GIF of {@code frames} frames of one pixel each, on a {@code width} x {@code height} screen: 23 bytes a frame
   * (a graphic control extension, an image descriptor and a 3-code LZW stream).
   */
  public static byte[] gifOfPixels(int width, int height, int frames) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {(byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8),
        (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255}); // a 2-colour global table
    for (int i = 0; i < frames; i++) {
      out.writeBytes(new byte[] {0x21, (byte) 0xf9, 4, 0, 10, 0, 0, 0}); // delay 100 ms
      out.writeBytes(new byte[] {0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0}); // at 0,0, 1x1, no local table
      out.writeBytes(new byte[] {2, 2, 0x44, 0x01, 0}); // min code size 2: clear, 0, end
    }
    out.write(0x3b);
    return out.toByteArray();
  }
}
