package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes each frame to several sinks in turn (the v4l2loopback device and the PipeWire node). A sink that fails does
 * not keep the frame from the others; the first failure is rethrown after all have been tried.
 */
public final class TeeSink implements FrameSink {

  private final List<FrameSink> sinks;

  public TeeSink(List<FrameSink> sinks) {
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("no sinks to write to");
    }
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void write(Frame frame) throws IOException {
    each(sink -> sink.write(frame));
  }

  @Override
  public String describe() {
    return sinks.stream().map(FrameSink::describe).collect(Collectors.joining(" and "));
  }

  @Override
  public void close() throws IOException {
    each(FrameSink::close);
  }

  private interface SinkAction {
    void apply(FrameSink sink) throws IOException;
  }

  private void each(SinkAction action) throws IOException {
    IOException first = null;
    for (FrameSink sink : sinks) {
      try {
        action.apply(sink);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
