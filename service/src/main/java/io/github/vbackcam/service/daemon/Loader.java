package io.github.vbackcam.service.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out changes one at a time on its own thread, in the order they were asked for, so the last request wins
 * and the D-Bus threads never do the heavy work (loading a model, opening a video). A request still waiting when a
 * newer one of the same kind arrives is dropped: its caller hears it was superseded. Each caller waits for its own
 * result up to a deadline; past it, the caller hears so and the change still completes, unless superseded.
 */
final class Loader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  /** A change that may fail; an {@link IllegalArgumentException} reaches the caller as InvalidArgs. */
  interface Change {
    void run() throws Exception;
  }

  /** The request was replaced by a later one of the same kind before it started. */
  static final class Superseded extends RuntimeException {
    Superseded(String what) {
      super(what + " was superseded by a later request");
    }
  }

  /** The change did not finish within the caller's deadline. */
  static final class TimedOut extends RuntimeException {
    TimedOut(String what, Duration deadline) {
      super(what + " is still loading after " + deadline.toSeconds() + " s; it takes effect once loaded unless a"
          + " later request replaces it");
    }
  }

  /** How often a waiting caller looks whether the service is stopping. */
  private static final long POLL_MILLIS = 100;

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vbackcam-loader");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();

  /**
   * Runs {@code change} after every earlier request and waits for it up to {@code deadline}.
   *
   * @param kind requests of one kind supersede each other while they wait ("effect", "model")
   * @param what the request, for messages
   */
  void run(String kind, String what, Duration deadline, Change change) {
    AtomicLong newest = latest.computeIfAbsent(kind, k -> new AtomicLong());
    long ticket = newest.incrementAndGet();
    Future<?> result = thread.submit(() -> {
      if (newest.get() != ticket) {
        throw new Superseded(what);
      }
      change.run();
      return null;
    });
    long end = System.nanoTime() + deadline.toNanos();
    try {
      while (true) {
        if (thread.isShutdown()) {
          throw new IllegalStateException("the service is stopping; " + what + " was not applied");
        }
        try {
          result.get(Math.min(POLL_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
              TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          if (System.nanoTime() >= end) {
            LOG.warn("{}", new TimedOut(what, deadline).getMessage());
            throw new TimedOut(what, deadline);
          }
        }
      }
    } catch (CancellationException e) {
      throw new IllegalStateException("the service is stopping; " + what + " was not applied", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /** Drops waiting requests (their callers hear the service is stopping); a change in progress runs on. */
  @Override
  public void close() {
    for (Runnable dropped : thread.shutdownNow()) {
      if (dropped instanceof Future<?> f) {
        f.cancel(false);
      }
    }
  }
}
