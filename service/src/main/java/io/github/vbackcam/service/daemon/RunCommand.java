package io.github.vbackcam.service.daemon;

import io.github.vbackcam.service.Signals;
import io.github.vbackcam.service.config.ConfigFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vbackcam run}: the camera service, until SIGTERM, SIGINT or SIGHUP (then exit status 0). */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs the camera service: webcam in, background replaced, virtual camera out, controlled over"
        + " D-Bus (see vbackcamctl).",
        "Settings come from /etc/vbackcam/vbackcam.conf, then ~/.config/vbackcam/vbackcam.conf, then the"
            + " remembered choices, then these options."})
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--camera", paramLabel = "DEVICE|FILE",
      description = "Camera device (/dev/videoN), or a video or image file played as a camera (paced, looped)."
          + " Default: the first camera that is not a v4l2loopback device, else the bundled sample portrait.")
  String camera;

  @Option(names = "--output", paramLabel = "DEVICE|FILE|pipewire",
      description = "v4l2loopback device (default /dev/video20), a .y4m file, or pipewire: the PipeWire camera node"
          + " alone, no kernel module needed. Unless the pipewire setting is no, the node is also published beside"
          + " a device or file while PipeWire runs.")
  String output;

  @Option(names = "--config", paramLabel = "FILE", description = "An extra configuration file, read last.")
  Path config;

  @Option(names = "--size", paramLabel = "WxH", description = "Output size (default 1280x720).")
  String size;

  @Option(names = "--model", paramLabel = "MODEL", description = "Segmentation model (default selfie).")
  String model;

  @Option(names = "--engine", paramLabel = "ENGINE",
      description = "Inference engine: auto, onnxruntime or tensorflow (default auto).")
  String engine;

  @Option(names = "--stats", paramLabel = "FILE",
      description = "Write frame rate, latency (median, p99), drops and CPU time to FILE every second.")
  Path stats;

  @Override
  public Integer call() throws Exception {
    List<Path> files = new ArrayList<>(ConfigFiles.defaultFiles());
    if (config != null) {
      if (!java.nio.file.Files.isRegularFile(config)) {
        throw new java.nio.file.NoSuchFileException(config.toString(), null, "no such configuration file");
      }
      files.add(config);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    put(overrides, "camera", camera);
    put(overrides, "output", output);
    put(overrides, "size", size);
    put(overrides, "model", model);
    put(overrides, "engine", engine);
    // SIGTERM (systemctl stop), Ctrl-C and SIGHUP (the terminal closed) end the service as a clean exit, status 0:
    // the signal only wakes this thread, which closes the service in order (no JVM shutdown racing the frames still
    // in flight). Taken before anything is read, so that a signal during the start is never the JVM's default.
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTerminate(stop::countDown);
    Signals.onInterrupt(stop::countDown);
    Signals.onHangup(stop::countDown);
    Daemon.Options options = new Daemon.Options(files, ConfigFiles.stateFile(), overrides, stats);
    // The start (reading the settings, loading the native libraries, the model and the background) runs on a thread
    // of its own, so that a stop is answered however long it takes on a busy machine.
    CompletableFuture<Daemon> started = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        Daemon daemon = new Daemon(options);
        try {
          daemon.start();
        } catch (Throwable e) {
          daemon.close();
          throw e;
        }
        started.complete(daemon);
      } catch (Throwable e) {
        started.completeExceptionally(e);
      }
    }, "vbackcam-start");
    starter.setDaemon(true); // a start still loading when a stop comes must not keep the JVM
    starter.start();
    while (!stop.await(100, TimeUnit.MILLISECONDS) && !started.isDone()) {
      // Waits for a stop or for the start to end, whichever comes first.
    }
    if (!started.isDone()) {
      // A stop during the start: loads are bounded, but a first model load may still take a while; the service
      // has written no frame and holds nothing the exit does not release.
      try {
        started.get(START_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.info("stopping before the start finished");
        return 0;
      } catch (ExecutionException e) {
        // Reported below, from the completed start.
      }
    }
    Daemon daemon;
    try {
      daemon = started.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    try {
      stop.await();
      LOG.info("stopping");
    } finally {
      daemon.close();
    }
    return 0;
  }

  /** How long a stop during the start waits for the start to end before the process exits without it. */
  private static final Duration START_GRACE = Duration.ofSeconds(2);

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
