package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/** What replaces the background: an image, a video, a blur of the real background, a colour. */
public interface Background extends AutoCloseable {

  /**
   * Fills {@code out} (BGR, frame size, allocated by the caller) with the background for this frame. May read the
   * frame's image and mask, and must not change them.
   */
  void render(Frame frame, Mat out) throws Exception;

  /** For logs and status, e.g. {@code image /usr/share/vbackcam/backgrounds/studio.png}. */
  String describe();

  @Override
  void close();
}
