package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Changes of a kind run one at a time and the last request wins; a caller whose request is overtaken while it waits
 * hears so at once, so a burst of slow requests holds no more than two callers (on D-Bus, method-call threads that
 * also serve property reads). A change stuck for good holds up nothing: past its deadline it is abandoned, and what
 * it loads if it ever returns is discarded, never put in use.
 */
@Timeout(60)
class LoaderTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private final Loader loader = new Loader();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    loader.close();
    callers.shutdownNow();
  }

  /** A change whose load is {@code load} and whose commit records {@code what} in {@link #ran}. */
  private Loader.Change<String> change(String what, Load load) {
    return new Loader.Change<>() {
      @Override
      public String load() throws Exception {
        load.run();
        return what;
      }

      @Override
      public void commit(String loaded) {
        ran.add(loaded);
      }

      @Override
      public void discard(String loaded) {
        discarded.add(loaded);
      }
    };
  }

  private interface Load {
    void run() throws Exception;
  }

  private final List<String> discarded = new CopyOnWriteArrayList<>();

  /** A caller's request, run on its own thread as a D-Bus call would be. */
  private Future<?> request(String kind, String what, Load load) {
    return callers.submit(() -> loader.run(kind, Set.of(kind), what, LONG, change(what, load)));
  }

  private Future<?> recorded(String what) {
    return request("effect", what, () -> { });
  }

  /** An effect change that holds the loader until {@code release}; returns once it is running. */
  private Future<?> slowEffect(CountDownLatch release) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    Future<?> slow = request("effect", "slow", () -> {
      started.countDown();
      release.await();
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    return slow;
  }

  private static Throwable failure(Future<?> call, long millis) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(millis, TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  @Test
  void aRequestOvertakenWhileWaitingIsAnsweredAtOnceNotWhenTheLoaderReachesIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> slow = slowEffect(release);
    Future<?> previous = recorded("request 0");
    for (int i = 1; i < 50; i++) {
      awaitNewest("effect", "request " + (i - 1));
      Future<?> next = recorded("request " + i);
      Throwable overtaken = failure(previous, 5000);
      assertInstanceOf(Loader.Superseded.class, overtaken);
      assertEquals("request " + (i - 1) + " was superseded by a later request", overtaken.getMessage());
      previous = next;
    }
    assertFalse(slow.isDone(), "the slow change was answered before it finished");
    assertFalse(previous.isDone(), "the newest request was answered before it ran");
    release.countDown();
    slow.get(10, TimeUnit.SECONDS);
    previous.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("slow", "request 49"), ran);
  }

  /** Waits until {@code what} is the newest request of its kind, so that the next one supersedes it. */
  private void awaitNewest(String kind, String what) throws InterruptedException {
    while (!what.equals(loader.newest(kind))) {
      Thread.sleep(1);
    }
  }

  @Test
  void aStuckChangeHoldsUpNoOtherKindAndIsNotOvertakenByOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> slow = slowEffect(release);
    request("model", "model", () -> { }).get(10, TimeUnit.SECONDS);
    assertFalse(slow.isDone(), "the effect change was dropped by a model change");
    release.countDown();
    slow.get(10, TimeUnit.SECONDS);
    recorded("effect").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("model", "slow", "effect"), ran);
  }

  @Test
  void aChangeLoadedAfterALaterRequestOfWhatItWritesTookEffectIsDiscarded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Future<?> reload = callers.submit(() -> loader.run("reload", Set.of("effect", "model"), "reload", LONG,
        change("reload", () -> {
          started.countDown();
          release.await();
        })));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    recorded("colour").get(10, TimeUnit.SECONDS);
    release.countDown();
    Throwable e = failure(reload, 10_000);
    assertEquals("reload was superseded by a later request", e.getMessage());
    awaitDiscarded("reload");
    assertEquals(List.of("colour"), ran);
  }

  @Test
  void aFailureReachesItsCallerAndTheNextRequestStillRuns() throws Exception {
    Future<?> bad = request("effect", "bad", () -> {
      throw new IllegalArgumentException("cannot use bad: no such file");
    });
    Throwable e = failure(bad, 10_000);
    assertInstanceOf(IllegalArgumentException.class, e);
    assertEquals("cannot use bad: no such file", e.getMessage());
    recorded("good").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("good"), ran);
  }

  @Test
  void closingAnswersEveryWaitingCallerAtOnce() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> slow = request("effect", "slow", () -> {
      started.countDown();
      release.await();
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    Future<?> waiting = request("effect", "waiting", () -> { });
    awaitNewest("effect", "waiting");
    loader.close();
    for (Future<?> call : List.of(slow, waiting)) {
      Throwable e = failure(call, 2000);
      assertTrue(e.getMessage().startsWith("the service is stopping; "), e.getMessage());
    }
    release.countDown();
    Throwable late = assertThrows(IllegalStateException.class, () -> loader.run("effect", Set.of("effect"), "late",
        LONG, change("late", () -> { })));
    assertEquals("the service is stopping; late was not applied", late.getMessage());
    awaitDiscarded("slow");
    assertEquals(List.of(), ran);
  }

  @Test
  void aStuckChangeIsAbandonedAtItsDeadlineTheNextStartsAtOnceAndALateResultIsDiscarded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    long start = System.nanoTime();
    Loader.TimedOut e = assertThrows(Loader.TimedOut.class, () -> loader.run("effect", Set.of("effect"),
        "background '/proc/kmsg'", Duration.ofMillis(300), change("stuck", release::await)));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertEquals("background '/proc/kmsg' did not finish within 0 s and was abandoned; the previous state stays",
        e.getMessage());
    // The stuck thread still holds its load: the next change must not wait for it.
    recorded("after").get(5, TimeUnit.SECONDS);
    release.countDown();
    awaitDiscarded("stuck");
    assertEquals(List.of("after"), ran);
  }

  private void awaitDiscarded(String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!discarded.contains(what) && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(List.of(what), discarded);
  }
}
