package io.github.vbackcam.core;

import io.github.vbackcam.core.internal.Handoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.opencv.global.opencv_core;

/**
 * The frame pipeline: frames flow one way from a source, through stages, into a sink.
 *
 * <pre>
 *   FrameSource ──▶ Stage ──▶ Stage ──▶ … ──▶ FrameSink
 *    thread 0     thread 1   thread 2        thread n
 *           Handoff     Handoff    Handoff
 * </pre>
 *
 * A typical chain is {@code VideoFileSource → }{@link EffectChain}{@code  → VideoFileSink}: decode, inference,
 * compositing and encoding each get a thread, so on two cores they overlap instead of adding up. The handoffs
 * between threads either block (rendering a file: every frame counts) or keep only the latest frame (a live camera:
 * a slow stage works on the newest frame and stale ones are dropped and counted).
 *
 * <p>The pipeline owns each frame while it is in flight and closes it after the sink; it does not own the source,
 * stages or sink, which the caller closes after {@link #run} returns.
 */
public final class Pipeline {

  static {
    // Every element already has a thread of its own, so OpenCV's worker pool (a thread per core, spinning between
    // jobs) only adds hand-offs: the live service at 720p30 took 34% of a core without it against 37% with it
    // (compare-live-bench, 3 rounds), the pool's worker alone 4.7%. OpenCV's setting is process-wide, made when
    // this class loads (every render, bench and the live engine build a Pipeline); one thread is the caller's.
    opencv_core.setNumThreads(1);
  }

  private final FrameSource source;
  private final List<Stage> stages;
  private final FrameSink sink;
  private final Handoff.Policy policy;
  private final EngineListener listener;
  private final long maxFrames;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  /** Made with the pipeline, not in {@link #run}, so a {@link #stop} from another thread always sees them all. */
  private final List<Handoff> handoffs;
  private volatile Thread sourceThread;

