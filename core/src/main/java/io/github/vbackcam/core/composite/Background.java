package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/** What replaces the background: an image, a video, a blur of the real background, a colour. */
public interface Background extends AutoCloseable {

  /**
   * The background for this frame: BGR, frame size, owned by the background and valid until the next call (so a
   * still image is scaled once, not copied per frame). May read the frame's image and mask, never change them.
   */
  Mat render(Frame frame) throws Exception;

  /** For logs and status, e.g. {@code image /usr/share/vbackcam/backgrounds/studio.png}. */
  String describe();

  @Override
  void close();
}
