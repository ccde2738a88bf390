package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.pipewire.PipeWireStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes frames as a PipeWire camera: a {@code Video/Source} node with {@code media.role = Camera}, named
 * {@code vbackcam}, that the xdg-desktop-portal Camera portal hands to Firefox, Chrome, OBS and GNOME's camera app.
 * It offers YUY2 (BT.601 limited range, as the loopback device gets) at the output size and frame rate, and drives
 * its own graph: each written frame goes out at once.
 *
 * <p>The frame rate offered is the rate the camera's frames really arrive at: the configured rate at first, then the
 * rate measured ({@link RateMeter}) while the last app was linked, once it departs by more than
 * {@link RateMeter#TOLERANCE} (a camera giving 15 fps in low light). It is offered when that app has gone, so the
 * next app is offered it and no linked app is ever renegotiated: PipeWire 0.3.65's {@code pipewiresrc} crashed
 * (SIGSEGV) under a node that renegotiated its rate while linked, and libwebrtc reads a camera's formats once.
 * Frames written while no app is linked are the idle placeholder's few a second and are not measured. A node
 * published again after PipeWire restarts offers the last rate at once. A link that pauses for less than
 * {@link #UNLINK_GRACE_MILLIS} (PipeWire reconfiguring it) is not the app leaving: no new rate is offered under it.
 * The consumer count follows the link as it happens; the engine decides whether a pause is the app leaving.
 *
 * <p>The node needs no kernel module. {@link #open} fails with one line saying why (no library, no daemon) so the
 * caller can run without it; {@link #openWaiting}, for a service with no other output, waits for a daemon instead.
 * Once open, the sink outlives the daemon: when PipeWire stops, frames are dropped and the node is published again
 * as soon as PipeWire is back. While no consumer is linked, frames are dropped before any conversion, and
 * {@link #consumerMonitor} reports zero so the engine can close the real camera.
 *
 * <pre>
 *   write(frame) --Yuy2Converter, copied into the shared buffer--> PipeWireStream.send --> PipeWire --> portal apps
 *   PipeWire thread --state--> events --> supervisor thread --> consumer count / reconnect
 * </pre>
 */
public final class PipeWireSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(PipeWireSink.class);

  /** The node's name and description, what apps list and {@code pipewiresrc target-object=} picks. */
  public static final String NODE_NAME = "vbackcam";

  /** How long a link may pause before the app counts as gone. */
  static final long UNLINK_GRACE_MILLIS = 1000;
  private static final long RETRY_FIRST_MILLIS = 250;
  private static final long RETRY_MAX_MILLIS = 5000;

  /** What the PipeWire thread reports, handled on the supervisor thread so that thread never waits on ours. */
  private sealed interface Event {}

  private record Streaming(PipeWireStream stream, boolean on) implements Event {}

  private record Broken(PipeWireStream stream, String why) implements Event {}

  private record Closing() implements Event {}

  private final VideoSize size;
  private volatile PipeWireStream.Spec spec;
  // The writer thread's own: the rate measured while an app is linked.
  private final RateMeter meter = new RateMeter();
  private final Yuy2Converter converter = new Yuy2Converter();
  private boolean metering;
  /** The stream that refused a new rate: it is not asked again, so a refusal is one log line, not one a frame. */
  private PipeWireStream refusedRate;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread supervisor;
  private volatile PipeWireStream stream;
  private volatile IntConsumer consumers;
  private volatile boolean streaming;
  /** The consumer count last told to the engine: 1 while a link streams. Written by the supervisor thread. */
  private volatile int counted;
  private final PipeWireStream.Listener listener = new PipeWireStream.Listener() {
    @Override
    public void streaming(PipeWireStream source, boolean on) {
      events.add(new Streaming(source, on));
    }

    @Override
    public void broken(PipeWireStream source, String why) {
      events.add(new Broken(source, why));
    }
  };

  private PipeWireSink(VideoSize size, PipeWireStream.Spec spec, boolean waitForDaemon) throws IOException {
    this.size = size;
    this.spec = spec;
    String version = PipeWireStream.libraryVersion();
    try {
      stream = PipeWireStream.open(spec, listener);
      LOG.info("PipeWire camera node {} published ({} YUY2 at {}/{} fps, libpipewire {})", NODE_NAME, size,
          spec.rateNum(), spec.rateDenom(), version);
    } catch (IOException e) {
      if (!waitForDaemon) {
        throw e;
      }
      LOG.warn("PipeWire camera node {} not published yet: {}; it appears when PipeWire starts", NODE_NAME,
          e.getMessage());
    }
    this.supervisor = new Thread(this::supervise, "vbackcam-pipewire-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /**
   * Publishes the node, or fails with one line saying why there can be none (PipeWire's library missing, no
   * daemon for this user): the caller logs it and runs without the node.
   */
  public static PipeWireSink open(VideoSize size, double frameRate) throws IOException {
    return new PipeWireSink(size, spec(size, frameRate), false);
  }

  /**
   * As {@link #open}, but when no daemon runs yet the sink waits for one and publishes the node then: for a
   * PipeWire-only service, which has no other output. Fails only when PipeWire's library cannot be loaded.
   */
  public static PipeWireSink openWaiting(VideoSize size, double frameRate) throws IOException {
    return new PipeWireSink(size, spec(size, frameRate), true);
  }

  static PipeWireStream.Spec spec(VideoSize size, double frameRate) throws IOException {
    if (size.width() % 2 != 0) {
      throw new IOException("PipeWire node " + NODE_NAME + ": YUY2 needs an even width, got " + size);
    }
    long[] rate = fraction(frameRate);
    return new PipeWireStream.Spec(Map.of(
        "media.class", "Video/Source",
        "media.role", "Camera",
        "node.name", NODE_NAME,
        "node.description", NODE_NAME),
        size.width(), size.height(), (int) rate[0], (int) rate[1]);
  }

  /** The frame rate as a fraction PipeWire can carry: 30 -> 30/1, 29.97 -> 2997/100. */
  static long[] fraction(double frameRate) {
    if (!(frameRate > 0) || frameRate > 1000) {
      throw new IllegalArgumentException("frame rate must be in (0, 1000], got " + frameRate);
    }
    long num = Math.round(frameRate * 1000);
    long denom = 1000;
    long gcd = BigInteger.valueOf(num).gcd(BigInteger.valueOf(denom)).longValue();
    return new long[] {num / gcd, denom / gcd};
  }

  @Override
  public void write(Frame frame) throws IOException {
    if (frame.width() != size.width() || frame.height() != size.height()) {
      throw new IOException(describe() + " was set up for " + size + ", got a " + frame.width() + "x"
          + frame.height() + " frame");
    }
    PipeWireStream current = stream;
    if (current == null) {
      return;
    }
    if (!streaming) {
      if (metering) {
        metering = false;
        offerMeasuredRate(current); // the app has gone: nobody to renegotiate
      }
      return;
    }
    if (!metering) {
      meter.reset(); // a new link: the frames before it were the placeholder's
      metering = true;
    }
    if (!frame.isPlaceholder()) { // the camera's rate: not the placeholder's while the camera opens
      meter.frame(frame.ptsMicros());
    }
    if (!current.isStreaming()) {
      return;
    }
    var image = frame.image();
    current.send(memory -> toYuy2(converter, image, memory));
  }

  /**
   * Offers the rate measured during the link that has just ended, when it departs from the offered one
   * ({@link RateMeter#redeclare}). A refusal keeps the old rate: the sink never fails for it.
   */
  private void offerMeasuredRate(PipeWireStream current) {
    int fps = current == refusedRate ? 0 : meter.redeclare(current.rate());
    if (fps == 0) {
      return;
    }
    try {
      current.advertise(fps, 1);
      spec = spec.withRate(fps, 1);
      LOG.info("PipeWire node {}: the camera's frames arrived at {} fps; offering that rate to the next app",
          NODE_NAME, fps);
    } catch (IOException e) {
      refusedRate = current;
      LOG.warn("PipeWire node {}: cannot offer {} fps ({}); it keeps offering {} fps", NODE_NAME, fps,
          e.getMessage(), current.rate());
    }
  }

  /** Converts a BGR image ({@link Yuy2Converter}) and copies it into PipeWire's shared buffer, exactly. */
  static void toYuy2(Yuy2Converter converter, Mat bgr, ByteBuffer memory) {
    long bytes = 2L * bgr.rows() * bgr.cols();
    if (memory.capacity() < bytes) {
      throw new IllegalArgumentException("PipeWire's buffer has " + memory.capacity() + " bytes, " + bytes + " needed");
    }
    try (BytePointer pointer = new BytePointer(memory)) {
      Pointer.memcpy(pointer, converter.convert(bgr), bytes);
    }
  }

  /** Whether the node is published now: false while PipeWire is away. */
  public boolean isPublished() {
    return stream != null;
  }

  /** Whether a PipeWire client is linked to the node now. */
  public boolean isLinked() {
    return streaming;
  }

  /**
   * Reports one consumer while a PipeWire client's link streams, zero otherwise, as it happens: a pause is passed on
   * at once (the engine's grace covers one that ends at once).
   */
  public ConsumerMonitor consumerMonitor() {
    return new ConsumerMonitor() {
      @Override
      public String mode() {
        return "links to PipeWire node " + NODE_NAME;
      }

      @Override
      public void start(IntConsumer onChange) {
        consumers = onChange;
        onChange.accept(counted);
      }

      @Override
      public void close() {
        consumers = null;
      }
    };
  }

  private void supervise() {
    try {
      if (stream == null && !reconnect()) {
        return;
      }
      Event pending = null;
      while (true) {
        Event event = pending != null ? pending : events.take();
        pending = null;
        if (event instanceof Closing) {
          return;
        }
        if (event instanceof Streaming s && s.stream() == stream) {
          count(s.on()); // at once: whether a pause is the app leaving is the engine's call (its ConsumerGrace)
          if (!s.on() && streaming) {
            // For the sink, a pause that ends at once (PipeWire reconfiguring the link) is not the app leaving: no
            // new rate is offered under the paused link.
            pending = events.poll(UNLINK_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            if (pending instanceof Streaming again && again.stream() == stream && again.on()) {
              pending = null;
              count(true);
              continue;
            }
          }
          linked(s.on());
        } else if (event instanceof Broken b && b.stream() == stream) {
          LOG.warn("PipeWire node {} lost: {}; it comes back when PipeWire does", NODE_NAME, b.why());
          count(false);
          linked(false);
          stream = null;
          b.stream().close();
          if (!reconnect()) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Opens a new stream, retrying with backoff; false when the sink was closed meanwhile. */
  private boolean reconnect() throws InterruptedException {
    long delay = RETRY_FIRST_MILLIS;
    while (true) {
      Event event = events.poll(delay, TimeUnit.MILLISECONDS);
      if (event instanceof Closing) {
        return false;
      }
      try {
        stream = PipeWireStream.open(spec, listener);
        LOG.info("PipeWire camera node {} published", NODE_NAME);
        return true;
      } catch (IOException e) {
        LOG.debug("PipeWire still away: {}", e.getMessage());
        delay = Math.min(delay * 2, RETRY_MAX_MILLIS);
      }
    }
  }

  /** Whether an app is linked, for the sink's own state: frames are converted and the rate measured only then. */
  private void linked(boolean on) {
    if (on == streaming) {
      return;
    }
    streaming = on;
    LOG.info("PipeWire node {}: {}", NODE_NAME, on ? "a client is linked" : "no client linked");
  }

  /** Tells the engine of a link streaming or not, as it happens. Supervisor thread. */
  private void count(boolean on) {
    int now = on ? 1 : 0;
    IntConsumer listener = consumers;
    if (now != counted && listener != null) {
      listener.accept(now);
    }
    counted = now;
  }

  /** The node's name, and whether it waits for PipeWire: the service's status names its live outputs. */
  @Override
  public String describe() {
    return "PipeWire node " + NODE_NAME + (stream == null ? " (waiting for PipeWire)" : "");
  }

  @Override
  public void close() {
    events.add(new Closing());
    try {
      supervisor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    PipeWireStream last = stream;
    stream = null;
    if (last != null) {
      last.close();
    }
    converter.close();
  }
}
