package io.github.vbackcam.core.sink;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.v4l2.Kernel;
import io.github.vbackcam.core.internal.v4l2.LoopbackDevice;
import io.github.vbackcam.core.internal.v4l2.Yuyv;
import java.io.IOException;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes frames to a v4l2loopback device as YUYV: the virtual camera apps see. The device is opened, given its format
 * and put in streaming state here, before the first frame, and stays attached until {@link #close}: with
 * {@code exclusive_caps=1} the camera vanishes from apps while no one writes.
 */
public final class LoopbackSink implements FrameSink {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackSink.class);

  private final LoopbackDevice device;
  private final VideoSize size;
  private byte[] bgr;
  private final byte[] yuyv;

  public LoopbackSink(String path, VideoSize size) throws IOException {
    this(Kernel.system(), path, size);
  }

  public LoopbackSink(Kernel kernel, String path, VideoSize size) throws IOException {
    this.size = size;
    this.device = LoopbackDevice.open(kernel, path, size.width(), size.height());
    this.yuyv = new byte[device.frameBytes()];
  }

  @Override
  public void write(Frame frame) throws IOException {
    if (frame.width() != size.width() || frame.height() != size.height()) {
      throw new IOException(device.path() + " was set up for " + size + ", got a " + frame.width() + "x"
          + frame.height() + " frame");
    }
    var image = frame.image();
    int stride = (int) image.step();
    int bytes = stride * size.height();
    if (bgr == null || bgr.length != bytes) {
      bgr = new byte[bytes];
    }
    image.data().capacity(bytes).position(0).get(bgr);
    Yuyv.fromBgr(bgr, stride, size.width(), size.height(), yuyv);
    device.write(yuyv);
  }

  /**
   * Who is watching, from v4l2loopback's client-usage event; when the driver lacks the event, a monitor that always
   * reports one consumer and says so in its mode.
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
        try {
          // v4l2loopback queues the current usage on subscription: report it before the camera is first opened.
          int initial = device.awaitClientUsage(200);
          if (initial >= 0) {
            onChange.accept(initial);
          }
        } catch (IOException e) {
          LOG.warn("{}", e.getMessage());
        }
        thread = new Thread(() -> {
          while (!closed) {
            try {
              int usage = device.awaitClientUsage(250);
              if (usage >= 0) {
                onChange.accept(usage);
              }
            } catch (IOException e) {
              if (!closed) {
                LOG.warn("{}; assuming someone is watching", e.getMessage());
                onChange.accept(1);
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

  @Override
  public String describe() {
    return device.path();
  }

  @Override
  public void close() {
    device.close();
  }
}
