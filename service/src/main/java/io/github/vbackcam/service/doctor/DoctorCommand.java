package io.github.vbackcam.service.doctor;

import io.github.vbackcam.core.device.DeviceProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vbackcam doctor}: checks what the camera service needs, one line per check. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Checks the v4l2loopback module, the virtual camera device, permissions, the camera and the GPU;"
        + " exits 1 when something essential is missing.")
public final class DoctorCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", paramLabel = "DEVICE", defaultValue = "/dev/video20",
      description = "The virtual camera device (default ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--sys", hidden = true, defaultValue = "/sys")
  Path sys;

  @Option(names = "--dev", hidden = true, defaultValue = "/dev")
  Path dev;

  @Override
  public Integer call() {
    var checks = new Doctor(sys, dev, output, DeviceProbe::probe, DoctorCommand::secureBoot).run();
    java.io.PrintWriter out = spec.commandLine().getOut();
    checks.forEach(out::println);
    out.flush();
    return checks.stream().anyMatch(c -> !c.ok() && c.essential()) ? 1 : 0;
  }

  static String secureBoot() {
    try {
      Process p = new ProcessBuilder("mokutil", "--sb-state").redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
