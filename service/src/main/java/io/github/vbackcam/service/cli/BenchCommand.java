package io.github.vbackcam.service.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import io.github.vbackcam.core.EngineListener;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Render;
import io.github.vbackcam.core.Step;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.EngineChoice;
import io.github.vbackcam.core.segment.ModelCatalog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vbackcam bench}: the whole render pipeline on a looped video into a null sink, with throughput, CPU time,
 * memory and per-step medians written as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the engine: fps, CPU per frame, memory and per-step medians, as JSON.")
public final class BenchCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "VIDEO", description = "Video to loop.")
  Path input;

  @Option(names = "--size", paramLabel = "WxH", description = "Frame size (default: the input's).")
  String size;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "600", description = "Frames (default 600).")
  long frames;

  @Option(names = "--json", required = true, paramLabel = "FILE", description = "Where to write the results.")
  Path json;

  @Option(names = "--rss-every", paramLabel = "N", defaultValue = "1000",
      description = "Sample resident memory every N frames (default 1000).")
  long rssEvery;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
      description = "Inference engine: auto (TensorFlow on a usable GPU, else ONNX Runtime), onnxruntime or "
          + "tensorflow (default auto).")
  String engine;

  @Mixin
  EffectOptions effect;

  @Override
  public Integer call() throws Exception {
    if (frames < 1) {
      throw new IllegalArgumentException("--frames must be at least 1");
    }
    io.github.vbackcam.core.sink.Sinks.checkWritable(json);
    Effect chosen = effect.effect();
    Render.Job job = new Render.Job(input, null, size != null ? VideoSize.parse(size) : null, chosen,
        effect.mask(false), effect.model, frames, true);
    ModelCatalog catalog = Engines.catalog(engine);
    Recorder recorder = new Recorder(rssEvery);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    Render.run(job, catalog, recorder);
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - cpu0;
    String report = recorder.json(effect.model, catalog.engine(), chosen, wall, cpu);
    Files.writeString(json, report);
    LOG.info("Bench results in {}:\n{}", json, report);
    return 0;
  }

  /** Collects per-frame step times and memory samples from the pipeline's sink thread. */
  static final class Recorder extends EngineListener {
    private final long rssEvery;
    private final List<long[]> steps = new ArrayList<>();
    private final Map<Long, Double> rss = new LinkedHashMap<>();
    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long firstEnd;
    private long lastEnd;
    private long firstCpu;
    private long lastCpu;
    private long firstFrameUptimeMillis;
    private VideoSize frameSize;

    Recorder(long rssEvery) {
      this.rssEvery = rssEvery;
    }

    @Override
    public synchronized void frameEnd(Frame frame) {
      long[] t = new long[Step.values().length];
      for (Step s : Step.values()) {
        t[s.ordinal()] = frame.stepNanos(s);
      }
      steps.add(t);
      long now = System.nanoTime();
      long cpu = os.getProcessCpuTime();
      if (firstEnd == 0) {
        firstEnd = now;
        firstCpu = cpu;
        firstFrameUptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        frameSize = new VideoSize(frame.width(), frame.height());
      }
      lastEnd = now;
      lastCpu = cpu;
      if (rssEvery > 0 && steps.size() % rssEvery == 0) {
        rss.put((long) steps.size(), Memory.rssMb());
      }
    }

    synchronized String json(String model, EngineChoice engine, Effect background, long wallNanos, long cpuNanos) {
      int n = steps.size();
      double steadyFps = n > 1 ? (n - 1) / ((lastEnd - firstEnd) / 1e9) : 0;
      StringBuilder sb = new StringBuilder("{\n");
      field(sb, "model", string(model));
      field(sb, "engine", string(engine.engine().userName()));
      field(sb, "engineReason", string(engine.reason()));
      field(sb, "background", string(background));
      field(sb, "size", string(frameSize));
      field(sb, "frames", String.valueOf(n));
      field(sb, "fps", num(steadyFps));
      field(sb, "wallSeconds", num(wallNanos / 1e9));
      field(sb, "cpuMsPerFrame", num(cpuNanos / 1e6 / Math.max(1, n)));
      // The same without model loading and warm-up: CPU time between the first and the last frame written.
      field(sb, "steadyCpuMsPerFrame", num(n > 1 ? (lastCpu - firstCpu) / 1e6 / (n - 1) : 0));
      // The cold start: from the JVM's start (before Java's own start-up, the model and the camera) to the first
      // frame written, in wall time and in the process's CPU time.
      field(sb, "firstFrameSeconds", num(firstFrameUptimeMillis / 1e3));
      field(sb, "firstFrameCpuSeconds", num(firstCpu / 1e9));
      String archive = classDataArchive();
      field(sb, "classDataArchive", archive == null ? "null" : string(archive));
      field(sb, "cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
      field(sb, "peakRssMb", num(Memory.peakRssMb()));
      StringBuilder samples = new StringBuilder("{");
      rss.forEach((k, v) -> samples.append(samples.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
          .append(num(v)));
      field(sb, "rssMbAtFrame", samples.append('}').toString());
      StringBuilder medians = new StringBuilder("{");
      for (Step s : Step.values()) {
        long[] values = steps.stream().mapToLong(t -> t[s.ordinal()]).sorted().toArray();
        double median = values.length == 0 ? 0 : values[values.length / 2] / 1e6;
        medians.append(medians.length() > 1 ? ", " : "").append('"').append(s.label()).append("\": ")
            .append(num(median));
      }
      sb.append("  \"stages\": ").append(medians.append('}')).append("\n}\n");
      return sb.toString();
    }

    /**
     * The class-data archive this JVM mapped (the launcher's, rpm/vbackcam.sh), or null: a start's CPU depends on
     * it. An archive the JVM refused leaves sharing off altogether ("sharing" missing from java.vm.info), as the JDK
     * falls back to its own archive only when none is named.
     */
    static String classDataArchive() {
      String file = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("SharedArchiveFile").getValue();
      return !file.isEmpty() && System.getProperty("java.vm.info", "").contains("sharing") ? file : null;
    }

    private static void field(StringBuilder sb, String name, String value) {
      sb.append("  \"").append(name).append("\": ").append(value).append(",\n");
    }

    /** A JSON string of the value's text: quoted and escaped (a model's or background's path may hold anything). */
    private static String string(Object value) {
      StringBuilder out = new StringBuilder("\"");
      for (char c : String.valueOf(value).toCharArray()) {
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      return out.append('"').toString();
    }

    private static String num(double v) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
  }

  /** Resident memory from /proc (Linux). */
  static final class Memory {
    private Memory() {}

    static double rssMb() {
      return statusKb("VmRSS:") / 1024.0;
    }

    static double peakRssMb() {
      return statusKb("VmHWM:") / 1024.0;
    }

    private static long statusKb(String key) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith(key)) {
            return Long.parseLong(Arrays.stream(line.split("\\s+")).skip(1).findFirst().orElse("0"));
          }
        }
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
      return -1;
    }
  }
}
