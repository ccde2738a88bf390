package io.github.vbackcam.core;

import java.io.IOException;

/** Where finished frames go: a file, a virtual camera, nowhere. It borrows each frame and never closes it. */
public interface FrameSink extends AutoCloseable {

  void write(Frame frame) throws IOException;

  /**
   * The last frame written lasts until {@code ptsMicros}, on the frames' timeline; told once the source has ended,
   * before {@link #close}. A sink that stores durations (a video file) keeps it; the others need not.
   */
  default void endAt(long ptsMicros) {}

  /** A name for logs and errors: the path or device. */
  String describe();

  /** Flushes and finishes the output (an mp4's index, for instance). */
  @Override
  void close() throws IOException;
}
