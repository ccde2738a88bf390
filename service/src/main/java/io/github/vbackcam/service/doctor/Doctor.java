package io.github.vbackcam.service.doctor;

import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.source.CameraSource;
import io.github.vbackcam.service.config.OutputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The checks behind {@code vbackcam doctor}. Every place it looks is injectable ({@link Places}, the PipeWire
 * probe), so tests run it against a fake sysfs, module tree, DKMS tree and PipeWire.
 */
public final class Doctor {

  /** One line of the report. {@code essential} failures make doctor exit non-zero. */
  public record Check(String name, boolean ok, boolean essential, String message) {
    @Override
    public String toString() {
      return (ok ? "ok   " : essential ? "FAIL " : "warn ") + name + ": " + message;
    }
  }

  /**
   * Where doctor looks.
   *
   * @param sys the sysfs root ({@code /sys})
   * @param dev the device directory ({@code /dev})
   * @param modules the module trees, one per kernel ({@code /lib/modules})
   * @param dkms DKMS's tree for the module ({@code /var/lib/dkms/v4l2loopback})
   * @param setup the file vbackcam-loopback records its outcome in ({@link LoopbackSetup#DEFAULT})
   * @param mokCertificate the key DKMS signs with, for the Secure Boot hint ({@code /var/lib/dkms/mok.pub})
   * @param kernel the running kernel's release ({@code uname -r})
   */
  public record Places(Path sys, Path dev, Path modules, Path dkms, Path setup, Path mokCertificate, String kernel) {}

  /**
   * The configuration's outputs: {@code output} names a v4l2loopback device, a Y4M file or {@code pipewire} (the
   * node alone), and {@code pipewire} says whether the node is published beside it. Told apart as the service does.
   */
  public record Config(String output, boolean pipewire) {
    boolean nodeOnly() {
      return OutputKind.of(output) == OutputKind.PIPEWIRE_NODE;
    }

    boolean file() {
      return OutputKind.of(output) == OutputKind.Y4M_FILE;
    }

    boolean device() {
      return OutputKind.of(output) == OutputKind.LOOPBACK_DEVICE;
    }
  }

  /** The device vbackcam-loopback makes, checked (as a warning only) when the output is not a device. */
  static final String DEFAULT_DEVICE = "/dev/video20";
  /** The node's name, as PipeWire lists it. */
  static final String NODE = "PipeWire node vbackcam";
  /** The checks of the loopback device whose failure means a run would not have it live, the cause first. */
  private static final List<String> DEVICE_USABLE = List.of("setup", "device", "label", "permissions");

  private final Places at;
  private final Config config;
  private final Supplier<PipeWireProbe> pipewire;
  private final Supplier<ComputeDevice> device;
  private final Supplier<String> secureBoot;
  private final Function<Path, String> signer;

  /**
   * @param secureBoot the output of {@code mokutil --sb-state}, or null when it cannot be run
   * @param signer the signer of a module file ({@code modinfo -F signer}), or null when it is not signed
   * @param pipewire libpipewire and its daemon as a run would find them ({@link PipeWireProbe#probe})
   */
  public Doctor(Places at, Config config, Supplier<ComputeDevice> device, Supplier<String> secureBoot,
      Function<Path, String> signer, Supplier<PipeWireProbe> pipewire) {
    this.at = at;
    this.config = config;
    this.device = device;
    this.secureBoot = secureBoot;
    this.signer = signer;
    this.pipewire = pipewire;
  }

  public List<Check> run() {
    List<Check> loopback = loopback(config.device() ? config.output() : DEFAULT_DEVICE);
    // With a file or the node alone as the output, the module is not needed: its problems are only worth knowing.
    List<Check> checks = new ArrayList<>(config.device() ? loopback : loopback.stream()
        .map(c -> new Check(c.name(), c.ok(), false, c.message())).toList());
    var camera = CameraSource.find(at.sys().resolve("class/video4linux"));
    checks.add(new Check("camera", camera.isPresent(), false, camera.map(c -> "camera " + c + " found")
        .orElse("no camera found: the service will show the bundled sample portrait (or set camera= in the"
            + " configuration)")));
    PipeWireProbe pw = config.pipewire() ? pipewire.get() : null;
    checks.add(pipeWire(pw));
    checks.add(outputs(loopback, pw));
    ComputeDevice compute = device.get();
    checks.add(new Check("inference", true, false, compute.toString()));
    return checks;
  }

