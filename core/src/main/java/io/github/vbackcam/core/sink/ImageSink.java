package io.github.vbackcam.core.sink;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import java.io.IOException;
import java.nio.file.Path;

/** Writes one frame as an image (PNG, JPEG…); a still-image input renders to this. */
public final class ImageSink implements FrameSink {

  private final Path path;
  private boolean written;

  public ImageSink(Path path) throws IOException {
    Sinks.checkWritable(path);
    this.path = path;
  }

  @Override
  public void write(Frame frame) throws IOException {
    if (written) {
      throw new IOException("image output " + path + " takes a single frame; use a video extension such as .mp4");
    }
    if (!imwrite(path.toString(), frame.image())) {
      throw new IOException("cannot write image " + path);
    }
    written = true;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() {}
}
