package io.github.vbackcam.core.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.live.LiveEngineTest.FakeConsumers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine hears of its consumers: the last one leaving only after a second nobody came back in. */
class ConsumerGraceTest {

  private final FakeConsumers counted = new FakeConsumers();
  private final List<Integer> heard = Collections.synchronizedList(new ArrayList<>());

  @Test
  void theFirstCountAndEveryChangeButTheLastLeavingArePassedOnAtOnce() {
    counted.count = 0;
    try (ConsumerGrace grace = new ConsumerGrace(counted)) {
      grace.start(heard::add);
      assertEquals(List.of(0), heard, "nobody watching at start: the engine idles at once");
      counted.fire(1);
      counted.fire(2);
      counted.fire(1);
      assertEquals(List.of(0, 1, 2, 1), heard);
      counted.fire(1);
      assertEquals(List.of(0, 1, 2, 1), heard, "a count that did not change");
      assertEquals("fake", grace.mode());
    }
  }

  @Test
  void theLastConsumerLeavingIsPassedOnAfterTheGrace() throws Exception {
    counted.count = 1;
    try (ConsumerGrace grace = new ConsumerGrace(counted)) {
      grace.start(heard::add);
      long left = System.nanoTime();
      counted.fire(0);
      assertEquals(List.of(1), heard, "passed on before the grace");
      assertLeftAfterTheGrace(left);
    }
  }

  @Test
  void aConsumerBackWithinTheGraceIsNoChangeAndTheNextLeavingHasAGraceOfItsOwn() throws Exception {
    counted.count = 1;
    try (ConsumerGrace grace = new ConsumerGrace(counted)) {
      grace.start(heard::add);
      counted.fire(0);
      Thread.sleep(ConsumerGrace.MILLIS * 3 / 10);
      counted.fire(1); // back: the first drop's timer must pass nothing on
      long left = System.nanoTime();
      counted.fire(0);
      assertLeftAfterTheGrace(left);
    }
  }

  @Test
  void closingDropsAPendingLeaving() throws Exception {
    counted.count = 1;
    ConsumerGrace grace = new ConsumerGrace(counted);
    grace.start(heard::add);
    counted.fire(0);
    grace.close();
    Thread.sleep(ConsumerGrace.MILLIS * 3 / 2);
    assertEquals(List.of(1), heard);
  }

  /** Waits for the engine to hear the leaving: one consumer, then none, no sooner than the grace after {@code left}. */
  private void assertLeftAfterTheGrace(long left) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (heard.get(heard.size() - 1) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long after = (System.nanoTime() - left) / 1_000_000;
    assertEquals(List.of(1, 0), heard);
    assertTrue(after >= ConsumerGrace.MILLIS, "passed on after " + after + " ms");
  }
}
