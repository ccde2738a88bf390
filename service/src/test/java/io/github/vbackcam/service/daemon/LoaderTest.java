package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
 * Changes run one at a time and the last request wins; a caller whose request is overtaken while it waits hears so
 * at once, so a burst of slow requests holds no more than two callers (on D-Bus, method-call threads that also
 * serve property reads).
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

  /** A caller's request, run on its own thread as a D-Bus call would be. */
  private Future<?> request(String kind, String what, Loader.Change change) {
    return callers.submit(() -> loader.run(kind, what, LONG, change));
  }

  private Future<?> recorded(String what) {
    return request("effect", what, () -> ran.add(what));
  }

  /** An effect change that holds the loader until {@code release}; returns once it is running. */
  private Future<?> slowEffect(CountDownLatch release) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    Future<?> slow = request("effect", "slow", () -> {
      started.countDown();
      release.await();
      ran.add("slow");
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
  void requestsOfAnotherKindAreNotOvertakenAndRunInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> slow = slowEffect(release);
    Future<?> model = request("model", "model", () -> ran.add("model"));
    awaitNewest("model", "model");
    Future<?> effect = recorded("effect");
    awaitNewest("effect", "effect");
    assertFalse(model.isDone(), "a model request was dropped by an effect");
    release.countDown();
    slow.get(10, TimeUnit.SECONDS);
    model.get(10, TimeUnit.SECONDS);
    effect.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("slow", "model", "effect"), ran);
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
    Future<?> waiting = request("model", "model", () -> ran.add("model"));
    awaitNewest("model", "model");
    loader.close();
    for (Future<?> call : List.of(slow, waiting)) {
      Throwable e = failure(call, 2000);
      assertTrue(e.getMessage().startsWith("the service is stopping; "), e.getMessage());
    }
    release.countDown();
    Throwable late = assertThrows(IllegalStateException.class, () -> loader.run("effect", "late", LONG, () -> { }));
    assertEquals("the service is stopping; late was not applied", late.getMessage());
    assertEquals(List.of(), ran);
  }

  @Test
  void aCallerWaitsNoLongerThanItsDeadlineAndTheChangeStillTakesEffect() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    long start = System.nanoTime();
    Loader.TimedOut e = assertThrows(Loader.TimedOut.class, () -> loader.run("effect", "slow", Duration.ofMillis(300),
        () -> {
          release.await();
          ran.add("slow");
        }));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertTrue(e.getMessage().startsWith("slow is still loading after 0 s"), e.getMessage());
    release.countDown();
    recorded("after").get(10, TimeUnit.SECONDS);
    assertEquals(List.of("slow", "after"), ran);
  }
}
