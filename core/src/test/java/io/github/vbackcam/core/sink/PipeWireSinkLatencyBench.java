package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.pipewire.PipeWireStream;
import io.github.vbackcam.core.source.VideoFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latency the PipeWire output adds at 720p30, as a camera app sees it: a benchmark that writes
 * {@code target/pipewire-latency.json}, run by {@code core/src/test/pipewire/latency} against real PipeWire and
 * WirePlumber in a private session. Asserts only a bound a loaded machine still meets.
 *
 * <p>The producer is the sink's own path, {@link PipeWireStream#send} with {@link PipeWireSink#toYuy2} as the
 * filler ({@link PipeWireSink#write} is that and a check), driven here so the filler can note
 * {@link System#nanoTime} (CLOCK_MONOTONIC) once the frame is in the shared buffer, just before
 * {@code pw_stream_queue_buffer}: the time {@code write} returns is no such mark, as the app often has the frame
 * already (on a busy machine the writing thread loses the CPU inside {@code pw_stream_trigger_process}). It writes a
 * real video frame with its index drawn on ({@link PipeWireSinkIT#mark}) at 30 fps. The app is GStreamer's
 * {@code pipewiresrc} in another process ({@code latency-consumer}), which notes on the same clock when each index
 * reaches its streaming thread. Meanwhile {@code pw-top}, in a detached tmux, shows the node's line as a user sees it.
 *
 * <pre>
 *   before --BGR->YUY2 into the shared buffer--> queued --queue, trigger, PipeWire--> pipewiresrc: arrival
 *      |<------------------------------- write to app ------------------------------------------->|
 *                                                  |<------------- queue to app ----------------->|
 * </pre>
 */
class PipeWireSinkLatencyBench {

  private static final Logger LOG = LoggerFactory.getLogger(PipeWireSinkLatencyBench.class);
  private static final VideoSize SIZE = new VideoSize(1280, 720);
  private static final int FPS = 30;
  /** Arrivals left out at the start, while the link settles. */
  private static final int WARMUP = 30;
  private static final int MEASURED = 330;
  /**
   * Frames go out at once, not with the next frame: a median past this means each waits a cycle (33 ms). An idle
   * machine measures under half a millisecond.
   */
  private static final double MEDIAN_BOUND_MS = 10;
  /** Generous: the two shared cores this was written on, at load 9, measured p99 up to 193 ms. */
  private static final double P99_BOUND_MS = 500;
  /** Frames the producer writes at most: the consumer's frames twice over. */
  private static final int MAX_WRITES = 2 * (WARMUP + MEASURED);
  private static final Path CONSUMER = Path.of("src", "test", "pipewire", "latency-consumer");
  private static final Path RESULT = Path.of("target", "pipewire-latency.json");
  private static final PipeWireStream.Listener IGNORE = new PipeWireStream.Listener() {
    @Override
    public void streaming(PipeWireStream stream, boolean streaming) {}

    @Override
    public void broken(PipeWireStream stream, String why) {}
  };

  @Test
  void pipewireAddsLittleLatencyBetweenQueueAndApp() throws Exception {
    Path logs = Path.of("target", "pipewire-latency").toAbsolutePath();
    Path arrivals = logs.resolve("arrivals.txt");
    long[] before = new long[MAX_WRITES];
    long[] queued = new long[MAX_WRITES];
    boolean[] sent = new boolean[MAX_WRITES];
    int written;
    List<String> pwTop;
    List<String> pwTopNode;
    try (PipeWireSession session = new PipeWireSession(logs);
        VideoFileSource source = new VideoFileSource(
            TestData.file("data/videos/davis2016_lucia_854x480_24fps.mp4"), SIZE, false);
        Frame frame = source.read()) {
      session.start();
      Files.deleteIfExists(arrivals);
      try (PipeWireStream stream = PipeWireStream.open(PipeWireSink.spec(SIZE, FPS), IGNORE);
          PwTop top = new PwTop(session); Yuy2Converter converter = new Yuy2Converter()) {
        PipeWireSession.await("pw-dump lists node vbackcam", () -> session.node(PipeWireSink.NODE_NAME).isPresent());
        Process consumer = new ProcessBuilder(CONSUMER.toAbsolutePath().toString(),
            String.valueOf(WARMUP + MEASURED), String.valueOf(SIZE.width()), String.valueOf(SIZE.height()),
            String.valueOf(PipeWireSinkIT.BITS), String.valueOf(PipeWireSinkIT.BLOCK), arrivals.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("consumer.log").toFile())).start();
        try {
          PipeWireSession.await("latency-consumer linked to the node", stream::isStreaming);
          top.start();
          long start = System.nanoTime();
          for (written = 0; written < MAX_WRITES && consumer.isAlive(); written++) {
            int index = written;
            PipeWireSinkIT.mark(frame, index);
            before[index] = System.nanoTime();
            sent[index] = stream.send(memory -> {
              PipeWireSink.toYuy2(converter, frame.image(), memory);
              queued[index] = System.nanoTime();
            });
            long wait = start + (index + 1) * 1_000_000_000L / FPS - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
          assertTrue(consumer.waitFor(PipeWireSession.DEADLINE.toSeconds(), TimeUnit.SECONDS),
              "latency-consumer did not finish");
        } finally {
          consumer.destroyForcibly();
        }
        assertEquals(0, consumer.exitValue(), "latency-consumer failed; see " + logs.resolve("consumer.log"));
        top.stop();
        pwTop = top.screen;
        pwTopNode = top.node;
      }
    }
    JsonObject result = result(Files.readAllLines(arrivals), before, queued, sent, written);
    JsonArray top = new JsonArray();
    pwTop.forEach(top::add);
    result.add("pw_top", top);
    JsonArray node = new JsonArray();
    pwTopNode.forEach(node::add);
    result.add("pw_top_node_samples", node);
    Files.writeString(RESULT, new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n");
    JsonObject queueToApp = result.getAsJsonObject("queue_to_app_ms");
    LOG.info("PipeWire output at {} {} fps, {} frames: queue to app median {} ms, p99 {} ms; write to app median {}"
        + " ms, p99 {} ms; pw-top: {}; written to {}", SIZE, FPS, result.get("frames").getAsInt(),
        queueToApp.get("median").getAsDouble(), queueToApp.get("p99").getAsDouble(),
        result.getAsJsonObject("write_to_app_ms").get("median").getAsDouble(),
        result.getAsJsonObject("write_to_app_ms").get("p99").getAsDouble(),
        pwTopNode.isEmpty() ? "no line" : pwTopNode.get(pwTopNode.size() - 1), RESULT.toAbsolutePath());
    assertTrue(pwTopNode.stream().anyMatch(l -> l.startsWith("R ")),
        "pw-top never showed node vbackcam running: " + pwTop);
    assertTrue(queueToApp.get("median").getAsDouble() < MEDIAN_BOUND_MS,
        "median latency from queue to app " + queueToApp.get("median") + " ms, over " + MEDIAN_BOUND_MS + " ms");
    assertTrue(queueToApp.get("p99").getAsDouble() < P99_BOUND_MS,
        "p99 latency from queue to app " + queueToApp.get("p99") + " ms, over " + P99_BOUND_MS + " ms");
  }

  /** The measured arrivals (first arrival of each index, past the warm-up) against when each frame was written. */
  private static JsonObject result(List<String> lines, long[] before, long[] queued, boolean[] sent, int written) {
    boolean[] seen = new boolean[written];
    List<Long> queueToApp = new ArrayList<>();
    List<Long> writeToApp = new ArrayList<>();
    List<Long> writing = new ArrayList<>();
    int arrival = 0;
    int first = -1;
    int last = -1;
    int repeats = 0;
    for (String line : lines) {
      String[] parts = line.split(" ");
      int index = Integer.parseInt(parts[0]);
      long nanos = Long.parseLong(parts[1]);
      assertTrue(index < written && sent[index], "the app got frame " + index + ", which was never sent");
      if (seen[index]) {
        repeats++;
        continue;
      }
      seen[index] = true;
      if (arrival++ < WARMUP) {
        continue;
      }
      first = first < 0 ? index : first;
      last = index;
      // Causality, and so the clocks and the index decoding, checked on every frame.
      assertTrue(nanos > queued[index], "frame " + index + " reached the app before it was queued");
      queueToApp.add(nanos - queued[index]);
      writeToApp.add(nanos - before[index]);
      writing.add(queued[index] - before[index]);
    }
    assertTrue(queueToApp.size() >= 300, "only " + queueToApp.size() + " frames measured");
    int dropped = 0;
    int lost = 0;
    for (int i = first; i <= last; i++) {
      dropped += sent[i] ? 0 : 1;
      lost += sent[i] && !seen[i] ? 1 : 0;
    }
    JsonObject result = new JsonObject();
    result.addProperty("what", "latency of the PipeWire camera output as GStreamer's pipewiresrc in another process"
        + " receives each frame: queue_to_app from the frame being in the shared buffer, just before"
        + " pw_stream_queue_buffer, to the buffer reaching pipewiresrc's source pad; write_to_app also counts the"
        + " conversion into the buffer (convert_ms, BGR to YUY2), as PipeWireSink.write does it");
    result.addProperty("command", "core/src/test/pipewire/latency");
    result.addProperty("date", Instant.now().toString());
    result.addProperty("size", SIZE.toString());
    result.addProperty("fps", FPS);
    result.addProperty("format", "YUY2");
    result.addProperty("frames", queueToApp.size());
    result.addProperty("warmup_frames", WARMUP);
    result.addProperty("dropped_no_free_buffer", dropped);
    result.addProperty("sent_not_received", lost);
    result.addProperty("repeated_buffers", repeats);
    result.add("queue_to_app_ms", stats(queueToApp));
    result.add("write_to_app_ms", stats(writeToApp));
    result.add("convert_ms", stats(writing));
    result.addProperty("cores", Runtime.getRuntime().availableProcessors());
    try {
      result.addProperty("libpipewire", PipeWireStream.libraryVersion());
      result.addProperty("load_average", Files.readString(Path.of("/proc/loadavg")).trim());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return result;
  }

  /** Median, p90, p99 (nearest rank), min and max in milliseconds. */
  private static JsonObject stats(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    JsonObject stats = new JsonObject();
    stats.addProperty("median", ms(sorted[(sorted.length - 1) / 2]));
    stats.addProperty("p90", ms(sorted[(int) Math.ceil(0.90 * sorted.length) - 1]));
    stats.addProperty("p99", ms(sorted[(int) Math.ceil(0.99 * sorted.length) - 1]));
    stats.addProperty("min", ms(sorted[0]));
    stats.addProperty("max", ms(sorted[sorted.length - 1]));
    return stats;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  /**
   * pw-top running in a detached tmux (it is a full-screen program), read with {@code capture-pane} every 2 s on its
   * own thread, so the frames keep their pace.
   */
  private static final class PwTop implements AutoCloseable {
    private static final long EVERY_MILLIS = 2000;
    private final PipeWireSession session;
    private final String socket = System.getenv("XDG_RUNTIME_DIR") + "/tmux";
    private final Thread looker = new Thread(this::lookEvery, "pw-top");
    /** The last screen that showed the node, and the node's line on each look (spaces squeezed). */
    private final List<String> screen = new ArrayList<>();
    private final List<String> node = new ArrayList<>();
    private volatile Throwable failure;

    PwTop(PipeWireSession session) throws Exception {
      this.session = session;
      looker.setDaemon(true);
      session.run("tmux", "-S", socket, "new-session", "-d", "-x", "160", "-y", "30", "pw-top");
    }

    void start() {
      looker.start();
    }

    /** Stops looking; the lists are complete after this. */
    void stop() throws Exception {
      looker.interrupt();
      looker.join();
      if (failure != null) {
        throw new AssertionError("pw-top could not be read", failure);
      }
    }

    private void lookEvery() {
      try {
        while (true) {
          Thread.sleep(EVERY_MILLIS);
          List<String> lines = session.run("tmux", "-S", socket, "capture-pane", "-p").lines()
              .map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
          lines.stream().filter(l -> l.endsWith(" " + PipeWireSink.NODE_NAME)).findFirst().ifPresent(line -> {
            node.add(line.replaceAll(" +", " "));
            screen.clear();
            screen.addAll(lines);
          });
        }
      } catch (InterruptedException e) {
        // asked to stop
      } catch (Exception | AssertionError e) {
        failure = e;
      }
    }

    @Override
    public void close() throws Exception {
      looker.interrupt();
      session.run("tmux", "-S", socket, "kill-server");
    }
  }
}