  /** Whether a run would publish the PipeWire node. */
  private Check pipeWire(PipeWireProbe pw) {
    if (pw == null) {
      return new Check("pipewire", true, false, "off (pipewire = no in the configuration): vbackcam run publishes"
          + " no PipeWire camera node");
    }
    if (pw.version().isEmpty()) {
      return new Check("pipewire", false, config.nodeOnly(), pw.problem() + ": vbackcam run publishes no PipeWire"
          + " camera node" + (config.nodeOnly() ? ", and with output = pipewire it does not start" : ""));
    }
    if (!pw.answers()) {
      return new Check("pipewire", false, false, "libpipewire " + pw.version() + " loads, but " + pw.problem()
          + (config.nodeOnly() ? ": vbackcam run waits for it and publishes the node when it starts"
              : ": vbackcam run publishes no camera node (start PipeWire before vbackcam)"));
    }
    return new Check("pipewire", true, false, "libpipewire " + pw.version() + " loads and the daemon at "
        + pw.daemon() + " answers: vbackcam run publishes the camera node 'vbackcam', which portal apps (Firefox,"
        + " GNOME Snapshot, OBS) list");
  }

  /** Which outputs a run with this configuration would have live now, and why each missing one is missing. */
  private Check outputs(List<Check> loopback, PipeWireProbe pw) {
    List<String> live = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (config.file()) {
      OutputKind.fileProblem(config.output()).ifPresentOrElse(missing::add,
          () -> live.add(config.output() + " (Y4M file)"));
    } else if (config.device()) {
      loopback.stream().filter(c -> !c.ok() && DEVICE_USABLE.contains(c.name())).findFirst().ifPresentOrElse(
          c -> missing.add(c.name().equals("setup") ? config.output() + " cannot be used: " + c.message()
              : c.message()),
          () -> live.add(config.output() + " (v4l2loopback)"));
    }
    if (pw == null) {
      missing.add(NODE + ": pipewire = no");
    } else if (pw.answers()) {
      live.add(NODE);
    } else {
      missing.add(NODE + ": " + pw.problem());
    }
    String not = missing.isEmpty() ? "" : "; not: " + String.join("; ", missing);
    return live.isEmpty()
        ? new Check("outputs", false, true, "vbackcam run would have no live output: " + String.join("; ", missing))
        : new Check("outputs", true, true, "vbackcam run would have live: " + String.join(", ", live) + not);
  }

