package io.github.vbackcam.core.source;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A file standing in for a camera: a video plays in real time by its own timestamps (a variable rate, or a rate
 * that changes mid-stream, as a camera slowing down in low light does) and loops; a still image repeats at
 * {@code stillRate}. Each frame is handed out when it is due and presented, like a camera's, at the moment it
 * arrives on the monotonic clock. A consumer that falls behind gets fresh frames rather than a backlog.
 */
public final class PacedSource implements FrameSource {

  /** Falling this far behind (a pause, a slow disk) restarts the clock rather than bursting to catch up. */
  private static final long MAX_LATE_NANOS = 200_000_000L;
  /** A frame due further ahead than this is a jump in the file's timestamps: the clock restarts there. */
  private static final long MAX_WAIT_NANOS = 2_000_000_000L;

  private final FrameSource file;
  private final boolean still;
  private final double rate;
  private long count;
  private long originNanos;
  private boolean started;

  public PacedSource(Path path, VideoSize size, double stillRate) throws IOException {
    this.file = Sources.openLive(path, size);
    double own = file.frameRate();
    this.still = own <= 0;
    this.rate = still ? stillRate : own;
  }

  @Override
  public Frame read() throws IOException {
    Frame frame = file.read();
    if (frame == null) {
      return null;
    }
    long mediaNanos = still ? Math.round(count * 1e9 / rate) : frame.ptsMicros() * 1000;
    count++;
    long now = System.nanoTime();
    long due = originNanos + mediaNanos;
    if (!started || now - due > MAX_LATE_NANOS || due - now > MAX_WAIT_NANOS) {
      started = true;
      originNanos = now - mediaNanos;
      due = now;
    }
    if (due - now > 0) {
      LockSupport.parkNanos(due - now);
      if (Thread.interrupted()) {
        frame.close();
        Thread.currentThread().interrupt();
        return null;
      }
    }
    try {
      return frame.retimed(System.nanoTime() / 1000);
    } catch (IllegalStateException e) {
      frame.close(); // a source that kept a reference; not one of ours, but the frame must not leak
      throw e;
    }
  }

  @Override
  public VideoSize size() {
    return file.size();
  }

  @Override
  public double frameRate() {
    return rate;
  }

  @Override
  public String describe() {
    return file.describe() + " (file camera, " + Math.round(rate * 100) / 100.0 + " fps, looped)";
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
