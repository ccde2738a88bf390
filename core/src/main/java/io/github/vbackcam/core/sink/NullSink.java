package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;

/** Discards frames: for the benchmark, which measures the engine without an encoder. */
public final class NullSink implements FrameSink {
  @Override
  public void write(Frame frame) {}

  @Override
  public String describe() {
    return "null";
  }

  @Override
  public void close() {}
}
