package io.github.vbackcam.core.source;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A file standing in for a camera: a video plays at its own frame rate and loops, a still image repeats at
 * {@code stillRate}. Each frame is read when it is due, so its capture time is when a camera would have delivered
 * it, and a consumer that falls behind gets fresh frames rather than a backlog.
 */
public final class PacedSource implements FrameSource {

  private final FrameSource file;
  private final double rate;
  private final long periodNanos;
  private long next;

  public PacedSource(Path path, VideoSize size, double stillRate) throws IOException {
    this.file = Sources.open(path, size, true);
    double own = file.frameRate();
    this.rate = own > 0 ? own : stillRate;
    this.periodNanos = (long) (1e9 / rate);
  }

  @Override
  public Frame read() throws IOException {
    long now = System.nanoTime();
    if (next == 0) {
      next = now;
    } else if (next - now > 0) {
      LockSupport.parkNanos(next - now);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return null;
      }
    } else if (now - next > periodNanos * 4) {
      next = now; // fell far behind (a pause, a slow disk): start the clock again rather than burst
    }
    next += periodNanos;
    return file.read();
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
