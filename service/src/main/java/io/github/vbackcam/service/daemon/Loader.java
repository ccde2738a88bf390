package io.github.vbackcam.service.daemon;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out changes so that the last request wins and no load, however stuck, holds up another: the D-Bus threads
 * never do the heavy work (loading a model, opening a video), and a file whose read never returns (a hung network
 * mount, {@code /proc/kmsg}) costs its own request and nothing else.
 *
 * <p>Each kind of change (effect, model, reload) runs one at a time, in the order asked for; kinds run side by side.
 * A request still waiting when a newer one of its kind arrives is dropped at that moment: its caller hears at once
 * that it was superseded instead of holding one of dbus-java's few method-call threads. So each kind holds at most
 * two callers: the change in progress and the newest one.
 *
 * <p>A change is loaded on a thread of its own, then committed under this loader's lock, and only while it is still
 * the newest request for what it writes: a request of another kind made later (a colour after a reload) that
 * committed first wins. A caller waits up to its deadline; past it the request is abandoned: the caller hears so,
 * the next request of its kind starts on a new thread, and what the stuck thread loads, if it ever returns, is
 * discarded, never committed. The thread is left to die (Java cannot interrupt a blocked native read).
 */
final class Loader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  /**
   * A change in two steps, so that a late or superseded load can be dropped: {@link #load} may be slow and may
   * never return; {@link #commit} is quick. An {@link IllegalArgumentException} reaches the caller as InvalidArgs.
   */
  interface Change<T> {
    /** Reads the files and opens what the change needs, on a thread of its own; changes nothing the service shows. */
    T load() throws Exception;

    /** Puts what {@link #load} made in use and remembers it; owns {@code loaded} from the call on. */
    void commit(T loaded) throws Exception;

    /** Frees what {@link #load} made when it is not committed: superseded, abandoned, or the service stopping. */
    void discard(T loaded);
  }

  /** The request was replaced by a later one before it took effect. */
  static final class Superseded extends RuntimeException {
    Superseded(String what) {
      super(what + " was superseded by a later request");
    }
  }

  /** The change did not finish within the caller's deadline and was abandoned. */
  static final class TimedOut extends RuntimeException {
    TimedOut(String what, Duration deadline) {
      super(what + " did not finish within " + deadline.toSeconds() + " s and was abandoned; the previous state"
          + " stays");
    }
  }

  private static final class Request<T> {
    final long number;
    final String kind;
    final Set<String> writes;
    final String what;
    final Change<T> change;
    final CompletableFuture<Void> result = new CompletableFuture<>();

    Request(long number, String kind, Set<String> writes, String what, Change<T> change) {
      this.number = number;
      this.kind = kind;
      this.writes = writes;
      this.what = what;
      this.change = change;
    }
  }

  // Guarded by this.
  private long requests;
  private boolean closed;
  private final Map<String, Request<?>> running = new HashMap<>();
  private final Map<String, Request<?>> waiting = new HashMap<>();
  /** For each thing written (the effect, the model), the number of the request that last committed it. */
  private final Map<String, Long> committed = new HashMap<>();

  /**
   * Runs {@code change} after every earlier request of its kind and waits for it up to {@code deadline}.
   *
   * @param kind requests of one kind run one at a time and supersede each other while they wait
   * @param writes what the change sets ("effect", "model"): it is dropped if a later request set any of them first
   * @param what the request, for messages
   */
  <T> void run(String kind, Set<String> writes, String what, Duration deadline, Change<T> change) {
    Request<T> request;
    synchronized (this) {
      if (closed) {
        throw stopping(what);
      }
      request = new Request<>(++requests, kind, writes, what, change);
      if (running.containsKey(kind)) {
        Request<?> previous = waiting.put(kind, request);
        if (previous != null) {
          previous.result.completeExceptionally(new Superseded(previous.what));
        }
      } else {
        start(request);
      }
    }
    await(request, deadline);
  }

  /** What the newest request of {@code kind} that has not finished is; null when there is none. */
  synchronized String newest(String kind) {
    Request<?> r = waiting.containsKey(kind) ? waiting.get(kind) : running.get(kind);
    return r == null ? null : r.what;
  }

  private void start(Request<?> request) {
    running.put(request.kind, request);
    Thread t = new Thread(() -> loadAndCommit(request), "vbackcam-load-" + request.kind);
    t.setDaemon(true); // a load stuck for good must not keep the JVM from exiting
    t.start();
  }

  private <T> void loadAndCommit(Request<T> request) {
    T loaded;
    try {
      loaded = request.change.load();
    } catch (Throwable e) {
      synchronized (this) {
        request.result.completeExceptionally(e);
        finished(request);
      }
      return;
    }
    boolean owned = false;
    synchronized (this) {
      if (running.get(request.kind) == request) { // else abandoned or the service stopping: its caller has heard
        try {
          for (String w : request.writes) {
            if (committed.getOrDefault(w, 0L) > request.number) {
              throw new Superseded(request.what);
            }
          }
          owned = true;
          request.change.commit(loaded);
          request.writes.forEach(w -> committed.put(w, request.number));
          request.result.complete(null);
        } catch (Throwable e) {
          request.result.completeExceptionally(e);
        }
        finished(request);
      }
    }
    if (!owned) {
      LOG.debug("{}: loaded, but no longer wanted", request.what);
      request.change.discard(loaded);
    }
  }

  /** The request no longer runs: the next of its kind starts. */
  private void finished(Request<?> request) {
    if (running.remove(request.kind, request)) {
      Request<?> next = waiting.remove(request.kind);
      if (next != null) {
        start(next);
      }
    }
  }

  private void await(Request<?> request, Duration deadline) {
    try {
      request.result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return;
    } catch (TimeoutException e) {
      synchronized (this) {
        if (request.result.completeExceptionally(new TimedOut(request.what, deadline))) {
          LOG.warn("{}", new TimedOut(request.what, deadline).getMessage());
          waiting.remove(request.kind, request);
          finished(request);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + request.what, e);
    } catch (ExecutionException e) {
      throw unwrapped(e);
    }
    try {
      request.result.getNow(null);
    } catch (java.util.concurrent.CompletionException e) {
      throw unwrapped(e);
    }
  }

  private static RuntimeException unwrapped(Exception e) {
    Throwable cause = e.getCause();
    return cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
  }

  private static IllegalStateException stopping(String what) {
    return new IllegalStateException("the service is stopping; " + what + " was not applied");
  }

  /**
   * Answers every caller at once that the service is stopping; nothing is committed from now on, and loads in
   * progress are left to their threads, which discard what they load.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      for (Request<?> r : List.copyOf(waiting.values())) {
        r.result.completeExceptionally(stopping(r.what));
      }
      for (Request<?> r : List.copyOf(running.values())) {
        r.result.completeExceptionally(stopping(r.what));
      }
      waiting.clear();
      running.clear();
    }
  }
}
