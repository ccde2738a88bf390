package io.github.vbackcam.core.internal.v4l2;

import java.io.IOException;

/**
 * The producer side of a v4l2loopback device, following its rules: check the driver, set the format with
 * {@code VIDIOC_S_FMT}, issue {@code VIDIOC_STREAMON} before the first write (or the device loses its output caps
 * after a restart: v4l2loopback issue #470; 0.14 and later refuse it without buffers and stream on at the first
 * write instead), then keep writing whole frames. It can also subscribe to the
 * client-usage event that says whether someone is watching.
 *
 * <p>Every failure is an {@link IOException} whose message names the device and says what to do.
 */
public final class LoopbackDevice implements AutoCloseable {

  private final Kernel kernel;
  private final String path;
  private final int fd;
  private final int frameBytes;
  private volatile boolean closed;

  private LoopbackDevice(Kernel kernel, String path, int fd, int frameBytes) {
    this.kernel = kernel;
    this.path = path;
    this.fd = fd;
    this.frameBytes = frameBytes;
  }

  /** Opens {@code path}, checks it is a v4l2loopback device, sets YUYV {@code width}x{@code height} and streams on. */
  public static LoopbackDevice open(Kernel kernel, String path, int width, int height) throws IOException {
    if (width % 2 != 0) {
      throw new IOException(path + ": YUYV output needs an even width, got " + width);
    }
    int fd;
    try {
      fd = kernel.open(path, V4l2.O_RDWR);
    } catch (ErrnoException e) {
      throw openError(path, e.errno());
    }
    try {
      byte[] cap = new byte[V4l2.CAPABILITY_SIZE];
      try {
        kernel.ioctl(fd, V4l2.VIDIOC_QUERYCAP, cap);
      } catch (ErrnoException e) {
        throw new IOException(path + " is not a V4L2 device (VIDIOC_QUERYCAP: " + V4l2.errnoName(e.errno())
            + "); the output must be a v4l2loopback device such as /dev/video20, or a regular file for Y4M");
      }
      String driver = V4l2.driver(cap);
      if (!driver.equals(V4l2.LOOPBACK_DRIVER)) {
        throw new IOException(path + " is driven by '" + driver + "', not v4l2loopback: pick the v4l2loopback"
            + " device (see 'vbackcam doctor')");
      }
      try {
        kernel.ioctl(fd, V4l2.VIDIOC_S_FMT, V4l2.yuyvOutputFormat(width, height));
      } catch (ErrnoException e) {
        throw e.errno() == V4l2.EBUSY
            ? new IOException(path + " is busy: another program is writing to it, or a reader holds it with another"
                + " format (EBUSY on VIDIOC_S_FMT)")
            : new IOException(path + " refused YUYV " + width + "x" + height + " (VIDIOC_S_FMT: "
                + V4l2.errnoName(e.errno()) + ")");
      }
      try {
        kernel.ioctl(fd, V4l2.VIDIOC_STREAMON, V4l2.bufferType(V4l2.BUF_TYPE_VIDEO_OUTPUT));
      } catch (ErrnoException e) {
        // v4l2loopback 0.14 and later (buffer-set tokens) refuse STREAMON from an opener that has not claimed buffers
        // with VIDIOC_REQBUFS, and claiming them makes write() fail with EBUSY; their write() claims the buffers and
        // streams on by itself (start_fileio), so the first write satisfies the STREAMON rule there. Seen in the VM
        // system test against 0.15.0.
        if (e.errno() == V4l2.EINVAL) {
          return new LoopbackDevice(kernel, path, fd, width * height * 2);
        }
        throw new IOException(path + ": VIDIOC_STREAMON failed (" + V4l2.errnoName(e.errno()) + ")"
            + (e.errno() == V4l2.EBUSY ? ": another program is writing to it" : ""));
      }
      return new LoopbackDevice(kernel, path, fd, width * height * 2);
    } catch (IOException | RuntimeException e) {
      kernel.close(fd);
      throw e;
    }
  }

