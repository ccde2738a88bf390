package io.github.vbackcam.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.LogCapture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stall rule with a fake clock: the test says when frames arrive, when the reader asks the camera and when the
 * waiting thread looks; nothing sleeps.
 */
class StallWatchTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1000 * MS;
  private static final long BASE = StallWatch.baseNanos(30);

  private final FrameGaps gaps = new FrameGaps("/dev/video0");
  private final StallWatch watch = new StallWatch(gaps, BASE);
  private final LogCapture log = LogCapture.of(FrameGaps.class);
  /** The fake monotonic clock. */
  private long now = 1000 * S;

  StallWatchTest() {
    watch.arrived(now);
    watch.asking(now);
  }

  @AfterEach
  void detachLog() {
    log.close();
  }

  /** Frames every {@code gap}, {@code count} times; the reader asks again right after each. */
  private void frames(int count, long gap) {
    for (int i = 0; i < count; i++) {
      now += gap;
      watch.arrived(now);
      watch.asking(now);
    }
  }

  /** Waits with the reader asking the camera, looking every 100 ms; the silence counted when the stall is called. */
  private long silenceUntilStalled(long atMost) {
    watch.waitStarts(now);
    long start = now;
    while (now - start < atMost) {
      now += StallWatch.LOOK_NANOS;
      if (watch.stalled(now)) {
        return now - start;
      }
    }
    return -1;
  }

  private List<String> lines() {
    return log.lines();
  }

  @Test
  void aRegularCameraIsStalledAfterTheBaseOfOneSecondOrFiveFrameIntervals() {
    assertEquals(S, StallWatch.baseNanos(30));
    assertEquals(5 * S, StallWatch.baseNanos(1));
    frames(300, 33 * MS);
    assertEquals(S, silenceUntilStalled(20 * S));
    assertEquals(List.of(), lines());
  }

  @Test
  void gapsOfOneAndAHalfSecondsInTheHistoryRaiseTheLimitToThree() {
    frames(30, 33 * MS);
    frames(1, 1500 * MS);
    frames(60, 33 * MS);
    frames(1, 1400 * MS);
    frames(30, 33 * MS);
    assertEquals(3 * S, watch.limitNanos(now));
    assertEquals(3 * S, silenceUntilStalled(20 * S), "a 1.5 s gap again is no stall; 3 s is");
    assertEquals(List.of("camera /dev/video0: frames came up to 1.5 s apart in the last 120 s (a busy machine?):"
        + " it counts as stalled only after 3.0 s without a frame"), lines(), "one line, not one a gap");
  }

  @Test
  void theLimitIsCappedAtTenSecondsAndGapsBeyondTheCapAreNotLearned() {
    frames(1, 7 * S);
    assertEquals(FrameGaps.CAP_NANOS, watch.limitNanos(now));
    FrameGaps other = new FrameGaps("/dev/video2");
    other.record(12 * S, now);
    assertEquals(BASE, other.limitNanos(BASE, now), "12 s without a frame was a stall, not a gap to learn");
    assertEquals(FrameGaps.CAP_NANOS, silenceUntilStalled(60 * S));
  }

  @Test
  void aSlowCamerasOwnBaseIsKeptEvenAboveTheCap() {
    long base = StallWatch.baseNanos(0.25);
    assertEquals(20 * S, base);
    assertEquals(20 * S, gaps.limitNanos(base, now));
  }

  @Test
  void gapsAreForgottenAfterTwoMinutesAndTheLimitFallsBackInSteps() {
    frames(1, 3 * S);
    frames(30 * 60, 33 * MS);
    frames(1, 1500 * MS);
    assertEquals(6 * S, watch.limitNanos(now));
    frames(30 * 100, 33 * MS);
    assertEquals(3 * S, watch.limitNanos(now), "the 3 s gap left the window, the later 1.5 s one is still in it");
    frames(30 * 30, 33 * MS);
    assertEquals(BASE, watch.limitNanos(now));
    assertEquals(List.of("camera /dev/video0: frames came up to 3.0 s apart in the last 120 s (a busy machine?):"
        + " it counts as stalled only after 6.0 s without a frame",
        "camera /dev/video0: frames regular again: it counts as stalled after 1.0 s without a frame"), lines());
  }

  @Test
  void timeThisProcessWasNotScheduledIsNotHeldAgainstTheCamera() {
    frames(30, 33 * MS);
    watch.waitStarts(now);
    long start = now;
    // The waiting thread next runs 3 s later (a starved machine): the camera may have been ready all along.
    now += 3 * S;
    assertFalse(watch.stalled(now));
    assertEquals(StallWatch.MAX_STEP_NANOS, watch.waitedNanos());
    // Looking on time again, the rest of the second counts: 250 ms + 8 looks of 100 ms.
    while (!watch.stalled(now += StallWatch.LOOK_NANOS)) {
      assertTrue(now - start < 10 * S, "never stalled");
    }
    assertEquals(3800 * MS, now - start);
  }

  @Test
  void onlyTheTimeTheReaderWaitsOnTheCameraCounts() {
    frames(30, 33 * MS);
    now += 10 * MS;
    watch.arrived(now);
    // The reader converts the frame for 2 s (this process is slow) before it asks the camera again.
    watch.waitStarts(now);
    for (int i = 0; i < 20; i++) {
      now += StallWatch.LOOK_NANOS;
      assertFalse(watch.stalled(now), "no stall while the reader is busy with our own work");
    }
    assertEquals(0, watch.waitedNanos());
    now += 50 * MS;
    watch.asking(now);
    now += 50 * MS;
    assertFalse(watch.stalled(now));
    assertEquals(50 * MS, watch.waitedNanos(), "counted from the moment the camera was asked");
  }

  @Test
  void aFrameThatCameAfterTheStallTeachesTheNextOpeningOfTheSameDevice() {
    frames(30, 33 * MS);
    assertEquals(S, silenceUntilStalled(20 * S));
    // The source is closed; its reader still gets the late frame half a second later.
    now += 500 * MS;
    watch.arrived(now);
    StallWatch reopened = new StallWatch(gaps, BASE);
    assertEquals(3 * S, reopened.limitNanos(now));
    assertTrue(FrameGaps.of("/dev/video0") == FrameGaps.of("/dev/video0"), "one history per device");
  }
}
