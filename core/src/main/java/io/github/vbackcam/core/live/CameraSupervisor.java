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
import io.github.vbackcam.core.sink.ConsumerMonitor;
import java.io.IOException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the camera for the {@link LiveEngine} on one control thread: opens it when frames should flow (someone
 * watches and no {@link PauseReason} is in effect), runs camera → chain → output until that changes or the camera
 * fails, and otherwise writes a placeholder so apps reading the virtual camera keep getting frames. A camera that
 * cannot be opened is retried with a backoff from 0.5 s to 5 s. The last app leaving counts only once nobody has come
 * back for a second ({@link ConsumerGrace}): a stream restarted at once keeps the camera open.
 */
final class CameraSupervisor {

  /** State changes are logged under the engine's name, which is what users and the service log know. */
  private static final Logger LOG = LoggerFactory.getLogger(LiveEngine.class);
  private static final long FIRST_RETRY_NANOS = 500_000_000L;
  private static final long MAX_RETRY_NANOS = 5_000_000_000L;

  private final LiveEngine.Camera camera;
  private final FrameSink output;
  private final VideoSize size;
  private final ConsumerMonitor consumers;
  private final EffectChain chain;
  private final double placeholderFps;
  private final LatencyStats stats = new LatencyStats();
  private final Map<LiveState, Frame> placeholders = new EnumMap<>(LiveState.class);
  private final Object lock = new Object();

  // Guarded by lock.
  private final Set<PauseReason> pauses = EnumSet.noneOf(PauseReason.class);
  private int consumerCount = -1;
  private boolean restartCamera;
  private boolean shutdown;
  private Pipeline pipeline;
  private LiveState state = LiveState.STARTING;
  private String detail = "";
  private Thread control;

  CameraSupervisor(LiveEngine.Camera camera, FrameSink output, VideoSize size, ConsumerMonitor consumers,
                   EffectChain chain, double placeholderFps) {
    this.camera = camera;
    this.output = output;
    this.size = size;
    this.consumers = new ConsumerGrace(consumers);
    this.chain = chain;
    this.placeholderFps = Math.max(1, placeholderFps);
  }

  /** Starts watching consumers and the control thread. */
  void start() {
    synchronized (lock) {
      control = new Thread(this::controlLoop, "vbackcam-live");
    }
    LOG.info("consumer detection: {}", consumers.mode());
    consumers.start(this::consumersChanged);
    control.start();
  }

  void pause(PauseReason reason, boolean on) {
    synchronized (lock) {
      if (on) {
        pauses.add(reason);
      } else {
        pauses.remove(reason);
      }
      wake();
    }
  }

  void restartCamera() {
    synchronized (lock) {
      restartCamera = true;
      wake();
    }
  }

  LiveStatus status(String model, Effect effect) {
    long now = System.nanoTime();
    synchronized (lock) {
      return new LiveStatus(state, detail, stats.fps(now), stats.latencyMillis(0.5), stats.latencyMillis(0.99),
          Math.max(consumerCount, 0), consumers.mode(), stats.frames(), stats.drops(), camera.describe(),
          output.describe(), model, effect);
    }
  }

  /** Stops frames within a frame time and the control thread; frees the placeholders. */
  void close() {
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
    placeholders.values().forEach(Frame::close);
    placeholders.clear();
    synchronized (lock) {
      state = LiveState.STOPPED;
      detail = "";
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

  /** Whether frames should flow now; otherwise the state to show. Call with the lock held. */
  private LiveState wanted() {
    if (!pauses.isEmpty()) {
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

  /**
   * Runs camera → effect chain → output until told to stop; returns the failure, if any. The chain is reset
   * first: these frames do not follow the ones before the camera closed.
   */
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
      // Each write is a new frame presented now, so the output's clock (a Y4M file's rate, the rate the virtual
      // camera declares) keeps running while the placeholder shows.
      try (Frame now = placeholder(shown).copyAt(Frame.PLACEHOLDER, System.nanoTime() / 1000)) {
        output.write(now);
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
        if (maxNanos > 0 ? System.nanoTime() - start >= maxNanos || !pauses.isEmpty() || consumerCount == 0
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
}
