package io.github.vbackcam.core.source;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/** Decodes a video file with FFmpeg, optionally looping, scaled to cover the output size. */
public final class VideoFileSource implements FrameSource {

  static {
    // FFmpeg's own logging goes to stderr by default; keep only errors.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private final Path path;
  private final FFmpegFrameGrabber grabber;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private final VideoSize outputSize;
  private final boolean loop;
  private long sequence;

  /**
   * @param outputSize the frame size to produce, or null for the video's own size (width rounded to even)
   * @param loop start again at the end instead of ending
   */
  public VideoFileSource(Path path, VideoSize outputSize, boolean loop) throws IOException {
    FileTypes.checkReadable(path);
    this.path = path;
    this.loop = loop;
    this.grabber = new FFmpegFrameGrabber(path.toFile());
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception e) {
      closeQuietly();
      throw new IOException("cannot open video " + path + ": " + e.getMessage(), e);
    }
    if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      closeQuietly();
      throw new IOException("no video stream in " + path);
    }
    this.outputSize = outputSize != null
        ? outputSize
        : new VideoSize(grabber.getImageWidth(), grabber.getImageHeight()).evenWidth();
  }

  @Override
  public VideoSize size() {
    return outputSize;
  }

  @Override
  public Frame read() throws IOException {
    try {
      org.bytedeco.javacv.Frame decoded = grabber.grabImage();
      if (decoded == null && loop && sequence > 0) {
        grabber.setTimestamp(0);
        decoded = grabber.grabImage();
      }
      if (decoded == null) {
        return null;
      }
      Mat pixels = converter.convert(decoded);
      return Images.coverFrame(pixels, outputSize, sequence++);
    } catch (FrameGrabber.Exception e) {
      throw new IOException("decoding " + path + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long frameCount() {
    int n = grabber.getLengthInVideoFrames();
    return loop || n <= 0 ? -1 : n;
  }

  @Override
  public double frameRate() {
    return Sources.plausibleRate(grabber.getFrameRate());
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      throw new IOException("closing " + path + " failed: " + e.getMessage(), e);
    } finally {
      converter.close();
    }
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception ignored) {
      // Already failing; the caller reports the first error.
    }
    converter.close();
  }
}
