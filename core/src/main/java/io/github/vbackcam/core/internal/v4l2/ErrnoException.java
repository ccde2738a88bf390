package io.github.vbackcam.core.internal.v4l2;

/** A failed system call: which call and its errno. */
public final class ErrnoException extends Exception {
  private final int errno;

  public ErrnoException(String call, int errno) {
    super(call + " failed: " + V4l2.errnoName(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
