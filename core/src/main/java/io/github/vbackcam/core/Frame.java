package io.github.vbackcam.core;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.internal.MatPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One video frame in native memory: an 8-bit BGR image and, once segmented, an 8-bit person mask (0 = background,
 * 255 = person) at the frame's size or at the model's resolution.
 *
 * <p>Frames are reference counted and off-heap, so the garbage collector never frees them. The ownership rule is
 * Netty's: whoever touches a frame last closes it. A {@link Stage} that receives a frame either returns it (ownership
 * passes on) or closes it and returns another one; a {@link FrameSink} only borrows the frame it is given. Closing
 * returns the native buffers to a pool, so the frame loop does not allocate.
 *
 * <p>Each frame carries its presentation time in microseconds ({@link #ptsMicros}): a file's own timestamps as
 * FFmpeg reports them, or the monotonic clock for a live camera. Every stage hands it on unchanged, and anything
 * time-based (a background video, an animated image, the rate a sink declares) follows it, never the frame count.
 */
public final class Frame implements AutoCloseable {

  /** The {@link #sequence} of a placeholder: a picture shown in a camera's stead, in no stream. */
  public static final long PLACEHOLDER = -1;

  /** Returned by a {@link Stage} that consumed its input and has no output for it this time. */
  public static final Frame DROPPED = new Frame();

  private final Mat image;
  private Mat mask;
  private Mat coarseMask;
  private final long sequence;
  private final long captureNanos;
  private final long ptsMicros;
  private Mat modelInput;
  private Object modelInputOwner;
  private final long[] stepNanos = new long[Step.values().length];
  private final AtomicInteger refs = new AtomicInteger(1);
  private final Object leakTrace;

  private Frame(Mat image, long sequence, long captureNanos, long ptsMicros) {
    this.image = image;
    this.sequence = sequence;
    this.captureNanos = captureNanos;
    this.ptsMicros = ptsMicros;
    this.leakTrace = FrameLeakDetector.track(this);
  }

  private Frame() {
    this.image = null;
    this.sequence = -1;
    this.captureNanos = 0;
    this.ptsMicros = 0;
    this.leakTrace = null;
    this.refs.set(Integer.MAX_VALUE / 2);
  }

  /**
   * A new frame of the given size whose pixels are undefined; the caller fills them. Its presentation time is the
   * capture time on the monotonic clock, as for a live camera.
   */
  public static Frame allocate(int width, int height, long sequence, long captureNanos) {
    return allocate(width, height, sequence, captureNanos, captureNanos / 1000);
  }

  /** A new frame of the given size, presented at {@code ptsMicros}; the caller fills the pixels. */
  public static Frame allocate(int width, int height, long sequence, long captureNanos, long ptsMicros) {
    return new Frame(MatPool.take(height, width, opencv_core.CV_8UC3), sequence, captureNanos, ptsMicros);
  }

  /** A new frame holding a copy of {@code bgr} (CV_8UC3, any size), captured and presented now. */
  public static Frame copyOf(Mat bgr, long sequence) {
    Frame frame = allocate(bgr.cols(), bgr.rows(), sequence, System.nanoTime());
    bgr.copyTo(frame.image);
    return frame;
  }

  /** A new frame with a copy of this one's pixels, presented at {@code ptsMicros} (a placeholder written again). */
  public Frame copyAt(long sequence, long ptsMicros) {
    checkLive();
    Frame frame = allocate(width(), height(), sequence, System.nanoTime(), ptsMicros);
    image.copyTo(frame.image);
    return frame;
  }

  /**
   * This frame's pixels in a new frame captured now and presented at {@code ptsMicros}, without a copy: for a source
   * that times a frame it has just made (a file standing in for a camera). This frame must be the only reference and
   * have no mask or model input yet; it is released, and the returned frame owns the pixels.
   *
   * @throws IllegalStateException if the frame is shared, already processed or released
   */
  public Frame retimed(long ptsMicros) {
    checkLive();
    if (hasMask() || modelInput != null || !refs.compareAndSet(1, 0)) {
      throw new IllegalStateException("frame " + sequence + " is shared or already processed: copy it instead");
    }
    FrameLeakDetector.untrack(leakTrace);
    return new Frame(image, sequence, System.nanoTime(), ptsMicros);
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

  /**
   * The person mask (CV_8UC1, frame size), or null before segmentation. A mask kept at the model's resolution
   * ({@link #coarseMaskForWriting}) is scaled to the frame here, bilinearly, on the first call: the compositing stage
   * blends from the coarse mask without ever making this one, so only effects and commands that need the mask at
   * frame size pay for it.
   */
  public synchronized Mat mask() {
    checkLive();
    if (mask == null && coarseMask != null) {
      mask = MatPool.take(height(), width(), opencv_core.CV_8UC1);
      try (Size size = new Size(width(), height())) {
        resize(coarseMask, mask, size, 0, 0, INTER_LINEAR);
      }
    }
    return mask;
  }

  /** Whether the frame has been segmented: it has a mask at frame size or at the model's resolution. */
  public synchronized boolean hasMask() {
    checkLive();
    return mask != null || coarseMask != null;
  }

  /** The mask at frame size if there is one already, without making it from the coarse mask; else null. */
  public synchronized Mat scaledMask() {
    checkLive();
    return mask;
  }

  /** The mask at the model's resolution (CV_8UC1, covering the whole frame), or null if there is none. */
  public synchronized Mat coarseMask() {
    checkLive();
    return coarseMask;
  }

  /** Returns this frame's mask at frame size, allocating one (contents undefined) if it has none yet. */
  public synchronized Mat maskForWriting() {
    checkLive();
    if (mask == null) {
      mask = MatPool.take(height(), width(), opencv_core.CV_8UC1);
    }
    return mask;
  }

  /**
   * A buffer (contents undefined) for the mask at a model's resolution, {@code rows} x {@code cols} CV_8UC1
   * covering the whole frame; a mask at frame size made earlier is dropped, since it would no longer match.
   */
  public synchronized Mat coarseMaskForWriting(int rows, int cols) {
    checkLive();
    if (mask != null) {
      MatPool.give(mask);
      mask = null;
    }
    if (coarseMask != null && (coarseMask.rows() != rows || coarseMask.cols() != cols)) {
      MatPool.give(coarseMask);
      coarseMask = null;
    }
    if (coarseMask == null) {
      coarseMask = MatPool.take(rows, cols, opencv_core.CV_8UC1);
    }
    return coarseMask;
  }

  /**
   * The model input {@code owner} prepared for this frame ahead of inference (see {@link Stage}s named
   * "prepare"), or null if it has none from that owner.
   */
  public Mat modelInput(Object owner) {
    checkLive();
    return owner == modelInputOwner ? modelInput : null;
  }

  /** A buffer of the given shape for {@code owner}'s model input, kept with the frame and freed with it. */
  public Mat modelInputForWriting(Object owner, int rows, int cols, int type) {
    checkLive();
    if (modelInput != null && (modelInput.rows() != rows || modelInput.cols() != cols || modelInput.type() != type)) {
      MatPool.give(modelInput);
      modelInput = null;
    }
    if (modelInput == null) {
      modelInput = MatPool.take(rows, cols, type);
    }
    modelInputOwner = owner;
    return modelInput;
  }

  /** Position of the frame in its stream, from 0; {@link #PLACEHOLDER} for a picture shown in a camera's stead. */
  public long sequence() {
    return sequence;
  }

  /**
   * Whether this is a placeholder: a picture written while no camera frames flow (the camera opening, lost or not
   * needed), not a camera's or a video's frame. Sinks that tell apps a frame rate do not measure placeholders.
   */
  public boolean isPlaceholder() {
    return sequence == PLACEHOLDER;
  }

  /** {@link System#nanoTime()} when the source produced the frame: the start of its latency. */
  public long captureNanos() {
    return captureNanos;
  }

  /**
   * When the frame is presented, in microseconds on its source's timeline: a file's own timestamps (not
   * necessarily starting at 0, growing across loops), or {@link System#nanoTime()} / 1000 for a live camera.
   */
  public long ptsMicros() {
    return ptsMicros;
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
      synchronized (this) {
        if (mask != null) {
          MatPool.give(mask);
          mask = null;
        }
        if (coarseMask != null) {
          MatPool.give(coarseMask);
          coarseMask = null;
        }
      }
      if (modelInput != null) {
        MatPool.give(modelInput);
        modelInput = null;
        modelInputOwner = null;
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
    return "Frame#" + sequence + "(" + image.cols() + "x" + image.rows() + " @" + ptsMicros + "us)";
  }
}
