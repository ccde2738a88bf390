package io.github.vbackcam.core;

import java.io.IOException;

/** Where frames come from: a video or image file, a camera. One thread calls it. */
public interface FrameSource extends AutoCloseable {

  /** The next frame, owned by the caller, or null at the end of the stream. */
  Frame read() throws IOException;

  /** The size of the frames it produces. */
  VideoSize size();

  /** Frames per second the source produces, or 0 when it has no natural rate (a still image). */
  double frameRate();

  /** How many frames a finite source will produce, or -1 when unknown or endless. */
  default long frameCount() {
    return -1;
  }

  /**
   * Where the last frame read ends, on the frames' timeline (its time plus its own duration), or -1 when unknown:
   * what a file sink needs to keep the input's duration.
   */
  default long endMicros() {
    return -1;
  }

  /** A name for logs and errors: the path or device. */
  String describe();

  @Override
  void close() throws IOException;
}
