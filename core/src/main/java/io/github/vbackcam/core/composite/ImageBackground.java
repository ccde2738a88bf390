package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** A picture, scaled to cover the frame and centre-cropped; scaled once per frame size, not per frame. */
public final class ImageBackground implements Background {

  private final Path path;
  private final Mat original;
  private final Mat scaled = new Mat();

  /** Reads the image now, so a bad file fails here with a message naming it, not on the first frame. */
  public ImageBackground(Path path) throws IOException {
    this.path = path;
    this.original = Images.readImage(path);
  }

  @Override
  public Mat render(Frame frame) {
    if (scaled.cols() != frame.width() || scaled.rows() != frame.height()) {
      scaled.create(frame.height(), frame.width(), frame.image().type());
      Images.cover(original, scaled);
    }
    return scaled;
  }

  @Override
  public String describe() {
    return "image " + path;
  }

  @Override
  public void close() {
    original.close();
    scaled.close();
  }
}
