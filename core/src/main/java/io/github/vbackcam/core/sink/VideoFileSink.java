package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import io.github.vbackcam.core.internal.FileTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes frames into a video file with FFmpeg. The container follows the extension: {@code .mp4}/{@code .mkv}/
 * {@code .mov} get H.264 (OpenH264, the encoder the bundled FFmpeg has), {@code .webm} VP8, {@code .avi} MPEG-4
 * part 2, {@code .y4m} raw YUV 4:2:0 (what the service writes when its output is a regular file).
 *
 * <p>Frames keep their presentation times: the first frame is time 0. Containers with timestamps (mp4, mkv, mov,
 * webm) store each frame's own time in a fine time base ({@link TimestampedEncoder}), and the last frame lasts until
 * the end the caller names ({@link #endAt}), so a variable-rate input keeps its timing and duration whatever rate
 * it declares. Y4M and AVI have one rate for the whole file; there the sink paces to the rate it declares
 * ({@link ConstantRate}), repeating or dropping frames so that the header tells the truth about a camera running
 * slower or faster than declared; a slot between two frames repeats the earlier one, as FFmpeg's {@code cfr} does.
 *
 * <p>Each picture is converted to the encoder's YUV 4:2:0 once, however often it is recorded, and not again when it
 * is identical to the last one (the placeholder, written again and again while nobody watches).
 */
public final class VideoFileSink implements FrameSink {

  static {
    FFmpegLog.quiet();
  }

  private final Path path;
  /** The encoder for containers with timestamps; null for Y4M and AVI. */
  private final TimestampedEncoder timed;
  /** The recorder for Y4M and AVI, which have one rate for the whole file; null for the others. */
  private final FFmpegFrameRecorder recorder;
  private final Yuv420Converter yuv;
  private final LastPicture last = new LastPicture();
  private final double rate;
  /** The constant-rate grid for containers without timestamps; null for those with them. */
  private final ConstantRate grid;
  private long endMicros = -1;

  /** @param frameRate the rate to declare (0 or less: 30); the frames' own times decide when each is shown */
  public VideoFileSink(Path path, VideoSize size, double frameRate) throws IOException {
    this.path = path;
    Sinks.checkWritable(path);
    this.rate = frameRate > 0 ? frameRate : 30;
    String ext = FileTypes.extension(path);
    this.yuv = new Yuv420Converter(size);
    try {
      switch (ext) {
        case "mp4", "mkv", "mov" -> timed = new TimestampedEncoder(path, ext.equals("mkv") ? "matroska" : ext,
            encoder("libopenh264"), size, rate, bitrate(size, rate), ext.equals("mkv"));
        case "webm" -> timed = new TimestampedEncoder(path, "webm", avcodec.avcodec_find_encoder(
            avcodec.AV_CODEC_ID_VP8), size, rate, bitrate(size, rate), true);
        case "avi", "y4m" -> timed = null;
        default -> throw new IOException("unsupported output type '." + ext + "' for " + path
            + " (use .mp4, .mkv, .mov, .webm, .avi, .y4m, or .png/.jpg for a single frame)");
      }
      this.recorder = timed == null ? constantRate(path, size, rate, ext) : null;
    } catch (IOException | RuntimeException e) {
      yuv.close();
      last.close();
      Files.deleteIfExists(path);
      throw e;
    }
    this.grid = timed == null ? new ConstantRate(rate) : null;
  }

  private static AVCodec encoder(String name) throws IOException {
    AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
    if (codec == null || codec.isNull()) {
      throw new IOException("FFmpeg has no " + name + " encoder");
    }
    return codec;
  }

  /** A recorder for Y4M (raw) or AVI (MPEG-4 part 2), fed at the constant rate it declares. */
  private static FFmpegFrameRecorder constantRate(Path path, VideoSize size, double rate, String ext)
      throws IOException {
    FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(path.toFile(), size.width(), size.height(), 0);
    recorder.setFrameRate(rate);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    if (ext.equals("avi")) {
      recorder.setFormat("avi");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setVideoQuality(3);
    } else {
      recorder.setFormat("yuv4mpegpipe");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_RAWVIDEO);
    }
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      try {
        recorder.release();
      } catch (FrameRecorder.Exception ignored) {
        // Already failing.
      }
      throw new IOException("cannot write video " + path + ": " + e.getMessage(), e);
    }
    return recorder;
  }

  public static boolean supports(Path path) {
    return switch (FileTypes.extension(path)) {
      case "mp4", "mkv", "mov", "webm", "avi", "y4m" -> true;
      default -> false;
    };
  }

  @Override
  public void write(Frame frame) throws IOException {
    if (timed != null) {
      yuv420(frame);
      timed.write(yuv, frame.ptsMicros());
      return;
    }
    try {
      ConstantRate.Slots slots = grid.next(frame.ptsMicros());
      for (int i = 0; i < slots.held(); i++) {
        recorder.record(yuv.picture(), avutil.AV_PIX_FMT_YUV420P); // the picture before, still on show
      }
      // Converted even when its slot is taken: it is the picture on show until the next frame.
      org.bytedeco.javacv.Frame picture = yuv420(frame);
      if (slots.current() > 0) {
        recorder.record(picture, avutil.AV_PIX_FMT_YUV420P);
      }
    } catch (FrameRecorder.Exception e) {
      throw new IOException("encoding to " + path + " failed: " + e.getMessage(), e);
    }
  }

  /** The last frame lasts until {@code ptsMicros}: a file with timestamps keeps the input's duration. */
  @Override
  public void endAt(long ptsMicros) {
    this.endMicros = ptsMicros;
  }

  /** {@code frame}'s picture as the encoder takes it, converted only when it differs from the last one. */
  private org.bytedeco.javacv.Frame yuv420(Frame frame) {
    Mat bgr = frame.image();
    last.convertIfChanged(bgr, () -> yuv.convert(bgr));
    return yuv.picture();
  }

  /** The rate the file declares. */
  public double frameRate() {
    return rate;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      if (timed != null) {
        timed.finish(endMicros);
      } else {
        recorder.close();
      }
    } catch (FrameRecorder.Exception e) {
      throw new IOException("finishing " + path + " failed: " + e.getMessage(), e);
    } finally {
      if (timed != null) {
        timed.close();
      }
      yuv.close();
      last.close();
    }
  }

  /** About 0.1 bits per pixel: visually clean for talking-head video at a modest size. */
  private static int bitrate(VideoSize size, double fps) {
    return (int) Math.min(20_000_000, Math.max(500_000, size.width() * (long) size.height() * fps * 0.12));
  }

  @Override
  public String toString() {
    return "VideoFileSink(" + path + ")";
  }
}
