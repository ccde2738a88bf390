package io.github.vbackcam.core.internal.v4l2;

/**
 * The system calls the V4L2 code makes: the seam where tests replace the kernel. Each call returns its result or
 * throws {@link ErrnoException}; structs travel as byte arrays (in and out, for ioctls that read and write).
 */
public interface Kernel {

  int open(String path, int flags) throws ErrnoException;

  void ioctl(int fd, long request, byte[] arg) throws ErrnoException;

  int write(int fd, byte[] data, int length) throws ErrnoException;

  /** Waits up to {@code timeoutMillis} for {@code events} on {@code fd}; returns the revents (0 on timeout). */
  short poll(int fd, short events, int timeoutMillis) throws ErrnoException;

  void close(int fd);

  /** The real kernel, through JNA. */
  static Kernel system() {
    return NativeKernel.INSTANCE;
  }
}
