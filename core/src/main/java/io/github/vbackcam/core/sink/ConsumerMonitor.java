package io.github.vbackcam.core.sink;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Tells the live engine how many apps are reading the virtual camera, so it can close the real camera while no one
 * is. Implementations report the current count once when started and again on every change.
 */
public interface ConsumerMonitor extends AutoCloseable {

  /** How consumers are detected, for the log and the status: users need to know why the camera stays on. */
  String mode();

  /** Starts reporting; {@code onChange} gets the count from a monitor thread. */
  void start(IntConsumer onChange);

  @Override
  void close();

  /** Always one consumer: for file outputs and drivers without client-usage events. */
  static ConsumerMonitor alwaysWatched(String mode) {
    return fixed(1, mode);
  }

  /** A count that never changes: 1 for an output always read, 0 for one nobody can read (a missing device). */
  static ConsumerMonitor fixed(int count, String mode) {
    return new ConsumerMonitor() {
      @Override
      public String mode() {
        return mode;
      }

      @Override
      public void start(IntConsumer onChange) {
        onChange.accept(count);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A fake for tests and the benchmarks ({@code VBACKCAM_FAKE_CONSUMERS=FILE}): the count is the number written in
   * {@code file} (a missing or empty file counts as one), read again when its folder reports a change (inotify, so
   * that the fake costs nothing while idle: polling it ten times a second was a third of the idle service's CPU in
   * {@code compare-start-idle}), and every second in case a change went unreported; every 100 ms where the folder
   * cannot be watched.
   */
  static ConsumerMonitor fromFile(Path file) {
    Path absolute = file.toAbsolutePath();
    return new ConsumerMonitor() {
      private volatile boolean closed;
      private volatile WatchService watcher;

      @Override
      public String mode() {
        return "fake: consumer count read from " + file;
      }

      @Override
      public void start(IntConsumer onChange) {
        watcher = watch(absolute.getParent());
        int first = read();
        onChange.accept(first);
        Thread t = new Thread(() -> {
          int last = first;
          while (!closed) {
            try {
              if (watcher == null) {
                Thread.sleep(100);
              } else {
                WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                  key.pollEvents();
                  key.reset();
                }
              }
            } catch (InterruptedException | ClosedWatchServiceException e) {
              return;
            }
            int now = read();
            if (now != last && !closed) {
              onChange.accept(now);
              last = now;
            }
          }
        }, "vbackcam-fake-consumers");
        t.setDaemon(true);
        t.start();
      }

      private int read() {
        try {
          String text = Files.readString(absolute).trim();
          return text.isEmpty() ? 1 : Integer.parseInt(text);
        } catch (IOException | NumberFormatException e) {
          return 1;
        }
      }

      @Override
      public void close() {
        closed = true;
        closeQuietly(watcher);
      }
    };
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