  /** The checks of the v4l2loopback module and of {@code output}, the device it makes. */
  private List<Check> loopback(String output) {
    List<Check> checks = new ArrayList<>();
    Optional<Path> built = moduleFor(at.kernel());
    List<String> kernels = kernelsWithModule();
    checks.add(built.isPresent()
        ? new Check("build", true, true, "v4l2loopback is built for kernels " + String.join(", ", kernels)
            + " (running: " + at.kernel() + ")")
        : new Check("build", false, true, "v4l2loopback is not built for the running kernel " + at.kernel()
            + (kernels.isEmpty() ? "" : " (built for " + String.join(", ", kernels) + ")") + buildHint()));

    Path module = at.sys().resolve("module/v4l2loopback");
    boolean loaded = Files.isDirectory(module);
    checks.add(new Check("module", loaded, true, loaded
        ? "v4l2loopback is loaded" + read(module.resolve("version")).map(v -> " (version " + v + ")").orElse("")
        : "v4l2loopback is not loaded: sudo systemctl restart vbackcam-loopback"));

    String signedBy = built.map(signer).orElse(null);
    boolean unsignedLoaded = loaded && read(module.resolve("taint")).map(t -> t.contains("E")).orElse(false);
    if (built.isPresent() || loaded) {
      boolean signed = signedBy != null && !unsignedLoaded;
      checks.add(new Check("signature", signed, false, signed ? "the module is signed by " + signedBy
          : "the module is not signed: with Secure Boot on, the kernel refuses it"));
    }
    String sb = secureBoot.get();
    boolean secureBootOn = sb != null && sb.contains("SecureBoot enabled");
    Optional<LoopbackSetup> setup = LoopbackSetup.read(at.setup());
    if (secureBootOn && !loaded) {
      checks.add(new Check("secure-boot", false, true, "Secure Boot is on and v4l2loopback is not loaded: enrol the"
          + " key DKMS signs with once: sudo mokutil --import " + at.mokCertificate() + ", reboot, and choose"
          + " \"Enroll MOK\" in the blue MOK manager screen"));
    } else {
      checks.add(new Check("secure-boot", true, false, sb == null ? "mokutil is not installed: Secure Boot state"
          + " unknown" : secureBootOn ? "Secure Boot is on and the module loaded" : sb.trim()));
    }
    setup.filter(s -> !s.ok()).ifPresent(s -> checks.add(new Check("setup", false, true, s.detail())));

    String name = Path.of(output).getFileName().toString();
    Path devNode = at.dev().resolve(name);
    boolean present = Files.exists(devNode);
    checks.add(new Check("device", present, true, present ? output + " is present"
        : output + " is missing: sudo systemctl restart vbackcam-loopback (journalctl -u vbackcam-loopback says why)"));
    Path node = at.sys().resolve("class/video4linux").resolve(name);
    Optional<String> label = read(node.resolve("name"));
    label.ifPresent(l -> checks.add(l.equals("vbackcam")
        ? new Check("label", true, true, "apps show it as 'vbackcam'")
        : new Check("label", false, true, output + " is taken by '" + l + "'" + (isVirtual(node)
            ? ", another program's v4l2loopback device" : ", which is not a v4l2loopback device")
            + ": change video_nr in /usr/lib/modprobe.d/vbackcam-v4l2loopback.conf (copy it to /etc/modprobe.d)"
            + " and output= in /etc/vbackcam/vbackcam.conf")));
    setup.filter(LoopbackSetup::ok).ifPresent(s -> {
      boolean exclusive = s.detail().contains("exclusive_caps=1");
      checks.add(new Check("exclusive_caps", exclusive, true, exclusive
          ? "exclusive_caps is on (Chrome, Zoom and Teams see the camera)"
          : "exclusive_caps is off: Chrome, Zoom and Teams will not list the camera (" + s.detail() + ")"));
    });
    if (present) {
      boolean rw = Files.isReadable(devNode) && Files.isWritable(devNode);
      checks.add(new Check("permissions", rw, true, rw ? "you can read and write " + output
          : "you cannot open " + output + " read-write: add yourself to its group (usually 'video')"));
    }
    return checks;
  }

  /** The v4l2loopback module file installed for KERNEL (DKMS's extra/ or updates/, or RPM Fusion's kmod), if any. */
  private Optional<Path> moduleFor(String kernel) {
    Path dir = at.modules().resolve(kernel);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir, 6)) {
      return files.filter(f -> f.getFileName().toString().matches("v4l2loopback\\.ko(\\.xz|\\.zst|\\.gz)?"))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private List<String> kernelsWithModule() {
    try (Stream<Path> dirs = Files.list(at.modules())) {
      return dirs.map(d -> d.getFileName().toString()).filter(k -> moduleFor(k).isPresent()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Where DKMS's build log for the running kernel is, or what to install. */
  private String buildHint() {
    try (Stream<Path> logs = Files.list(at.dkms())) {
      Optional<Path> log = logs.map(v -> v.resolve("build/make.log")).filter(Files::isRegularFile).findFirst();
      if (log.isPresent()) {
        return ": DKMS's build failed, see " + log.get() + " (sudo dkms autoinstall -k " + at.kernel() + " retries)";
      }
    } catch (IOException e) {
      // No DKMS tree: the module comes from elsewhere (RPM Fusion's kmod) or was never registered.
    }
    return ": install kernel-devel-" + at.kernel() + " and run: sudo dkms autoinstall -k " + at.kernel();
  }

  /** A v4l2loopback device is a virtual video4linux device (no bus behind it). */
  private static boolean isVirtual(Path classLink) {
    try {
      return classLink.toRealPath().toString().contains("/devices/virtual/");
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
