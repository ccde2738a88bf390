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
  private int width;
  private int height;

  /** Opens the video now, so a bad file fails here with a message naming it. */
  public VideoBackground(Path path) throws IOException {
    this.path = path;
    this.source = new VideoFileSource(path, null, true);
  }

  @Override
  public void render(Frame frame, Mat out) throws IOException {
    if (width != out.cols() || height != out.rows()) {
      source.close();
      source = new VideoFileSource(path, new VideoSize(out.cols(), out.rows()), true);
      width = out.cols();
      height = out.rows();
    }
    try (Frame next = source.read()) {
      if (next == null) {
        throw new IOException("background video " + path + " has no frames");
      }
      next.image().copyTo(out);
    }
  }

  @Override
  public String describe() {
    return "video " + path;
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (IOException e) {
      // Nothing is written; a failed close of a decoder loses nothing.
    }
  }
}
