package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** When a sink that tells apps a frame rate declares the measured one instead ({@link RateMeter#redeclare}). */
class RateMeterTest {

  /** Records {@code frames} frames {@code 1/fps} apart, after {@code startMicros}; returns the last time. */
  private static long feed(RateMeter meter, long startMicros, double fps, int frames) {
    long t = startMicros;
    for (int i = 0; i < frames; i++) {
      t += Math.round(1e6 / fps);
      meter.frame(t);
    }
    return t;
  }

  @Test
  void nothingIsDeclaredBeforeAWholeWindowOfFrames() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 10, RateMeter.WINDOW - 1);
    assertEquals(0, meter.redeclare(30));
  }

  @Test
  void aCameraSlowedToTenFpsIsDeclaredAtTen() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 10, RateMeter.WINDOW);
    assertEquals(10, meter.redeclare(30));
  }

  @Test
  void jitterWithinTheToleranceKeepsTheDeclaredRate() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 26, 20);
    assertEquals(0, meter.redeclare(30), "26 fps is 13% off 30");
    feed(meter, 0, 34, 20);
    assertEquals(0, meter.redeclare(30), "34 fps is 13% off 30");
  }

  @Test
  void justBeyondTheToleranceIsDeclared() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 25, 20);
    assertEquals(25, meter.redeclare(30), "25 fps is 17% off 30");
  }

  @Test
  void onceDeclaredTheSameRateIsNotDeclaredAgain() {
    RateMeter meter = new RateMeter();
    long t = feed(meter, 0, 10, 20);
    assertEquals(10, meter.redeclare(30));
    feed(meter, t, 10, 20);
    assertEquals(0, meter.redeclare(10), "frames keep arriving at the declared 10 fps");
  }

  @Test
  void aRateThatRoundsBackToTheDeclaredOneIsNotDeclaredAgain() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 1.4, 20);
    assertEquals(0, meter.redeclare(1), "1.4 fps is 40% off 1, but rounds to 1 again");
  }

  @Test
  void aFractionalDeclaredRateGivesWayToTheMeasuredOne() {
    RateMeter meter = new RateMeter();
    feed(meter, 0, 15, 20);
    assertEquals(15, meter.redeclare(29.97));
  }

  @Test
  void framesThatRecoverAreDeclaredAtTheFullRateAgain() {
    RateMeter meter = new RateMeter();
    long t = feed(meter, 0, 15, 20);
    assertEquals(15, meter.redeclare(30));
    feed(meter, t, 30, RateMeter.WINDOW);
    assertEquals(30, meter.redeclare(15));
  }

  @Test
  void afterResetOnlyTheFramesRecordedSinceCount() {
    RateMeter meter = new RateMeter();
    long t = feed(meter, 0, 2, 20); // the idle placeholder's 2 fps
    meter.reset();
    t = feed(meter, t, 10, RateMeter.WINDOW - 1);
    assertEquals(0, meter.redeclare(30), "less than a window since the reset");
    feed(meter, t, 10, 1);
    assertEquals(10, meter.redeclare(30), "a window of 10 fps frames, the 2 fps ones forgotten");
  }
}
