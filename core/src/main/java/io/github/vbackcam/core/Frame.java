package io.github.vbackcam.core;

import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.internal.MatPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One video frame in native memory: an 8-bit BGR image and, once segmented, an 8-bit person mask of the same size
 * (0 = background, 255 = person).
 *
 * <p>Frames are reference counted and off-heap, so the garbage collector never frees them. The ownership rule is
 * Netty's: whoever touches a frame last closes it. A {@link Stage} that receives a frame either returns it (ownership
 * passes on) or closes it and returns another one; a {@link FrameSink} only borrows the frame it is given. Closing
 * returns the native buffers to a pool, so the frame loop does not allocate.
 */
public final class Frame implements AutoCloseable {

  /** Returned by a {@link Stage} that consumed its input and has no output for it this time. */
  public static final Frame DROPPED = new Frame();

  private final Mat image;
  private Mat mask;
  private final long sequence;
  private final long captureNanos;
  private final long[] stepNanos = new long[Step.values().length];
  private final AtomicInteger refs = new AtomicInteger(1);
  private final Object leakTrace;

  private Frame(Mat image, long sequence, long captureNanos) {
    this.image = image;
    this.sequence = sequence;
    this.captureNanos = captureNanos;
    this.leakTrace = FrameLeakDetector.track(this);
  }

  private Frame() {
    this.image = null;
    this.sequence = -1;
    this.captureNanos = 0;
    this.leakTrace = null;
    this.refs.set(Integer.MAX_VALUE / 2);
  }

  /** A new frame of the given size whose pixels are undefined; the caller fills them. */
  public static Frame allocate(int width, int height, long sequence, long captureNanos) {
    return new Frame(MatPool.take(height, width, opencv_core.CV_8UC3), sequence, captureNanos);
  }

  /** A new frame holding a copy of {@code bgr} (CV_8UC3, any size). */
  public static Frame copyOf(Mat bgr, long sequence) {
    Frame frame = allocate(bgr.cols(), bgr.rows(), sequence, System.nanoTime());
    bgr.copyTo(frame.image);
    return frame;
  }

  /** The BGR pixels, CV_8UC3. Valid until the frame is closed. */
  public Mat image() {
    checkLive();
    return image;
  }

  public int width() {
    return image.cols();
  }

  public int height() {
    return image.rows();
  }

  /** The person mask (CV_8UC1, frame size), or null before segmentation. */
  public Mat mask() {
    checkLive();
    return mask;
  }

  /** Returns this frame's mask, allocating one (contents undefined) if it has none yet. */
  public Mat maskForWriting() {
    checkLive();
    if (mask == null) {
      mask = MatPool.take(height(), width(), opencv_core.CV_8UC1);
    }
    return mask;
  }

  /** Position of the frame in its stream, from 0. */
  public long sequence() {
    return sequence;
  }

  /** {@link System#nanoTime()} when the source produced the frame: the start of its latency. */
  public long captureNanos() {
    return captureNanos;
  }

  /** Adds time spent on this frame in one step; the bench and the service's latency figures read it. */
  public void addStepNanos(Step step, long nanos) {
    stepNanos[step.ordinal()] += nanos;
  }

  public long stepNanos(Step step) {
    return stepNanos[step.ordinal()];
  }

  /** Adds a reference: the frame stays valid until every holder has closed it. */
  public Frame retain() {
    int before = refs.getAndIncrement();
    if (before <= 0) {
      refs.getAndDecrement();
      throw new IllegalStateException("frame " + sequence + " retained after release");
    }
    return this;
  }

  public boolean isReleased() {
    return refs.get() <= 0;
  }

  /** Drops one reference; the last one returns the native buffers to the pool. */
  @Override
  public void close() {
    int after = refs.decrementAndGet();
    if (after == 0) {
      MatPool.give(image);
      if (mask != null) {
        MatPool.give(mask);
        mask = null;
      }
      FrameLeakDetector.untrack(leakTrace);
    } else if (after < 0) {
      throw new IllegalStateException("frame " + sequence + " released twice");
    }
  }

  private void checkLive() {
    if (refs.get() <= 0) {
      throw new IllegalStateException("frame " + sequence + " used after release");
    }
  }

  @Override
  public String toString() {
    if (this == DROPPED) {
      return "Frame.DROPPED";
    }
    return "Frame#" + sequence + "(" + image.cols() + "x" + image.rows() + ")";
  }
}
