package io.github.vbackcam.core.sink;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The consumer count written in a file ({@code VBACKCAM_FAKE_CONSUMERS}): the benchmarks' and service tests'
 * stand-in for apps opening the camera. A missing file, or one that does not hold a number, counts as one consumer;
 * an empty one is a write under way (the shell's {@code echo 0 > file} empties it first) and leaves the count as it
 * was, so a change from 0 to 2 does not pass through 1 and open the camera.
 *
 * <p>The file is read again when inotify reports a change to it (a {@link WatchService} on its folder), so the fake
 * costs next to nothing while the service idles (0.07% of a core): reading it ten times a second was a third of the
 * idle service's CPU in {@code compare-start-idle}. It is also read every second in case a change went unreported, and
 * every 100 ms while its folder cannot be watched (missing, or deleted since), trying the watch again each time.
 */
final class FileConsumerCount implements ConsumerMonitor {
  private final Path file;
  /** Guarded by this: once set, the watch is closed and nothing is reported any more. */
  private boolean closed;
  /** Guarded by this: null while the folder cannot be watched. */
  private WatchService watcher;

  FileConsumerCount(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public String mode() {
    return "fake: consumer count read from " + file;
  }

  @Override
  public void start(IntConsumer onChange) {
    synchronized (this) {
      if (closed) {
        return;
      }
      watcher = watch(file.getParent());
    }
    int first = read(1);
    onChange.accept(first);
    Thread t = new Thread(() -> follow(onChange, first), "vbackcam-fake-consumers");
    t.setDaemon(true);
    t.start();
  }

  private void follow(IntConsumer onChange, int first) {
    int last = first;
    try {
      while (awaitChange()) {
        int now = read(last);
        // Outside the lock: the callback takes the engine's locks, and a close may come while the engine holds them.
        if (now != last && isOpen()) {
          onChange.accept(now);
          last = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the file may have changed: an event for it (or lost events), a second without one, or 100 ms while
   * the folder is not watched. False once closed.
   */
  private boolean awaitChange() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      WatchService w;
      synchronized (this) {
        if (closed) {
          return false;
        }
        if (watcher == null) {
          watcher = watch(file.getParent());
        }
        w = watcher;
      }
      if (w == null) {
        Thread.sleep(100);
        return true;
      }
      long left = deadline - System.nanoTime();
      WatchKey key;
      try {
        key = left > 0 ? w.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (ClosedWatchServiceException e) {
        return false;
      }
      if (key == null) {
        return true;
      }
      boolean ours = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        ours |= event.kind() == OVERFLOW || file.getFileName().equals(event.context());
      }
      if (!key.reset()) { // the folder is gone: read every 100 ms until it can be watched again
        synchronized (this) {
          closeQuietly(watcher);
          watcher = null;
        }
        return true;
      }
      if (ours) {
        return true;
      }
    }
  }

  private synchronized boolean isOpen() {
    return !closed;
  }

  /** The number in the file; 1 where it is missing or holds no number, {@code whileEmpty} where it is empty. */
  private int read(int whileEmpty) {
    try {
      String text = Files.readString(file).trim();
      return text.isEmpty() ? whileEmpty : Integer.parseInt(text);
    } catch (IOException | NumberFormatException e) {
      return 1;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(watcher);
    watcher = null;
  }

  /** A watch on {@code folder}'s entries, or null where it cannot be watched (a missing folder). */
  private static WatchService watch(Path folder) {
    WatchService w = null;
    try {
      w = folder.getFileSystem().newWatchService();
      folder.register(w, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      return w;
    } catch (IOException e) {
      closeQuietly(w);
      return null;
    }
  }

  private static void closeQuietly(WatchService w) {
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // Nothing to release that the exit does not.
      }
    }
  }
}
