package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.source.VideoFileSource;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** A looping video; it advances one frame per output frame. */
public final class VideoBackground implements Background {

  private final Path path;
  private VideoFileSource source;
  /** The decoded frame last returned; kept until the next one replaces it. */
  private Frame current;
  private int width;
  private int height;

  /** Opens the video now, so a bad file fails here with a message naming it. */
  public VideoBackground(Path path) throws IOException {
    this.path = path;
    this.source = new VideoFileSource(path, null, true);
  }

  @Override
  public Mat render(Frame frame) throws IOException {
    if (width != frame.width() || height != frame.height()) {
      source.close();
      source = new VideoFileSource(path, new VideoSize(frame.width(), frame.height()), true);
      width = frame.width();
      height = frame.height();
    }
    Frame next = source.read();
    if (next == null) {
      throw new IOException("background video " + path + " has no frames");
    }
    if (current != null) {
      current.close();
    }
    current = next;
    return current.image();
  }

  @Override
  public String describe() {
    return "video " + path;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    try {
      source.close();
    } catch (IOException e) {
      // Nothing is written; a failed close of a decoder loses nothing.
    }
  }
}
