package io.github.vbackcam.core.source;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A still image as a source: the same picture {@code count} times (or forever with count 0). Repeats are timed as
 * {@link #STILL_RATE} frames a second from 0, so a background video or animation behind them still moves.
 */
public final class ImageSource implements FrameSource {

  /** The rate repeated stills are timed at: the rate a camera typically delivers. */
  static final double STILL_RATE = 30;

  private final Path path;
  private final Mat image;
  private final VideoSize outputSize;
  private final long count;
  private long sequence;

  public ImageSource(Path path, VideoSize outputSize, long count) throws IOException {
    this.path = path;
    this.image = Images.readImage(path);
    this.outputSize = outputSize != null
        ? outputSize
        : new VideoSize(image.cols(), image.rows()).evenWidth();
    this.count = count;
  }

  @Override
  public VideoSize size() {
    return outputSize;
  }

  @Override
  public Frame read() {
    if (count > 0 && sequence >= count) {
      return null;
    }
    long pts = Math.round(sequence * 1e6 / STILL_RATE);
    return Images.coverFrame(image, outputSize, sequence++, pts);
  }

  @Override
  public long frameCount() {
    return count > 0 ? count : -1;
  }

  @Override
  public double frameRate() {
    return 0;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() {
    image.close();
  }
}
