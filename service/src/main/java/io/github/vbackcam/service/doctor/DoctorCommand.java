package io.github.vbackcam.service.doctor;

import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.service.config.ConfigFiles;
import io.github.vbackcam.service.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vbackcam doctor}: checks what the camera service needs, one line per check. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Checks the v4l2loopback module (built for which kernels, loaded, signed), the virtual camera device,"
        + " permissions, the camera, PipeWire (library, daemon), which outputs a run with the configuration would have"
        + " live, and the GPU; exits 1 when something essential is missing.")
public final class DoctorCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", paramLabel = "OUTPUT",
      description = "The output to check: a v4l2loopback device, a .y4m file or pipewire (default: output= in the"
          + " configuration, else /dev/video20).")
  String output;

  @Option(names = "--sys", hidden = true, defaultValue = "/sys")
  Path sys;

  @Option(names = "--dev", hidden = true, defaultValue = "/dev")
  Path dev;

  @Override
  public Integer call() {
    var places = new Doctor.Places(sys, dev, Path.of("/lib/modules"), Path.of("/var/lib/dkms/v4l2loopback"),
        LoopbackSetup.DEFAULT, mokCertificate(), System.getProperty("os.version"));
    Settings settings = new Settings();
    List<Doctor.Check> checks = new ArrayList<>();
    for (Path file : ConfigFiles.defaultFiles()) {
      try {
        ConfigFiles.apply(file, settings);
      } catch (IOException e) {
        checks.add(new Doctor.Check("config", false, true, e.getMessage() + " (vbackcam run refuses to start)"));
      }
    }
    var config = new Doctor.Config(output != null ? output : Settings.expandHome(settings.get("output")),
        settings.yes("pipewire"));
    checks.addAll(new Doctor(places, config, DeviceProbe::probe, DoctorCommand::secureBoot, DoctorCommand::signer,
        PipeWireProbe::probe).run());
    java.io.PrintWriter out = spec.commandLine().getOut();
    checks.forEach(out::println);
    out.flush();
    return checks.stream().anyMatch(c -> !c.ok() && c.essential()) ? 1 : 0;
  }

  static String secureBoot() {
    return output("mokutil", "--sb-state");
  }

  /** The module file's signer, or null when it has none (or modinfo is missing). */
  static String signer(Path module) {
    String s = output("modinfo", "-F", "signer", module.toString());
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** DKMS's signing certificate: mok_certificate= in its framework configuration, else its default. */
  static Path mokCertificate() {
    try {
      var line = java.nio.file.Files.readAllLines(Path.of("/etc/dkms/framework.conf")).stream()
          .filter(l -> l.startsWith("mok_certificate=")).reduce((a, b) -> b);
      if (line.isPresent()) {
        return Path.of(line.get().substring("mok_certificate=".length()).trim());
      }
    } catch (IOException e) {
      // No DKMS configuration: its default below.
    }
    return Path.of("/var/lib/dkms/mok.pub");
  }

  /** A command's standard output, or null when it cannot be run within 5 s. */
  private static String output(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // A line or two of output: it fits the pipe, so waiting first cannot block the command.
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
