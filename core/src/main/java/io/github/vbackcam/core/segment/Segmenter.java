package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds the person in a frame. One instance per pipeline thread: segmenters hold a predictor and, for recurrent
 * models, state carried from frame to frame.
 */
public interface Segmenter extends AutoCloseable {

  /**
   * The person probability for this frame (CV_8UC1, 0 = background, 255 = person), covering the whole frame at the
   * model's own resolution: refining a mask is cheap there, and scaling it bilinearly only at the end (compositing
   * does it as it blends) gives a smooth edge. Owned by the segmenter and valid until the next call. Adds the
   * preprocess, inference and postprocess times to the frame. It is computed from this same frame: there is never a
   * lag between mask and image.
   */
  Mat segment(Frame frame) throws Exception;

  /**
   * Does the part of {@link #segment} that needs no model (resizing and normalising the frame) ahead of time, so
   * that it can run on another thread while the model works on the previous frame. Optional: {@code segment} does
   * it itself for a frame that was not prepared.
   */
  default void prepare(Frame frame) {}

  /**
   * Segments and writes the unrefined probability into the frame's mask, at the model's resolution and, scaled
   * bilinearly by {@link Frame#mask()}, at frame size.
   */
  default void segmentToMask(Frame frame) throws Exception {
    Mat probability = segment(frame);
    probability.copyTo(frame.coarseMaskForWriting(probability.rows(), probability.cols()));
    frame.mask();
  }

  /** The model in use, for logs and status. */
  String describe();

  /** Forgets state carried between frames (a recurrent model's memory): call when the stream jumps. */
  default void reset() {}

  @Override
  void close();
}
