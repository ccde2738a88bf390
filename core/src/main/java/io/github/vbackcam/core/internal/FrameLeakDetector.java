package io.github.vbackcam.core.internal;

import io.github.vbackcam.core.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts live frames and, at level {@code paranoid}, remembers where each was allocated so a leak names its origin.
 * The level comes from the system property {@code vbackcam.leak}: {@code disabled}, {@code simple} (count only,
 * the default) or {@code paranoid}. The Maven {@code leak} profile runs the tests at paranoid.
 */
public final class FrameLeakDetector {

  public enum Level { DISABLED, SIMPLE, PARANOID }

  private static final Level LEVEL = parse(System.getProperty("vbackcam.leak", "simple"));
  private static final AtomicLong LIVE = new AtomicLong();
  private static final Set<Allocation> ALLOCATIONS = ConcurrentHashMap.newKeySet();

  private FrameLeakDetector() {}

  /** Called by a new frame; the token goes back to {@link #untrack}. */
  public static Object track(Frame frame) {
    if (LEVEL == Level.DISABLED) {
      return null;
    }
    LIVE.incrementAndGet();
    if (LEVEL == Level.PARANOID) {
      Allocation allocation = new Allocation(frame.toString(), new Throwable("allocated here"));
      ALLOCATIONS.add(allocation);
      return allocation;
    }
    return null;
  }

  public static void untrack(Object token) {
    if (LEVEL == Level.DISABLED) {
      return;
    }
    LIVE.decrementAndGet();
    if (token != null) {
      ALLOCATIONS.remove(token);
    }
  }

  /** Frames allocated and not yet released (always 0 when disabled). */
  public static long liveFrames() {
    return LIVE.get();
  }

  /** Where the live frames came from, at paranoid level; empty otherwise. */
  public static List<Throwable> liveAllocations() {
    List<Throwable> out = new ArrayList<>();
    for (Allocation a : ALLOCATIONS) {
      out.add(new Throwable(a.frame() + " never released", a.site()));
    }
    return out;
  }

  private static Level parse(String value) {
    try {
      return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.SIMPLE;
    }
  }

  private record Allocation(String frame, Throwable site) {}
}
