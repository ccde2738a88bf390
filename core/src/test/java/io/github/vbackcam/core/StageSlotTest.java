package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageSlotTest {

  /** Writes its tag into the frame's sequence log and records what happened to it, and on which thread. */
  static final class Tagging implements Stage {
    final String tag;
    final List<String> events;

    Tagging(String tag, List<String> events) {
      this.tag = tag;
      this.events = events;
    }

    @Override
    public Frame apply(Frame in) {
      events.add(tag + " frame " + in.sequence());
      return in;
    }

    @Override
    public void reset() {
      events.add(tag + " reset");
    }

    @Override
    public String name() {
      return tag;
    }

    @Override
    public void close() {
      events.add(tag + " closed on " + Thread.currentThread().getName());
    }
  }

  @Test
  void anEmptySlotPassesFramesThrough() throws Exception {
    try (StageHarness h = StageHarness.of(new StageSlot("empty")); Frame in = Frame.allocate(4, 4, 0, 0)) {
      assertSame(in, h.push(in.retain()));
      in.close();
    }
  }

  @Test
  void aReplacementTakesEffectOnTheNextFrameAndTheOldStageIsClosedOnTheSlotsThread() throws Exception {
    List<String> events = new ArrayList<>();
    StageSlot slot = new StageSlot("slot");
    try (StageHarness h = StageHarness.of(slot)) {
      slot.replace(new Tagging("a", events));
      h.push(Frame.allocate(4, 4, 0, 0)).close();
      Thread other = new Thread(() -> slot.replace(new Tagging("b", events)), "caller");
      other.start();
      other.join();
      assertEquals(List.of("a frame 0"), events, "nothing happens until the next frame");
      h.push(Frame.allocate(4, 4, 1, 0)).close();
    }
    String here = Thread.currentThread().getName();
    assertEquals(List.of("a frame 0", "a closed on " + here, "b frame 1", "b closed on " + here), events);
  }

  @Test
  void aPendingStageThatIsReplacedBeforeAnyFrameIsClosedAtOnce() throws Exception {
    List<String> events = new ArrayList<>();
    try (StageSlot slot = new StageSlot("slot")) {
      slot.replace(new Tagging("a", events));
      slot.replace(new Tagging("b", events));
      assertEquals(List.of("a closed on " + Thread.currentThread().getName()), events);
    }
  }

  @Test
  void passthroughKeepsTheStageForLaterAndResetComesBeforeTheNextFrame() throws Exception {
    List<String> events = new ArrayList<>();
    StageSlot slot = new StageSlot("slot");
    try (StageHarness h = StageHarness.of(slot)) {
      slot.replace(new Tagging("a", events));
      slot.passthrough(true);
      h.push(Frame.allocate(4, 4, 0, 0)).close();
      slot.passthrough(false);
      slot.reset();
      h.push(Frame.allocate(4, 4, 1, 0)).close();
      h.push(Frame.allocate(4, 4, 2, 0)).close();
    }
    assertEquals(List.of("a reset", "a frame 1", "a frame 2"), events.subList(0, 3));
  }
}
