package io.github.vbackcam.core.internal.v4l2;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A v4l2loopback device for benchmarks on machines without the module (compare-start-idle): it replaces the real
 * {@link Kernel} in a copy of the core jar, so the service itself runs its loopback output against it. The device
 * {@code /dev/vbackcam-bench} answers as v4l2loopback, takes every format, rate and subscription, and each frame
 * written goes to the start of the regular file {@code VBACKCAM_BENCH_FRAMES} names (one copy into the page cache,
 * as the module copies each frame into its buffer). Every other path does not exist.
 */
final class NativeKernel implements Kernel {

  static final NativeKernel INSTANCE = new NativeKernel();

  /** The device this fake answers for. */
  private static final String DEVICE = "/dev/vbackcam-bench";

  private final Map<Integer, FileChannel> open = new ConcurrentHashMap<>();
  private int next = 1000;

  private NativeKernel() {}

  @Override
  public synchronized int open(String path, int flags) throws ErrnoException {
    String frames = System.getenv("VBACKCAM_BENCH_FRAMES");
    if (!path.equals(DEVICE) || frames == null) {
      throw new ErrnoException("open", V4l2.ENOENT);
    }
    try {
      open.put(next, new RandomAccessFile(frames, "rw").getChannel());
    } catch (IOException e) {
      throw new ErrnoException("open", V4l2.EACCES);
    }
    return next++;
  }

  @Override
  public void ioctl(int fd, long request, byte[] arg) throws ErrnoException {
    channel(fd, "ioctl");
    if (request == V4l2.VIDIOC_QUERYCAP) {
      byte[] driver = V4l2.LOOPBACK_DRIVER.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(driver, 0, arg, 0, driver.length);
    }
  }

  @Override
  public int write(int fd, byte[] data, int length) throws ErrnoException {
    try {
      return channel(fd, "write").write(ByteBuffer.wrap(data, 0, length), 0);
    } catch (IOException e) {
      throw new ErrnoException("write", 5); // EIO
    }
  }

  @Override
  public short poll(int fd, short events, int timeoutMillis) throws ErrnoException {
    channel(fd, "poll");
    try {
      Thread.sleep(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  @Override
  public void close(int fd) {
    FileChannel channel = open.remove(fd);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing to keep.
      }
    }
  }

  private FileChannel channel(int fd, String call) throws ErrnoException {
    FileChannel channel = open.get(fd);
    if (channel == null) {
      throw new ErrnoException(call, 9); // EBADF
    }
    return channel;
  }
}
