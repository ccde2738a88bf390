package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSink;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.segment.EllipseSegmenter;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.core.sink.ConsumerMonitor;
import io.github.vbackcam.core.sink.ConsumerSum;
import io.github.vbackcam.core.sink.LoopbackSink;
import io.github.vbackcam.core.sink.PipeWireSink;
import io.github.vbackcam.core.sink.TeeSink;
import io.github.vbackcam.core.sink.VideoFileSink;
import io.github.vbackcam.service.config.OutputKind;
import io.github.vbackcam.service.doctor.LoopbackSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's choices of parts, each in one list or one line: which output a setting names, the PipeWire camera
 * node beside it, and the fakes the tests put in with environment variables ({@code VBACKCAM_FAKE_CONSUMERS=FILE}:
 * the consumer count of all outputs read from a file; {@code VBACKCAM_FAKE_SEGMENTER}: an ellipse instead of a
 * model, for the system test under CPU emulation, where loading TensorFlow takes minutes;
 * {@code VBACKCAM_FAKE_LOOPBACK_SETUP=FILE}: vbackcam-loopback's record read from a file instead of
 * {@link LoopbackSetup#DEFAULT}).
 */
final class Backends {

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  /**
   * An opened output: where frames go, how its watchers are counted, and why the v4l2loopback device it names
   * cannot be used (one line; empty when it can).
   */
  record Output(FrameSink sink, ConsumerMonitor consumers, String missingDevice) {
    Output(FrameSink sink, ConsumerMonitor consumers) {
      this(sink, consumers, "");
    }
  }

  private Backends() {}

  /**
   * Opens the output the setting names and, when {@code pipewire} is on, the PipeWire node beside it (frames go to
   * both, and the engine idles only while neither has a consumer); with the fake consumer count when the tests ask
   * for it. A node that cannot be published is one log line, never a failure: the named output runs alone. A
   * v4l2loopback device that cannot be used is one log line too ({@link #whyMissing}): frames go to the node
   * alone, or nowhere, and the service stays up to say why.
   */
  static Output output(String output, boolean pipewire, VideoSize size, double frameRate) throws IOException {
    OutputKind kind = OutputKind.of(output);
    if (kind == OutputKind.PIPEWIRE_NODE && !pipewire) {
      throw new IllegalArgumentException("output = pipewire but pipewire = no: set pipewire = yes, or name a"
          + " v4l2loopback device or a .y4m file as the output");
    }
    Output opened = switch (kind) {
      case PIPEWIRE_NODE -> pipeWireOnly(size, frameRate);
      case Y4M_FILE -> y4mFile(output, size, frameRate);
      case LOOPBACK_DEVICE -> loopback(output, size, frameRate);
    };
    if (pipewire && kind != OutputKind.PIPEWIRE_NODE) {
      opened = withNode(opened, size, frameRate);
    }
    String fake = System.getenv("VBACKCAM_FAKE_CONSUMERS");
    if (fake == null || fake.isBlank()) {
      return opened;
    }
    opened.consumers().close();
    return new Output(opened.sink(), ConsumerMonitor.fromFile(Path.of(fake)), opened.missingDevice());
  }

  /** The model catalog, or the ellipse fake when the tests ask for it. */
  static SegmenterFactory segmenters(SegmenterFactory catalog) {
    return System.getenv("VBACKCAM_FAKE_SEGMENTER") != null ? name -> new EllipseSegmenter() : catalog;
  }

  private static Output withNode(Output named, VideoSize size, double frameRate) {
    PipeWireSink node;
    try {
      node = PipeWireSink.open(size, frameRate);
    } catch (IOException e) {
      LOG.warn("no PipeWire camera node: {}; writing {} alone", e.getMessage(), named.sink().describe());
      return named;
    }
    return new Output(new TeeSink(List.of(named.sink(), node)),
        new ConsumerSum(List.of(named.consumers(), node.consumerMonitor())), named.missingDevice());
  }

  private static Output pipeWireOnly(VideoSize size, double frameRate) throws IOException {
    PipeWireSink node = PipeWireSink.openWaiting(size, frameRate);
    return new Output(node, node.consumerMonitor());
  }

  private static Output y4mFile(String output, VideoSize size, double frameRate) throws IOException {
    OutputKind.fileProblem(output).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    return new Output(new VideoFileSink(Path.of(output), size, frameRate),
        ConsumerMonitor.alwaysWatched("always on: the output is a file"));
  }

  private static Output loopback(String output, VideoSize size, double frameRate) {
    try {
      LoopbackSink loopback = new LoopbackSink(output, size, frameRate);
      try {
        return new Output(loopback, loopback.consumerMonitor());
      } catch (IOException e) {
        loopback.close(); // its device and keep-alive thread
        throw e;
      }
    } catch (IOException e) {
      String why = whyMissing(output, e);
      LOG.warn("no virtual camera: {}", why);
      return new Output(new Nowhere(output), ConsumerMonitor.fixed(0, "none: " + output + " is missing"), why);
    }
  }

  /**
   * Why {@code output} cannot be used, in one line: the problem vbackcam-loopback recorded at boot when there is one
   * (the Secure Boot key to enroll, the module missing for this kernel), as it names the cause where the device's
   * error only names the symptom; else the device's error with its advice.
   */
  static String whyMissing(String output, IOException error) {
    String fake = System.getenv("VBACKCAM_FAKE_LOOPBACK_SETUP");
    Path record = fake == null || fake.isBlank() ? LoopbackSetup.DEFAULT : Path.of(fake);
    return LoopbackSetup.read(record).filter(s -> !s.ok() && !s.detail().isBlank())
        .map(s -> output + " cannot be used: " + s.detail()).orElse(error.getMessage());
  }


  /** Where frames go while the device is missing: nowhere (the engine idles, as no one watches it). */
  private record Nowhere(String device) implements FrameSink {
    @Override
    public void write(Frame frame) {}

    @Override
    public String describe() {
      return device + " (missing)";
    }

    @Override
    public void close() {}
  }
}