  private Pipeline(Builder b) {
    this.source = Objects.requireNonNull(b.source, "source");
    this.stages = List.copyOf(b.stages);
    this.sink = Objects.requireNonNull(b.sink, "sink");
    this.policy = b.latestFrameOnly ? Handoff.Policy.LATEST : Handoff.Policy.BLOCK;
    this.listener = b.listener;
    this.maxFrames = b.maxFrames;
    List<Handoff> queues = new ArrayList<>();
    for (int i = 0; i <= stages.size(); i++) {
      String next = i < stages.size() ? stages.get(i).name() : "sink";
      queues.add(new Handoff(policy, 2, seq -> listener.frameDropped(seq, "queue before " + next)));
    }
    this.handoffs = List.copyOf(queues);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs until the source ends, {@code maxFrames} frames were read, {@link #stop} is called, or an element fails;
   * then every thread has finished and no frame is in flight.
   *
   * @throws PipelineException naming the element that failed
   */
  public void run() throws PipelineException, InterruptedException {
    List<Thread> threads = new ArrayList<>();
    sourceThread = thread("source", this::readSource);
    threads.add(sourceThread);
    for (int i = 0; i < stages.size(); i++) {
      int index = i;
      threads.add(thread(stages.get(i).name(), () -> runStage(index)));
    }
    threads.add(thread("sink", this::writeSink));
    threads.forEach(Thread::start);
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      stop();
      for (Thread t : threads) {
        t.join();
      }
      throw e;
    }
    Exception error = failure.get();
    if (error instanceof PipelineException pe) {
      throw pe;
    }
    if (error != null) {
      throw new PipelineException("pipeline failed: " + error.getMessage(), error);
    }
  }

  /**
   * Asks every thread to finish; frames in flight are closed. Safe from any thread, before or during {@link #run}
   * (which then returns without reading a frame). The source thread is also
   * interrupted: a camera that has gone quiet may otherwise keep it in {@link FrameSource#read} until its stall
   * limit, which adapts up to seconds.
   */
  public void stop() {
    if (stopping.getAndSet(true)) {
      return;
    }
    handoffs.forEach(Handoff::abort);
    Thread reader = sourceThread;
    if (reader != null && reader != Thread.currentThread()) {
      reader.interrupt();
    }
  }

  private void readSource() throws Exception {
    Handoff out = handoffs.get(0);
    long count = 0;
    try {
      while (!stopping.get() && (maxFrames <= 0 || count < maxFrames)) {
        long start = System.nanoTime();
        Frame frame = source.read();
        if (frame == null) {
          break;
        }
        frame.addStepNanos(Step.DECODE, System.nanoTime() - start);
        count++;
        listener.frameStart(frame);
        if (!out.put(frame)) {
          break;
        }
      }
    } catch (Exception e) {
      if (stopping.get()) {
        return; // woken by stop(): not a failure of the source
      }
      throw new PipelineException("source " + source.describe() + " failed: " + e.getMessage(), e);
    } finally {
      out.end();
    }
  }

  private void runStage(int index) throws Exception {
    Stage stage = stages.get(index);
    Handoff in = handoffs.get(index);
    Handoff out = handoffs.get(index + 1);
    try {
      Frame frame;
      while ((frame = in.take()) != null) {
        Frame result = applyChecked(stage, frame);
        if (result == Frame.DROPPED) {
          listener.frameDropped(frame.sequence(), stage.name());
        } else if (!out.put(result)) {
          break;
        }
      }
    } finally {
      out.end();
    }
  }

  /** Runs one stage on one frame and enforces the {@link Stage} contract. */
  static Frame applyChecked(Stage stage, Frame frame) throws PipelineException {
    long sequence = frame.sequence();
    Frame result;
    try {
      result = stage.apply(frame);
    } catch (Exception e) {
      if (!frame.isReleased()) {
        frame.close();
      }
      throw new PipelineException("stage '" + stage.name() + "' failed on frame " + sequence + ": "
          + e.getMessage(), e);
    }
    if (result == null) {
      throw new PipelineException("stage '" + stage.name() + "' returned null for frame " + sequence
          + "; return Frame.DROPPED to drop a frame");
    }
    if (result != Frame.DROPPED && result.isReleased()) {
      throw new PipelineException("stage '" + stage.name() + "' returned frame " + result.sequence()
          + " after closing it");
    }
    return result;
  }

  private void writeSink() throws Exception {
    Handoff in = handoffs.get(handoffs.size() - 1);
    Frame frame;
    while ((frame = in.take()) != null) {
      try (Frame f = frame) {
        long start = System.nanoTime();
        try {
          sink.write(f);
        } catch (Exception e) {
          throw new PipelineException("sink " + sink.describe() + " failed: " + e.getMessage(), e);
        }
        f.addStepNanos(Step.ENCODE, System.nanoTime() - start);
        listener.frameEnd(f);
      }
    }
  }

  private Thread thread(String name, ThrowingRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        if (failure.compareAndSet(null, e)) {
          listener.failed(name, e);
        }
        stop();
      }
    }, "vbackcam-" + name);
    t.setDaemon(true);
    return t;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Assembles a pipeline; stages run in the order they are added. */
  public static final class Builder {
    private FrameSource source;
    private final List<Stage> stages = new ArrayList<>();
    private FrameSink sink;
    private boolean latestFrameOnly;
    private EngineListener listener = EngineListener.NONE;
    private long maxFrames;

    public Builder source(FrameSource source) {
      this.source = source;
      return this;
    }

    public Builder stage(Stage stage) {
      stages.add(Objects.requireNonNull(stage, "stage"));
      return this;
    }

    public Builder sink(FrameSink sink) {
      this.sink = sink;
      return this;
    }

    /** Live mode: every queue holds only the newest frame, so latency never builds up behind a slow stage. */
    public Builder latestFrameOnly(boolean latestFrameOnly) {
      this.latestFrameOnly = latestFrameOnly;
      return this;
    }

    public Builder listener(EngineListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Stops after this many frames from the source (0: no limit). */
    public Builder maxFrames(long maxFrames) {
      this.maxFrames = maxFrames;
      return this;
    }

    public Pipeline build() {
      return new Pipeline(this);
    }
  }
}
