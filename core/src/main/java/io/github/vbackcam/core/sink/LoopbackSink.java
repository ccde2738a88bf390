package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.v4l2.Kernel;
import io.github.vbackcam.core.internal.v4l2.LoopbackDevice;
import java.io.IOException;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes frames to a v4l2loopback device as YUYV: the virtual camera apps see. The device is opened, given its format
 * and put in streaming state here, before the first frame, and stays attached until {@link #close}: with
 * {@code exclusive_caps=1} the camera vanishes from apps while no one writes.
 *
 * <p>The frame rate apps read ({@code VIDIOC_G_PARM}'s {@code timeperframe}) is the rate frames really arrive at:
 * the configured rate at first, then the one measured while someone streams ({@link RateMeter}) whenever it differs
 * by more than {@link RateMeter#TOLERANCE}, as when a camera drops to 15 fps in low light. Frames written while
 * nobody streams (v4l2loopback's client-usage events; the idle placeholder, 2 fps) are not measured: an app opening
 * the idle camera reads the rate before it starts streaming, and Chromium, told the placeholder's rate, reported a
 * 2 fps camera. Placeholders ({@link Frame#isPlaceholder}) are never measured either: written while an app already
 * streams and the camera still opens (seconds, on a slow machine), they would be measured as the camera's 2 fps.
 * The PipeWire node does the same ({@link PipeWireSink}).
 *
 * <p>A picture identical to the last one (the placeholder, written again and again while nobody watches) is not
 * converted again: the YUYV bytes of the last conversion are written once more.
 *
 * <p>Apps never wait long for a frame: once a first picture was written, whenever someone watches and nothing has
 * been written for {@link #KEEP_ALIVE_MILLIS}, the last picture is written again (a frozen picture, not counted for
 * the declared rate). Chromium's V4L2 capture restarts its stream after one second without a frame and gives up after
 * ten ("Multiple continuous timeouts while read-polling"), and frames stop for seconds while a camera opens, stalls
 * before it counts as lost, or a model loads. While nobody watches (v4l2loopback's client-usage events) nothing is
 * repeated and the keep-alive thread sleeps. When apps streaming the device still went a second or more without a
 * frame (a machine too busy to run the service), a warning says how long, at most once per ten seconds: the log then
 * explains a browser that restarted or dropped the camera.
 *
 * <p>While nobody streams the device, the camera's frames are written twice a second of media time at most
 * ({@link #UNWATCHED_INTERVAL_MICROS}, the default idle placeholder's rate; a frame whose time went back is
 * written, and the interval counts from it): the engine runs for the PipeWire node's apps too, and converting and
 * writing every 720p frame for a device nobody reads cost 0.26-0.29 ms of CPU a frame (0.03 ms when skipped;
 * {@code write} on a fake device, 600 frames, three runs). The device keeps a recent picture for the next app
 * (v4l2loopback hands a new reader the last buffer written: up to half a second old); from the moment an app
 * streams, every frame is written. Placeholders are always written (they come at their own rate).
 */
public final class LoopbackSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackSink.class);
  /** The longest time apps go without a frame, in milliseconds: under Chromium's one second, with room for jitter. */
  public static final long KEEP_ALIVE_MILLIS = 600;
  /** While nobody streams, a camera frame is written at least this long after the last one written (media time). */
  static final long UNWATCHED_INTERVAL_MICROS = 500_000;
  /** A wait for a frame this long makes Chromium restart its stream: worth a warning. */
  private static final long STARVED_NANOS = 1_000_000_000L;
  private static final long STARVED_WARNING_INTERVAL_NANOS = 10_000_000_000L;
  /**
   * A stream started again within this of stopping is the app restarting it (Chromium does after a second without a
   * frame): its wait for a frame, and the rate measured for it, go on.
   */
  private static final long RESTART_NANOS = 1_000_000_000L;

  private final LoopbackDevice device;
  private final VideoSize size;
  /** Converts to YUYV as the PipeWire node does; made once the device is open. */
  private final Yuy2Converter converter;
  /** The last picture in YUYV: the bytes the device is given. */
  private final byte[] yuyv;
  private final LastPicture last = new LastPicture();
  private final RateMeter meter = new RateMeter();
  /** The device is written by {@link #write} and by the keep-alive thread: one at a time. */
  private final Object lock = new Object();
  private final Thread keepAlive;
  // Guarded by lock.
  private int declaredFps;
  private boolean rateRefused;
  private boolean pictureWritten;
  private long lastWriteNanos;
  /** When someone last started streaming: a wait for a frame counts from then at the earliest. */
  private long watchedSinceNanos = System.nanoTime();
  /** When the last app stopped streaming. */
  private long unwatchedSinceNanos;
  private long lastStarvedWarningNanos = watchedSinceNanos - STARVED_WARNING_INTERVAL_NANOS;
  /** The media time of the last frame written, for {@link #UNWATCHED_INTERVAL_MICROS}. */
  private long lastWrittenPtsMicros;
  /** Until client-usage events say otherwise (a driver without them included), someone may be watching. */
  private boolean watched = true;
  private boolean closed;

  /** Declares 30 fps until frames have arrived. */
  public LoopbackSink(String path, VideoSize size) throws IOException {
    this(Kernel.system(), path, size, 30, KEEP_ALIVE_MILLIS);
  }

  /** @param frameRate the rate to declare until frames have arrived (0 or less: 30) */
  public LoopbackSink(String path, VideoSize size, double frameRate) throws IOException {
    this(Kernel.system(), path, size, frameRate, KEEP_ALIVE_MILLIS);
  }

  /** @param keepAliveMillis how long apps may go without a frame before the last one is written again; 0: forever */
  public LoopbackSink(Kernel kernel, String path, VideoSize size, double frameRate, long keepAliveMillis)
      throws IOException {
    this.size = size;
    this.device = LoopbackDevice.open(kernel, path, size.width(), size.height());
    this.yuyv = new byte[device.frameBytes()];
    this.converter = new Yuy2Converter();
    synchronized (lock) {
      declare(frameRate > 0 ? (int) Math.round(frameRate) : 30);
    }
    if (keepAliveMillis > 0) {
      keepAlive = new Thread(() -> keepAlive(keepAliveMillis * 1_000_000), "vbackcam-keepalive");
      keepAlive.setDaemon(true);
      keepAlive.start();
    } else {
      keepAlive = null;
    }
  }

  /** The frame rate apps are told, in whole frames a second. */
  public int declaredFps() {
    synchronized (lock) {
      return declaredFps;
    }
  }

  /** Call with the lock held. */
  private void declare(int fps) {
    if (rateRefused || fps == declaredFps) {
      return;
    }
    if (device.setTimePerFrame(1, Math.max(1, fps))) {
      declaredFps = Math.max(1, fps);
      LOG.debug("{}: declaring {} fps", device.path(), declaredFps);
    } else {
      rateRefused = true;
      LOG.info("{} does not take a frame rate (VIDIOC_S_PARM refused); apps see the driver's default",
          device.path());
    }
  }

  @Override
  public void write(Frame frame) throws IOException {
    if (frame.width() != size.width() || frame.height() != size.height()) {
      throw new IOException(device.path() + " was set up for " + size + ", got a " + frame.width() + "x"
          + frame.height() + " frame");
    }
    Mat image = frame.image();
    synchronized (lock) {
      if (closed) {
        throw new IOException(device.path() + " is closed");
      }
      long pts = frame.ptsMicros();
      if (!watched && pictureWritten && !frame.isPlaceholder() && pts >= lastWrittenPtsMicros
          && pts - lastWrittenPtsMicros < UNWATCHED_INTERVAL_MICROS) {
        return; // nobody streams the device: a recent picture is enough
      }
      last.convertIfChanged(image, () -> converter.convert(image).get(yuyv));
      device.write(yuyv);
      wrote();
      lastWrittenPtsMicros = pts;
      if (!pictureWritten) {
        pictureWritten = true;
        lock.notifyAll(); // the keep-alive thread sleeps until there is a picture to repeat
      }
      // Neither a placeholder (the camera opening while an app already streams) nor anything written while nobody
      // streams is the camera's rate.
      if (watched && !frame.isPlaceholder()) {
        meter.frame(frame.ptsMicros());
        int fps = meter.redeclare(declaredFps);
        if (fps > 0) {
          declare(fps);
        }
      }
    }
  }

  /** Writes the last picture again whenever {@code periodNanos} have passed without a write, until closed. */
  private void keepAlive(long periodNanos) {
    boolean failed = false;
    synchronized (lock) {
      while (!closed) {
        long quiet = System.nanoTime() - lastWriteNanos;
        boolean repeat = pictureWritten && watched;
        if (repeat && quiet >= periodNanos) {
          try {
            device.write(yuyv);
            failed = false;
          } catch (IOException e) {
            if (!failed) { // once per failing spell: write() reports the same failure with each frame
              LOG.warn("writing the last picture again: {}", e.getMessage());
            }
            failed = true;
          }
          wrote();
          quiet = 0;
        }
        try {
          if (repeat) { // rounded up: no extra 1 ms wait just before the due time
            lock.wait(Math.max(1, (periodNanos - quiet + 999_999) / 1_000_000));
          } else { // nothing to repeat: asleep until the first picture, someone watching again, or close
            lock.wait();
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Notes that a write just ended; warns when apps streaming the device had waited too long for it. Lock held. */
  private void wrote() {
    long now = System.nanoTime();
    long waited = now - Math.max(lastWriteNanos, watchedSinceNanos);
    if (watched && pictureWritten && waited >= STARVED_NANOS
        && now - lastStarvedWarningNanos >= STARVED_WARNING_INTERVAL_NANOS) {
      lastStarvedWarningNanos = now;
      LOG.warn("{}: apps streaming it got no frame for {} s (Chromium restarts its capture after 1 s without one "
          + "and gives up after 10): the service got too little CPU", device.path(),
          String.format(Locale.ROOT, "%.1f", waited / 1e9));
    }
    lastWriteNanos = now;
  }

  /**
   * Who is watching, from v4l2loopback's client-usage event; when the driver lacks the event, a monitor that always
   * reports one consumer and says so in its mode. Every change is reported as it comes: the engine, not the sink,
   * decides that a stream stopped and started again at once is the same app.
   */
  public ConsumerMonitor consumerMonitor() throws IOException {
    if (!device.subscribeClientUsage()) {
      return ConsumerMonitor.alwaysWatched("always on: " + device.path()
          + " does not send client-usage events (v4l2loopback < 0.13), so the camera stays open");
    }
    return new ConsumerMonitor() {
      private volatile boolean closed;
      private Thread thread;

      @Override
      public String mode() {
        return "client-usage events from " + device.path();
      }

      @Override
      public void start(IntConsumer onChange) {
        // The keep-alive hears of each change first: it repeats pictures only while someone streams.
        IntConsumer report = usage -> {
          watched(usage > 0);
          onChange.accept(usage);
        };
        try {
          // v4l2loopback queues the current usage on subscription: report it before the camera is first opened.
          int initial = device.awaitClientUsage(200);
          if (initial >= 0) {
            report.accept(initial);
          }
        } catch (IOException e) {
          LOG.warn("{}", e.getMessage());
        }
        thread = new Thread(() -> {
          while (!closed) {
            try {
              int usage = device.awaitClientUsage(250);
              if (usage >= 0) {
                report.accept(usage);
              }
            } catch (IOException e) {
              if (!closed) {
                LOG.warn("{}; assuming someone is watching", e.getMessage());
                report.accept(1); // the sink too: every frame written, the last repeated
              }
              return;
            }
          }
        }, "vbackcam-consumers");
        thread.setDaemon(true);
        thread.start();
      }

      @Override
      public void close() {
        closed = true;
        if (thread != null) {
          try {
            thread.join(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }

  /** Whether anyone streams the device: the keep-alive repeats pictures only while someone does. */
  private void watched(boolean now) {
    synchronized (lock) {
      long t = System.nanoTime();
      if (watched && !now) {
        unwatchedSinceNanos = t;
      } else if (!watched && now && t - unwatchedSinceNanos >= RESTART_NANOS) { // a new app, not a restart
        watchedSinceNanos = t;
        meter.reset(); // its rate is measured from its own frames
      }
      watched = now;
      lock.notifyAll();
    }
  }

  @Override
  public String describe() {
    return device.path();
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      lock.notifyAll();
    }
    if (keepAlive != null) {
      try {
        keepAlive.join(1000); // it stops as soon as it sees closed: a write in progress ended before the lock was ours
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    device.close();
    last.close();
    converter.close();
  }
}
