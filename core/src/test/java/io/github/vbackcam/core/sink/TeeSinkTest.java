package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeeSinkTest {

  /** Records what it was given; fails every call when {@code failure} is set. */
  private static final class RecordingSink implements FrameSink {
    final List<String> calls = new ArrayList<>();
    final String name;
    final String failure;

    RecordingSink(String name, String failure) {
      this.name = name;
      this.failure = failure;
    }

    @Override
    public void write(Frame frame) throws IOException {
      calls.add("write " + frame.sequence());
      if (failure != null) {
        throw new IOException(failure);
      }
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public void close() throws IOException {
      calls.add("close");
      if (failure != null) {
        throw new IOException(failure);
      }
    }
  }

  @Test
  void everySinkGetsEveryFrameEvenAfterAnotherFailed() throws IOException {
    RecordingSink broken = new RecordingSink("/dev/video20", "EIO");
    RecordingSink node = new RecordingSink("PipeWire node vbackcam", null);
    TeeSink tee = new TeeSink(List.of(broken, node));
    try (Frame frame = Frame.allocate(4, 2, 7, 0)) {
      IOException e = assertThrows(IOException.class, () -> tee.write(frame));
      assertEquals("EIO", e.getMessage());
    }
    assertThrows(IOException.class, tee::close);
    assertEquals(List.of("write 7", "close"), broken.calls);
    assertEquals(List.of("write 7", "close"), node.calls);
    assertEquals("/dev/video20 and PipeWire node vbackcam", tee.describe());
  }
}
