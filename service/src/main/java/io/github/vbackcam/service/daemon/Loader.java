package io.github.vbackcam.service.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out changes one at a time on its own thread, in the order they were asked for, so the last request wins
 * and the D-Bus threads never do the heavy work (loading a model, opening a video). A request still waiting when a
 * newer one of the same kind arrives is dropped at that moment: its caller hears at once that it was superseded,
 * instead of holding one of dbus-java's few method-call threads (which also serve property reads) until the loader
 * reaches it. So each kind holds at most two callers waiting: the change in progress and the newest one. Each
 * caller waits for its own result up to a deadline; past it, the caller hears so and the change still completes,
 * unless superseded.
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

  private static final int WAITING = 0;
  private static final int RUNNING = 1;
  private static final int DROPPED = 2;

  /** One call's change: it either starts on the loader thread or is dropped by a newer request, never both. */
  private static final class Request {
    final String what;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final AtomicInteger state = new AtomicInteger(WAITING);

    Request(String what) {
      this.what = what;
    }

    /** Drops the request if it has not started; its caller hears {@code why}. */
    void drop(RuntimeException why) {
      if (state.compareAndSet(WAITING, DROPPED)) {
        result.completeExceptionally(why);
      }
    }
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vbackcam-loader");
    t.setDaemon(true);
    return t;
  });
  /** The newest request of each kind, until it has run. */
  private final Map<String, Request> latest = new ConcurrentHashMap<>();

  /**
   * Runs {@code change} after every earlier request and waits for it up to {@code deadline}.
   *
   * @param kind requests of one kind supersede each other while they wait ("effect", "model")
   * @param what the request, for messages
   */
  void run(String kind, String what, Duration deadline, Change change) {
    Request request = new Request(what);
    Request previous = latest.put(kind, request);
    if (previous != null) {
      previous.drop(new Superseded(previous.what));
    }
    try {
      thread.execute(() -> {
        if (!request.state.compareAndSet(WAITING, RUNNING)) {
          return; // superseded, or the service is stopping: its caller has heard already
        }
        try {
          change.run();
          request.result.complete(null);
        } catch (Throwable e) {
          request.result.completeExceptionally(e);
        } finally {
          latest.remove(kind, request);
        }
      });
    } catch (RejectedExecutionException e) {
      throw stopping(what, e);
    }
    await(request, deadline);
  }

  /** What the newest request of {@code kind} that has not finished is; null when there is none. */
  String newest(String kind) {
    Request r = latest.get(kind);
    return r == null ? null : r.what;
  }

  private void await(Request request, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    try {
      while (true) {
        if (thread.isShutdown()) {
          request.drop(stopping(request.what, null)); // a change in progress runs on; its caller is not kept
          throw stopping(request.what, null);
        }
        try {
          request.result.get(Math.min(POLL_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
              TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          if (System.nanoTime() >= end) {
            LOG.warn("{}", new TimedOut(request.what, deadline).getMessage());
            throw new TimedOut(request.what, deadline);
          }
        }
      }
    } catch (CancellationException e) {
      throw stopping(request.what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + request.what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  private static IllegalStateException stopping(String what, Throwable cause) {
    return new IllegalStateException("the service is stopping; " + what + " was not applied", cause);
  }

  /**
   * Drops waiting requests and answers every caller that the service is stopping; a change in progress runs on (not
   * interrupted: a model half loaded is freed by its own code), and the requests queued behind it are no-ops.
   */
  @Override
  public void close() {
    thread.shutdown();
    latest.values().forEach(r -> r.drop(stopping(r.what, null)));
  }
}
