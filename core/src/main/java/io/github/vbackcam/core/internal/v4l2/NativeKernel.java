package io.github.vbackcam.core.internal.v4l2;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** {@link Kernel} on libc through JNA. */
final class NativeKernel implements Kernel {

  static final NativeKernel INSTANCE = new NativeKernel();

  private interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    NativeLong write(int fd, Pointer data, NativeLong count) throws LastErrorException;

    int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private final LibC libc;

  private NativeKernel() {
    libc = Native.load("c", LibC.class);
  }

  @Override
  public int open(String path, int flags) throws ErrnoException {
    try {
      return libc.open(path, flags);
    } catch (LastErrorException e) {
      throw new ErrnoException("open", e.getErrorCode());
    }
  }

  @Override
  public void ioctl(int fd, long request, byte[] arg) throws ErrnoException {
    try (Memory mem = new Memory(arg.length)) {
      mem.write(0, arg, 0, arg.length);
      libc.ioctl(fd, new NativeLong(request), mem);
      mem.read(0, arg, 0, arg.length);
    } catch (LastErrorException e) {
      throw new ErrnoException(String.format("ioctl 0x%08X", request), e.getErrorCode());
    }
  }

  private final ThreadLocal<Memory> writeBuffers = new ThreadLocal<>();

  @Override
  public int write(int fd, byte[] data, int length) throws ErrnoException {
    Memory mem = writeBuffers.get();
    if (mem == null || mem.size() < length) {
      mem = new Memory(length);
      writeBuffers.set(mem);
    }
    mem.write(0, data, 0, length);
    try {
      return libc.write(fd, mem, new NativeLong(length)).intValue();
    } catch (LastErrorException e) {
      throw new ErrnoException("write", e.getErrorCode());
    }
  }

  @Override
  public short poll(int fd, short events, int timeoutMillis) throws ErrnoException {
    try (Memory pollfd = new Memory(8)) {
      pollfd.setInt(0, fd);
      pollfd.setShort(4, events);
      pollfd.setShort(6, (short) 0);
      int n = libc.poll(pollfd, new NativeLong(1), timeoutMillis);
      return n > 0 ? pollfd.getShort(6) : 0;
    } catch (LastErrorException e) {
      throw new ErrnoException("poll", e.getErrorCode());
    }
  }

  @Override
  public void close(int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException ignored) {
      // Nothing useful to do: the descriptor is gone either way.
    }
  }
}
