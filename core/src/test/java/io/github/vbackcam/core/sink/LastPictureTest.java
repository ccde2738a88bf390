package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A picture written again is not converted again (the placeholder, 500 ms apart), but a stream of pictures (a
 * camera's, 33 ms apart) is converted picture by picture without comparing or copying, whatever they hold.
 */
class LastPictureTest {

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger conversions = new AtomicInteger();

  @Test
  void aPlaceholderIsConvertedOnceAndAStreamEveryTime() {
    try (LastPicture last = new LastPicture(now::get);
        Frame a = Frames.solid(8, 4, 40, 40, 40);
        Frame b = Frames.solid(8, 4, 40, 40, 41)) {
      // The placeholder, every 500 ms: converted once, then known.
      write(last, a, 500);
      write(last, a, 500);
      write(last, a, 500);
      assertEquals(1, conversions.get(), "A three times, 500 ms apart");
      write(last, b, 500);
      assertEquals(2, conversions.get(), "B differs");
      write(last, a, 500);
      assertEquals(3, conversions.get(), "A again after B");
      // A camera's stream, 33 ms apart: every picture converted, even one the same as the last.
      for (int i = 0; i < 4; i++) {
        write(last, a, 33);
      }
      assertEquals(7, conversions.get(), "a stream is converted picture by picture");
      // The stream ends and the placeholder returns: its first picture is converted and copied, the next is known.
      write(last, a, 500);
      write(last, a, 500);
      assertEquals(8, conversions.get(), "the placeholder after a stream");
    }
  }

  @Test
  void aPictureWhoseConversionFailedIsConvertedWhenWrittenAgain() {
    try (LastPicture last = new LastPicture(now::get);
        Frame a = Frames.solid(8, 4, 40, 40, 40);
        Frame b = Frames.solid(8, 4, 40, 40, 41)) {
      write(last, a, 500);
      now.addAndGet(500_000_000L);
      try {
        last.convertIfChanged(b.image(), () -> {
          throw new IllegalStateException("conversion failed");
        });
      } catch (IllegalStateException expected) {
        // as a sink's conversion may fail
      }
      write(last, b, 500);
      assertEquals(2, conversions.get(), "B converted when written again");
      write(last, a, 500);
      assertEquals(3, conversions.get(), "A converted again: the output no longer holds it");
    }
  }

  private void write(LastPicture last, Frame picture, long afterMillis) {
    now.addAndGet(afterMillis * 1_000_000L);
    last.convertIfChanged(picture.image(), conversions::incrementAndGet);
  }
}
