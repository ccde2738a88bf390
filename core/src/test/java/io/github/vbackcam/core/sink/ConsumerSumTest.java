package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class ConsumerSumTest {

  /** Reports {@code initial} on start and whatever the test sends later. */
  private static final class ManualMonitor implements ConsumerMonitor {
    final String mode;
    final int initial;
    IntConsumer listener;
    boolean closed;

    ManualMonitor(String mode, int initial) {
      this.mode = mode;
      this.initial = initial;
    }

    @Override
    public String mode() {
      return mode;
    }

    @Override
    public void start(IntConsumer onChange) {
      listener = onChange;
      onChange.accept(initial);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void theEngineIdlesOnlyWhileNoOutputHasAConsumer() {
    ManualMonitor loopback = new ManualMonitor("client-usage events from /dev/video20", 0);
    ManualMonitor pipewire = new ManualMonitor("links to PipeWire node vbackcam", 0);
    List<Integer> reported = new ArrayList<>();
    try (ConsumerSum sum = new ConsumerSum(List.of(loopback, pipewire))) {
      assertEquals("client-usage events from /dev/video20; links to PipeWire node vbackcam", sum.mode());
      sum.start(reported::add);
      pipewire.listener.accept(1);
      loopback.listener.accept(2);
      pipewire.listener.accept(0);
      loopback.listener.accept(0);
    }
    // One first report once both parts have spoken, then the total after each change.
    assertEquals(List.of(0, 1, 3, 2, 0), reported);
    assertTrue(loopback.closed && pipewire.closed);
  }
}
