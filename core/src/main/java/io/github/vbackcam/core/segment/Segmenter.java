package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;

/**
 * Finds the person in a frame. One instance per pipeline thread: segmenters hold a predictor and, for recurrent
 * models, state carried from frame to frame.
 */
public interface Segmenter extends AutoCloseable {

  /**
   * Writes the person probability (0 = background, 255 = person) for this frame into
   * {@link Frame#maskForWriting()}, at frame size, and adds the preprocess, inference and postprocess times to the
   * frame. The mask is computed from this same frame: there is never a lag between mask and image.
   */
  void segment(Frame frame) throws Exception;

  /** The model in use, for logs and status. */
  String describe();

  /** Forgets state carried between frames (a recurrent model's memory): call when the stream jumps. */
  default void reset() {}

  @Override
  void close();
}
