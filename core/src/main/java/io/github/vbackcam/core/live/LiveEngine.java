package io.github.vbackcam.core.live;

import io.github.vbackcam.core.EffectChain;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Background;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.Segmenter;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import java.io.IOException;
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
 * (model loaded, effect opened, output attached); {@link #start} goes to {@code RUNNING}, where the
 * {@link CameraSupervisor} opens the real camera only while someone watches and no {@link PauseReason} is in effect,
 * so the engine is in one of the {@link LiveState}s. {@link #close} stops frames first, then frees what the chain
 * holds, then the output.
 *
 * <p>Runtime changes never restart anything: an effect is opened first and swapped in on the next frame; a new
 * model is loaded first and swapped in only if it loads (a bad one throws and the old one stays); effect
 * {@code none} bypasses the chain. Each time the camera opens the chain is reset, so the first frame is not
 * smoothed with a mask from before the pause.
 */
public final class LiveEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveEngine.class);

  /** Opens the camera each time frames should flow; the engine closes what it returns. */
  public interface Camera {
    FrameSource open() throws IOException;

    String describe();
  }

  private enum Lifecycle { NULL, READY, RUNNING }

  private final FrameSink output;
  private final SegmenterFactory models;
  private final EffectChain chain;
  private final CameraSupervisor supervisor;
  private final Object lock = new Object();

  // Guarded by lock.
  private Lifecycle lifecycle = Lifecycle.NULL;
  private Effect effect;
  private String model;
  /** Why the virtual camera device is missing, or empty: shown as {@link LiveState#NO_DEVICE} while running. */
  private volatile String missingDevice = "";

  /**
   * @param output stays attached for the engine's life and is closed by {@link #close}
   * @param size the output size; camera frames are scaled to cover it
   * @param placeholderFps how often the placeholder is written while no camera frames flow (at least 1)
   */
  public LiveEngine(Camera camera, FrameSink output, VideoSize size, ConsumerMonitor consumers,
                    SegmenterFactory models, MaskSettings mask, double placeholderFps) {
    this.output = Objects.requireNonNull(output, "output");
    this.models = Objects.requireNonNull(models, "models");
    this.chain = new EffectChain(Objects.requireNonNull(mask, "mask"));
    this.supervisor = new CameraSupervisor(Objects.requireNonNull(camera, "camera"), output,
        Objects.requireNonNull(size, "size"), Objects.requireNonNull(consumers, "consumers"), chain, placeholderFps);
  }

  /** NULL → READY: loads the model and opens the effect; throws (holding nothing new) if either fails. */
  public void prepare(Effect first, String firstModel) throws IOException {
    synchronized (lock) {
      if (lifecycle != Lifecycle.NULL) {
        throw new IllegalStateException("prepare() called in state " + lifecycle);
      }
    }
    setModel(firstModel);
    setEffect(first);
    prepare();
  }

  /**
   * NULL → READY with the model and effect already put in use ({@link #useModel}, {@link #useEffect}): for a caller
   * that loads them itself, under a deadline of its own.
   */
  public void prepare() {
    synchronized (lock) {
      if (lifecycle != Lifecycle.NULL || model == null || effect == null) {
        throw new IllegalStateException("prepare() called in state " + lifecycle + (model == null ? ", no model"
            : "") + (effect == null ? ", no effect" : ""));
      }
      lifecycle = Lifecycle.READY;
    }
  }

  /** READY → RUNNING: starts watching consumers and running the camera when needed. */
  public void start() {
    synchronized (lock) {
      if (lifecycle != Lifecycle.READY) {
        throw new IllegalStateException("start() called in state " + lifecycle);
      }
      lifecycle = Lifecycle.RUNNING;
    }
    supervisor.start();
  }

  /**
   * Opens {@code next} and uses it from the next frame; a bad file throws and the current effect stays. The file is
   * opened before taking the lock, which {@link #status} needs: a slow one must not hold up property reads.
   */
  public void setEffect(Effect next) throws IOException {
    Objects.requireNonNull(next, "next");
    useEffect(next, next instanceof Effect.None ? null : next.open());
  }

  /**
   * Uses {@code next}, whose background the caller opened ({@code null} for {@link Effect.None}), from the next
   * frame; the engine owns {@code opened} from now on. For a caller that opens files under a deadline of its own
   * and must be able to drop a late result instead of applying it.
   */
  public void useEffect(Effect next, Background opened) {
    Objects.requireNonNull(next, "next");
    synchronized (lock) {
      chain.useEffect(next, opened);
      effect = next;
    }
    LOG.info(next instanceof Effect.None ? "effect off: frames pass through" : "effect: {}", next);
  }

  /** Loads {@code name} and swaps it in on the next frame; a bad model throws and the current one stays. */
  public void setModel(String name) throws IOException {
    useModel(name, models.open(name));
  }

  /** Uses {@code loaded}, which the caller opened as {@code name}, from the next frame; the engine owns it now. */
  public void useModel(String name, Segmenter loaded) {
    synchronized (lock) {
      chain.useSegmenter(loaded);
      model = name;
    }
    LOG.info("model: {} ({})", name, loaded.describe());
  }

  /** Closes the camera and writes the placeholder until every reason to pause has been resumed. */
  public void pause(PauseReason reason) {
    supervisor.pause(reason, true);
  }

  public void resume(PauseReason reason) {
    supervisor.pause(reason, false);
  }

  /** Closes and reopens the camera (after a configuration change, for instance). */
  public void restartCamera() {
    supervisor.restartCamera();
  }

  /**
   * Marks the virtual camera device as missing, {@code why} in one line: the status says {@link LiveState#NO_DEVICE}
   * with that detail (whatever the camera does) until the engine stops. Frames still go to the output given.
   */
  public void deviceMissing(String why) {
    missingDevice = Objects.requireNonNull(why, "why");
  }

  public LiveStatus status() {
    Effect shownEffect;
    String shownModel;
    synchronized (lock) {
      shownEffect = effect;
      shownModel = model;
    }
    LiveStatus s = supervisor.status(shownModel, shownEffect);
    return missingDevice.isEmpty() || s.state() == LiveState.STOPPED ? s : s.withState(LiveState.NO_DEVICE,
        missingDevice);
  }

  /** Stops frames (within a frame time), then frees the chain, then detaches the output. */
  @Override
  public void close() throws IOException {
    supervisor.close();
    chain.close();
    LOG.info("{}", LiveState.STOPPED.label());
    output.close();
  }
}
