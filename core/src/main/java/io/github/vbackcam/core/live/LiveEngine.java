package io.github.vbackcam.core.live;

import io.github.vbackcam.core.EffectChain;
import io.github.vbackcam.core.EngineListener;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.Pipeline;
import io.github.vbackcam.core.PipelineException;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.segment.Segmenter;
import io.github.vbackcam.core.segment.SegmenterFactory;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live camera: webcam in, effect applied, virtual camera out, for as long as the service runs.
 *
 * <pre>
 *   camera ──▶ {@link EffectChain} ──▶ output (v4l2loopback or Y4M file)
 *   (paced)    prepare, segment,      (always attached)
 *              composite
 *        latest-frame-only handoffs: stale frames are dropped and counted
 * </pre>
 *
 * <p>Lifecycle, after GStreamer's states: {@code NULL} holds nothing; {@link #prepare} goes to {@code READY}
 * (model loaded, effect opened, output attached); {@link #start} goes to {@code RUNNING}. The real camera is
 * opened only while someone watches and nothing holds a pause, so while RUNNING the engine is in one of the
 * {@link LiveState}s. {@link #close} stops frames first, then frees what the stages hold, then the output.
 *
 * <p>Runtime changes never restart anything: an effect is opened first and swapped in on the next frame; a
 * new model is loaded first and swapped in only if it loads (a bad one throws and the old one stays); mode
 * {@code none} bypasses the chain. Each time the camera opens the chain is reset, so the first frame is not
 * smoothed with a mask from before the pause.
 */
public final class LiveEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveEngine.class);
  private static final long FIRST_RETRY_NANOS = 500_000_000L;
  private static final long MAX_RETRY_NANOS = 5_000_000_000L;

  /** Opens the camera each time frames should flow; the engine closes what it returns. */
  public interface Camera {
    FrameSource open() throws IOException;

    String describe();
  }

  private enum Lifecycle { NULL, READY, RUNNING }

  private final Camera camera;
  private final FrameSink output;
  private final VideoSize size;
  private final ConsumerMonitor consumers;
  private final SegmenterFactory models;
  private final double placeholderFps;

  private final EffectChain chain;
  private final LatencyStats stats = new LatencyStats();
  private final Map<LiveState, Frame> placeholders = new EnumMap<>(LiveState.class);
  private final Object lock = new Object();

  // Guarded by lock.
  private Lifecycle lifecycle = Lifecycle.NULL;
  private Effect effect;
  private String model;
  private int consumerCount = -1;
  private boolean paused;
  private boolean restartCamera;
  private boolean shutdown;
  private Pipeline pipeline;
  private LiveState state = LiveState.STARTING;
  private String detail = "";
  private Thread control;

  /**
   * @param output stays attached for the engine's life and is closed by {@link #close}
   * @param size the output size; camera frames are scaled to cover it
   * @param placeholderFps how often the placeholder is written while no camera frames flow (at least 1)
   */
  public LiveEngine(Camera camera, FrameSink output, VideoSize size, ConsumerMonitor consumers,
                    SegmenterFactory models, MaskSettings mask, double placeholderFps) {
    this.camera = Objects.requireNonNull(camera, "camera");
    this.output = Objects.requireNonNull(output, "output");
    this.size = Objects.requireNonNull(size, "size");
    this.consumers = Objects.requireNonNull(consumers, "consumers");
    this.models = Objects.requireNonNull(models, "models");
    this.chain = new EffectChain(Objects.requireNonNull(mask, "mask"));
    this.placeholderFps = Math.max(1, placeholderFps);
  }

  /** NULL → READY: loads the model and opens the effect; throws (holding nothing new) if either fails. */
  public void prepare(Effect effect, String model) throws IOException {
    synchronized (lock) {
      if (lifecycle != Lifecycle.NULL) {
        throw new IllegalStateException("prepare() called in state " + lifecycle);
      }
    }
    setModel(model);
    setEffect(effect);
    synchronized (lock) {
      lifecycle = Lifecycle.READY;
    }
  }

  /** READY → RUNNING: starts watching consumers and the control thread that runs the camera when needed. */
  public void start() {
    synchronized (lock) {
      if (lifecycle != Lifecycle.READY) {
        throw new IllegalStateException("start() called in state " + lifecycle);
      }
      lifecycle = Lifecycle.RUNNING;
      control = new Thread(this::controlLoop, "vbackcam-live");
    }
    LOG.info("consumer detection: {}", consumers.mode());
    consumers.start(this::consumersChanged);
    control.start();
  }

  /** Opens {@code next} and uses it from the next frame; a bad file throws and the current effect stays. */
  public void setEffect(Effect next) throws IOException {
    Objects.requireNonNull(next, "next");
    synchronized (lock) {
      chain.useEffect(next);
      effect = next;
    }
    LOG.info(next instanceof Effect.None ? "effect off: frames pass through" : "effect: {}", next);
  }

  /** Loads {@code name} and swaps it in on the next frame; a bad model throws and the current one stays. */
  public void setModel(String name) throws IOException {
    Segmenter loaded = models.open(name);
    synchronized (lock) {
      chain.useSegmenter(loaded);
      model = name;
    }
    LOG.info("model: {} ({})", name, loaded.describe());
  }

  /** Closes the camera and writes the placeholder until {@link #resume}. */
  public void pause() {
    synchronized (lock) {
      paused = true;
      wake();
    }
  }

  public void resume() {
    synchronized (lock) {
      paused = false;
      wake();
    }
  }

  /** Closes and reopens the camera (after a configuration change, for instance). */
  public void restartCamera() {
    synchronized (lock) {
      restartCamera = true;
      wake();
    }
  }

  private void consumersChanged(int count) {
    synchronized (lock) {
      if (count != consumerCount) {
        LOG.info("{} consumer{}", count, count == 1 ? "" : "s");
      }
      consumerCount = count;
      wake();
    }
  }

  public LiveStatus status() {
    long now = System.nanoTime();
    synchronized (lock) {
      return new LiveStatus(state, detail, stats.fps(now), stats.latencyMillis(0.5), stats.latencyMillis(0.99),
          Math.max(consumerCount, 0), consumers.mode(), stats.frames(), stats.drops(), camera.describe(),
          output.describe(), model, effect);
    }
  }

  // --- the control thread -------------------------------------------------------------------------------------

  /** Whether frames should flow now; otherwise the state to show. Call with the lock held. */
  private LiveState wanted() {
    if (paused) {
      return LiveState.PAUSED;
    }
    if (consumerCount == 0) {
      return LiveState.IDLE_NO_CONSUMER;
    }
    return LiveState.RUNNING;
  }

  /** Stops the running pipeline when it should no longer run, and wakes the control thread. Lock held. */
  private void wake() {
    if (pipeline != null && (shutdown || restartCamera || wanted() != LiveState.RUNNING)) {
      pipeline.stop();
    }
    lock.notifyAll();
  }

  private void controlLoop() {
    long retryNanos = FIRST_RETRY_NANOS;
    while (true) {
      LiveState want;
      synchronized (lock) {
        if (shutdown) {
          return;
        }
        restartCamera = false;
        want = wanted();
      }
      if (want != LiveState.RUNNING) {
        enter(want, "");
        idle(want, 0);
        continue;
      }
      FrameSource source;
      try {
        source = camera.open();
      } catch (IOException | RuntimeException e) {
        enter(LiveState.CAMERA_LOST, e.getMessage());
        idle(LiveState.CAMERA_LOST, retryNanos);
        retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
        continue;
      }
      retryNanos = FIRST_RETRY_NANOS;
      Exception failure = runPipeline(source);
      if (failure != null) {
        enter(LiveState.CAMERA_LOST, failure.getMessage());
        idle(LiveState.CAMERA_LOST, retryNanos);
      }
    }
  }

  /** Runs camera → effect chain → output until told to stop; returns the failure, if any. */
  private Exception runPipeline(FrameSource source) {
    chain.reset();
    Pipeline p = chain.addTo(Pipeline.builder().source(source))
        .sink(output)
        .latestFrameOnly(true)
        .listener(new Recorder())
        .build();
    synchronized (lock) {
      pipeline = p;
      if (shutdown || restartCamera || wanted() != LiveState.RUNNING) {
        p.stop();
      }
    }
    enter(LiveState.RUNNING, "");
    try {
      p.run();
      return null;
    } catch (PipelineException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      synchronized (lock) {
        pipeline = null;
      }
      try {
        source.close();
      } catch (IOException e) {
        LOG.warn("{}", e.getMessage());
      }
    }
  }

  /**
   * Writes the placeholder for {@code shown} at the placeholder rate until something changes or, for a non-zero
   * {@code maxNanos}, that time has passed.
   */
  private void idle(LiveState shown, long maxNanos) {
    long period = (long) (1e9 / placeholderFps);
    long start = System.nanoTime();
    while (true) {
      try {
        output.write(placeholder(shown));
      } catch (IOException e) {
        LOG.warn("writing the placeholder failed: {}", e.getMessage());
      }
      synchronized (lock) {
        long wait = period;
        if (maxNanos > 0) {
          wait = Math.min(wait, maxNanos - (System.nanoTime() - start));
        }
        if (!shutdown && wait > 0) {
          try {
            lock.wait(Math.max(1, wait / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (shutdown || restartCamera) {
          return;
        }
        if (maxNanos > 0 ? System.nanoTime() - start >= maxNanos || paused || consumerCount == 0
            : wanted() != shown) {
          return;
        }
      }
    }
  }

  private Frame placeholder(LiveState shown) {
    return placeholders.computeIfAbsent(shown, s -> Placeholder.draw(size, switch (s) {
      case CAMERA_LOST -> "vbackcam: camera unavailable";
      case PAUSED -> "vbackcam: paused";
      default -> "vbackcam";
    }));
  }

  private void enter(LiveState next, String why) {
    synchronized (lock) {
      if (state == next && detail.equals(why == null ? "" : why)) {
        return;
      }
      state = next;
      detail = why == null ? "" : why;
    }
    if (next == LiveState.CAMERA_LOST) {
      LOG.warn("camera-lost: {}; retrying", why);
    } else {
      LOG.info("{}{}", next.label(), why == null || why.isEmpty() ? "" : ": " + why);
    }
  }

  /** Feeds the statistics from the pipeline threads. */
  private final class Recorder extends EngineListener {
    @Override
    public void frameEnd(Frame frame) {
      stats.frameWritten(frame.captureNanos(), System.nanoTime());
    }

    @Override
    public void frameDropped(long sequence, String where) {
      stats.dropped();
    }
  }

  /** Stops frames (within a frame time), then frees the stages, then detaches the output. */
  @Override
  public void close() throws IOException {
    Thread t;
    synchronized (lock) {
      shutdown = true;
      wake();
      t = control;
    }
    consumers.close();
    if (t != null) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.warn("the camera thread did not stop within 2 s");
      }
    }
    chain.close();
    placeholders.values().forEach(Frame::close);
    placeholders.clear();
    enter(LiveState.STOPPED, "");
    output.close();
  }
}
