package io.github.vbackcam.core.live;

import io.github.vbackcam.core.sink.ConsumerMonitor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer count as the engine acts on it: the last consumer leaving is passed on only when nobody has come back
 * within {@link #MILLIS}; every other change at once. A stream stopped and started again at once is not an app
 * leaving: Chromium restarts its V4L2 capture after a second without a frame, apps stop streaming to change the
 * format, PipeWire pauses a link to reconfigure it, and an app may move from the loopback device to the PipeWire node.
 * Closing and reopening the webcam for each costs a second or more of frozen picture and blinks the camera's light. A
 * call that ends frees the webcam a second later. The sinks report every change as it happens.
 *
 * <p>Counts reach {@code onChange} in order, on the wrapped monitor's threads or on this class's timer thread.
 */
final class ConsumerGrace implements ConsumerMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(LiveEngine.class);
  /** How long nobody must consume before the engine hears of it. */
  static final long MILLIS = 1000;

  private final ConsumerMonitor counted;
  private ScheduledExecutorService timer;
  private IntConsumer onChange;

  // Guarded by this.
  private int reported = -1;
  /** Counts the drops to zero, so that a timer task of a drop someone came back from passes nothing on. */
  private long drops;
  private boolean leaving;
  private boolean closed;

  ConsumerGrace(ConsumerMonitor counted) {
    this.counted = counted;
  }

  @Override
  public String mode() {
    return counted.mode();
  }

  @Override
  public void start(IntConsumer onChange) {
    synchronized (this) {
      this.onChange = onChange;
      timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "vbackcam-consumer-grace");
        t.setDaemon(true);
        return t;
      });
    }
    counted.start(this::changed);
  }

  private synchronized void changed(int count) {
    if (closed) {
      return; // a monitor thread that was still running when this closed
    }
    if (count == 0 && reported > 0) {
      if (!leaving) {
        leaving = true;
        long drop = ++drops;
        timer.schedule(() -> left(drop), MILLIS, TimeUnit.MILLISECONDS);
      }
      return;
    }
    leaving = false;
    report(count);
  }

  private synchronized void left(long drop) {
    if (closed || !leaving || drop != drops) {
      return;
    }
    leaving = false;
    try {
      report(0);
    } catch (RuntimeException e) { // the timer's future would swallow it, and the camera would stay open unsaid
      LOG.error("the last consumer leaving was not passed on", e);
    }
  }

  // Under the lock, so a count and the timer's zero cannot reach the engine out of order.
  private void report(int count) {
    if (count != reported) {
      reported = count;
      onChange.accept(count);
    }
  }

  @Override
  public void close() {
    counted.close();
    synchronized (this) {
      closed = true;
      if (timer != null) {
        timer.shutdownNow();
      }
    }
  }
}
