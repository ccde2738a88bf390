package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HandoffTest {

  @Test
  void aPutInterruptedWhileTheQueueIsFullClosesItsFrame() throws Exception {
    Handoff queue = new Handoff(Handoff.Policy.BLOCK, 1, sequence -> {});
    Frame first = Frame.allocate(4, 2, 0, 0);
    Frame second = Frame.allocate(4, 2, 1, 0);
    assertTrue(queue.put(first));
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        queue.put(second); // blocks: the queue holds one frame already
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    producer.start();
    while (producer.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    producer.interrupt(); // what Pipeline.stop() does to a source thread blocked here
    producer.join(10_000);
    assertFalse(producer.isAlive(), "put still blocked after the interrupt");
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    assertTrue(second.isReleased(), "the frame handed to an interrupted put leaked");
    Frame taken = queue.take();
    assertEquals(0, taken.sequence());
    taken.close();
  }
}
