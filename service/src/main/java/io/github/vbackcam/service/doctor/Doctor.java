package io.github.vbackcam.service.doctor;

import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.source.CameraSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks behind {@code vbackcam doctor}. Every place it looks is injectable ({@code sys}, {@code dev}), so tests
 * run it against a fake sysfs.
 */
public final class Doctor {

  /** One line of the report. {@code essential} failures make doctor exit non-zero. */
  public record Check(String name, boolean ok, boolean essential, String message) {
    @Override
    public String toString() {
      return (ok ? "ok   " : essential ? "FAIL " : "warn ") + name + ": " + message;
    }
  }

  private final Path sys;
  private final Path dev;
  private final String output;
  private final Supplier<ComputeDevice> device;
  private final Supplier<String> secureBoot;

  /**
   * @param sys the sysfs root ({@code /sys})
   * @param dev the device directory ({@code /dev})
   * @param output the configured output device, e.g. {@code /dev/video20}
   * @param secureBoot the output of {@code mokutil --sb-state}, or null when it cannot be run
   */
  public Doctor(Path sys, Path dev, String output, Supplier<ComputeDevice> device, Supplier<String> secureBoot) {
    this.sys = sys;
    this.dev = dev;
    this.output = output;
    this.device = device;
    this.secureBoot = secureBoot;
  }

  public List<Check> run() {
    List<Check> checks = new ArrayList<>();
    Path module = sys.resolve("module/v4l2loopback");
    boolean loaded = Files.isDirectory(module);
    checks.add(new Check("module", loaded, true, loaded
        ? "v4l2loopback is loaded" + read(module.resolve("version")).map(v -> " (version " + v + ")").orElse("")
        : "v4l2loopback is not loaded: sudo modprobe v4l2loopback (the package configures /dev/video20)"));
    if (!loaded) {
      String sb = secureBoot.get();
      if (sb != null && sb.toLowerCase().contains("enabled")) {
        checks.add(new Check("secure-boot", false, true, "Secure Boot is enabled: the module must be signed with"
            + " a key enrolled with mokutil --import (DKMS prints the key's path), or it will not load"));
      } else {
        checks.add(new Check("secure-boot", sb != null, false, sb == null
            ? "mokutil is not installed, so the Secure Boot state is unknown; if it is on, the module must be signed"
            : sb.trim()));
      }
    }
    String name = Path.of(output).getFileName().toString();
    Path devNode = dev.resolve(name);
    boolean present = Files.exists(devNode);
    checks.add(new Check("device", present, true, present ? output + " is present"
        : output + " is missing: load v4l2loopback with video_nr=" + name.replace("video", "")));
    if (loaded) {
      String caps = read(module.resolve("parameters/exclusive_caps")).orElse("?");
      boolean exclusive = caps.startsWith("Y") || caps.startsWith("1");
      checks.add(new Check("exclusive_caps", exclusive, true, exclusive
          ? "exclusive_caps is on (Chrome, Zoom and Teams see the camera)"
          : "exclusive_caps is '" + caps + "': Chrome, Zoom and Teams will not list the camera; load the module"
              + " with exclusive_caps=1"));
    }
    Path label = sys.resolve("class/video4linux").resolve(name).resolve("name");
    var text = read(label);
    checks.add(new Check("label", text.isPresent(), false, text.map(t -> "apps show it as '" + t + "'")
        .orElse("no label for " + name + " (is it a v4l2loopback device?)")));
    if (present) {
      boolean rw = Files.isReadable(devNode) && Files.isWritable(devNode);
      checks.add(new Check("permissions", rw, true, rw ? "you can read and write " + output
          : "you cannot open " + output + " read-write: add yourself to its group (usually 'video')"));
    }
    var camera = CameraSource.find(sys.resolve("class/video4linux"));
    checks.add(new Check("camera", camera.isPresent(), false, camera.map(c -> "camera " + c + " found")
        .orElse("no camera found: the service will show the bundled sample portrait (or set camera= in the"
            + " configuration)")));
    ComputeDevice compute = device.get();
    checks.add(new Check("inference", true, false, compute.toString()));
    return checks;
  }

  private static java.util.Optional<String> read(Path file) {
    try {
      return java.util.Optional.of(Files.readString(file).trim());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
