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

/**
 * Decodes a video file with FFmpeg, optionally looping, scaled to cover the output size.
 *
 * <p>Frames keep FFmpeg's own presentation times, so a variable-frame-rate file keeps its timing; a loop continues
 * the timeline (the second pass starts where the first ended) so time never runs backwards. A display matrix (a
 * phone's portrait recording stored sideways) is applied the way FFmpeg's players apply it: the frames come out
 * upright, with width and height swapped for 90 and 270 degrees.
 */
public final class VideoFileSource implements FrameSource {

  static {
    // FFmpeg's own logging goes to stderr by default; keep only errors.
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private final Path path;
  private final FFmpegFrameGrabber grabber;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private final Mat upright = new Mat();
  private final VideoSize outputSize;
  private final boolean loop;
  private final int rotation;
  private long sequence;
  /** Added to FFmpeg's timestamps: the length of the passes already played. */
  private long loopOffset;
  private long firstPts = Long.MIN_VALUE;
  private long lastPts = Long.MIN_VALUE;

  /** A video decoded on FFmpeg's thread per core (the fastest for a file); see the four-argument constructor. */
  public VideoFileSource(Path path, VideoSize outputSize, boolean loop) throws IOException {
    this(path, outputSize, loop, false);
  }

  /**
   * @param outputSize the frame size to produce, or null for the video's own upright size (width rounded to even)
   * @param loop start again at the end instead of ending
   * @param oneThread decode on one thread, a frame out for each frame in (a live stand-in for a camera), instead of
   *     FFmpeg's thread per core, which is faster for a file but holds frames back
   */
  public VideoFileSource(Path path, VideoSize outputSize, boolean loop, boolean oneThread) throws IOException {
    FileTypes.checkReadable(path);
    this.path = path;
    this.loop = loop;
    this.grabber = new FFmpegFrameGrabber(path.toFile());
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    if (oneThread) {
      grabber.setVideoOption("threads", "1");
    }
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
    this.rotation = clockwise(grabber.getDisplayRotation());
    boolean sideways = rotation == 90 || rotation == 270;
    int w = sideways ? grabber.getImageHeight() : grabber.getImageWidth();
    int h = sideways ? grabber.getImageWidth() : grabber.getImageHeight();
    this.outputSize = outputSize != null ? outputSize : new VideoSize(w, h).evenWidth();
  }

  /**
   * The clockwise turn that shows a frame upright. FFmpeg's display matrix gives the counter-clockwise angle
   * ({@code av_display_rotation_get}); its players turn by the opposite, rounded to a quarter turn.
   */
  static int clockwise(double displayRotation) {
    if (Double.isNaN(displayRotation)) {
      return 0;
    }
    long quarter = Math.round(-displayRotation / 90);
    return (int) Math.floorMod(quarter * 90, 360);
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
        loopOffset += passLength();
        grabber.setTimestamp(0);
        decoded = grabber.grabImage();
      }
      if (decoded == null) {
        return null;
      }
      long pts = decoded.timestamp;
      if (firstPts == Long.MIN_VALUE) {
        firstPts = pts;
      }
      lastPts = pts;
      Mat pixels = Images.rotate(converter.convert(decoded), upright, rotation);
      return Images.coverFrame(pixels, outputSize, sequence++, pts + loopOffset);
    } catch (FrameGrabber.Exception e) {
      throw new IOException("decoding " + path + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * One pass: from the first frame to the end of the last one (its time plus one nominal frame), or to the end the
   * container states if that is later (a last frame held, as players hold it).
   */
  private long passLength() {
    return Math.max(Math.max(1, lastPts - firstPts + Math.round(1e6 / frameRate())), durationMicros());
  }

  /**
   * For a looped video: jumps so that the next frame read is the one on show at {@code ptsMicros} on the looped
   * timeline (as if it had played on to there), instead of decoding everything in between. Returns false, having
   * done nothing, when it cannot (not looped, no frame read yet, or a container without a duration).
   */
  public boolean skipTo(long ptsMicros) throws IOException {
    long length = passLength();
    if (!loop || firstPts == Long.MIN_VALUE || durationMicros() <= 0 || ptsMicros <= firstPts) {
      return false;
    }
    long into = ptsMicros - firstPts;
    try {
      grabber.setTimestamp(firstPts + into % length);
    } catch (FrameGrabber.Exception e) {
      throw new IOException("seeking in " + path + " failed: " + e.getMessage(), e);
    }
    loopOffset = into / length * length;
    return true;
  }

  /** The clockwise rotation applied to every frame (0, 90, 180 or 270). */
  public int rotation() {
    return rotation;
  }

  /** The length of the video in microseconds as the container states it, or 0 when unknown. */
  public long durationMicros() {
    return Math.max(0, grabber.getLengthInTime());
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
      upright.close();
    }
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception ignored) {
      // Already failing; the caller reports the first error.
    }
    converter.close();
    upright.close();
  }
}
