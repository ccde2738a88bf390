package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A picture, scaled to cover the frame and centre-cropped; scaled once per frame size, not per frame. Its
 * transparent pixels show the real scene.
 */
public final class ImageBackground implements Background {

  private final Path path;
  private final Picture picture;

  /** Reads the image now, so a bad file fails here with a message naming it, not on the first frame. */
  public ImageBackground(Path path) throws IOException {
    this.path = path;
    this.picture = new Picture(Images.readPicture(path));
  }

  @Override
  public Mat render(Frame frame) {
    return picture.render(frame);
  }

  @Override
  public String describe() {
    return "image " + path;
  }

  @Override
  public void close() {
    picture.close();
  }
}