  static IOException openError(String path, int errno) {
    return switch (errno) {
      case V4l2.ENOENT -> new IOException(path + " does not exist: is the v4l2loopback module loaded?"
          + " (run 'vbackcam doctor')");
      case V4l2.EACCES -> new IOException("no permission to open " + path + ": add yourself to the group that owns"
          + " it (usually 'video') and log in again");
      case V4l2.EBUSY -> new IOException(path + " is busy: another program holds it");
      case V4l2.ENODEV, V4l2.ENXIO -> new IOException(path + " has no device behind it (module unloaded?)");
      default -> new IOException("cannot open " + path + ": " + V4l2.errnoName(errno));
    };
  }

  /** Writes one YUYV frame of exactly the negotiated size. */
  public void write(byte[] yuyv) throws IOException {
    if (yuyv.length < frameBytes) {
      throw new IllegalArgumentException("frame has " + yuyv.length + " bytes, " + frameBytes + " needed");
    }
    try {
      int n = kernel.write(fd, yuyv, frameBytes);
      if (n != frameBytes) {
        throw new IOException(path + ": short write (" + n + " of " + frameBytes + " bytes)");
      }
    } catch (ErrnoException e) {
      throw new IOException("writing to " + path + " failed: " + V4l2.errnoName(e.errno()), e);
    }
  }

  /**
   * Tells the device that frames come every {@code numerator}/{@code denominator} seconds ({@code VIDIOC_S_PARM}),
   * which apps read back as the camera's frame rate ({@code VIDIOC_G_PARM}); v4l2loopback also repeats the last
   * frame at that rate when the producer is late. Returns false when the driver refuses it.
   */
  public boolean setTimePerFrame(int numerator, int denominator) {
    try {
      kernel.ioctl(fd, V4l2.VIDIOC_S_PARM, V4l2.outputTimePerFrame(numerator, denominator));
      return true;
    } catch (ErrnoException e) {
      return false;
    }
  }

  public int frameBytes() {
    return frameBytes;
  }

  /**
   * Subscribes to v4l2loopback's client-usage event. Returns false when the driver does not offer it (v4l2loopback
   * before 0.13 answers EINVAL), in which case the caller must assume someone is watching.
   */
  public boolean subscribeClientUsage() throws IOException {
    try {
      kernel.ioctl(fd, V4l2.VIDIOC_SUBSCRIBE_EVENT, V4l2.subscription(V4l2.EVENT_PRI_CLIENT_USAGE));
      return true;
    } catch (ErrnoException e) {
      if (e.errno() == V4l2.EINVAL || e.errno() == V4l2.ENOTTY) {
        return false;
      }
      throw new IOException(path + ": VIDIOC_SUBSCRIBE_EVENT failed (" + V4l2.errnoName(e.errno()) + ")");
    }
  }

  /**
   * Waits up to {@code timeoutMillis} for a client-usage event: returns whether a consumer streams (1) or not (0),
   * or -1 when nothing happened.
   */
  public int awaitClientUsage(int timeoutMillis) throws IOException {
    try {
      short revents = kernel.poll(fd, V4l2.POLLPRI, timeoutMillis);
      if ((revents & V4l2.POLLPRI) == 0) {
        return -1;
      }
      byte[] event = new byte[V4l2.EVENT_SIZE];
      kernel.ioctl(fd, V4l2.VIDIOC_DQEVENT, event);
      if (V4l2.eventType(event) != V4l2.EVENT_PRI_CLIENT_USAGE) {
        return -1;
      }
      return V4l2.eventPayload(event) != 0 ? 1 : 0;
    } catch (ErrnoException e) {
      if (e.errno() == V4l2.EINTR || e.errno() == V4l2.EAGAIN || e.errno() == V4l2.ENOENT) {
        return -1;
      }
      throw new IOException(path + ": waiting for client events failed (" + V4l2.errnoName(e.errno()) + ")");
    }
  }

  public String path() {
    return path;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kernel.ioctl(fd, V4l2.VIDIOC_STREAMOFF, V4l2.bufferType(V4l2.BUF_TYPE_VIDEO_OUTPUT));
    } catch (ErrnoException ignored) {
      // Closing releases the stream anyway.
    }
    kernel.close(fd);
  }
}
