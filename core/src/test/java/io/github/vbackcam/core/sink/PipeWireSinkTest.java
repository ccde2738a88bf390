package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What needs no daemon; {@link PipeWireSinkIT} tests the node against real PipeWire. */
class PipeWireSinkTest {

  @Test
  void frameRatesBecomeExactFractions() {
    assertArrayEquals(new long[] {30, 1}, PipeWireSink.fraction(30));
    assertArrayEquals(new long[] {24, 1}, PipeWireSink.fraction(24.0));
    assertArrayEquals(new long[] {2997, 100}, PipeWireSink.fraction(29.97));
    assertArrayEquals(new long[] {15, 2}, PipeWireSink.fraction(7.5));
  }

  @Test
  void anOddWidthIsRefusedBeforeTouchingPipeWire() {
    IOException e = assertThrows(IOException.class, () -> PipeWireSink.open(new VideoSize(641, 480), 30));
    assertEquals("PipeWire node vbackcam: YUY2 needs an even width, got 641x480", e.getMessage());
  }
}
