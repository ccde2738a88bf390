package io.github.vbackcam.service.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.device.ComputeDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vbackcam doctor against a fake sysfs, /dev, module tree, DKMS tree and vbackcam-loopback record. */
class DoctorTest {

  private static final String KERNEL = "6.19.2-100.fc43.x86_64";

  @TempDir
  Path root;

  private String signer = "DKMS module signing key";

  private Path sys() {
    return root.resolve("sys");
  }

  private void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /**
   * DKMS built the module for the running kernel and one other, vbackcam-loopback made /dev/video20 "vbackcam",
   * and a USB camera is at video0 (plus its metadata node video1).
   */
  private void healthy() throws IOException {
    write(root.resolve("modules/" + KERNEL + "/extra/v4l2loopback.ko.xz"), "");
    write(root.resolve("modules/6.18.1-200.fc43.x86_64/extra/v4l2loopback.ko.xz"), "");
    Files.createDirectories(root.resolve("modules/6.17.0-1.fc43.x86_64/kernel"));
    write(sys().resolve("module/v4l2loopback/version"), "0.15.4\n");
    write(sys().resolve("module/v4l2loopback/taint"), "O\n");
    write(root.resolve("run/loopback"), "ok /dev/video20 'vbackcam' exclusive_caps=1 max_buffers=2 (v4l2loopback 0.15.4)\n");
    Path virtual = sys().resolve("devices/virtual/video4linux/video20");
    write(virtual.resolve("name"), "vbackcam\n");
    Path usb = sys().resolve("devices/pci0000:00/usb1/1-1/video4linux/video0");
    write(usb.resolve("name"), "Integrated Camera\n");
    write(usb.resolve("index"), "0\n");
    Files.createDirectories(usb.resolve("device"));
    Path meta = sys().resolve("devices/pci0000:00/usb1/1-1/video4linux/video1");
    write(meta.resolve("index"), "1\n");
    Files.createDirectories(meta.resolve("device"));
    Path cls = sys().resolve("class/video4linux");
    Files.createDirectories(cls);
    Files.createSymbolicLink(cls.resolve("video20"), virtual);
    Files.createSymbolicLink(cls.resolve("video0"), usb);
    Files.createSymbolicLink(cls.resolve("video1"), meta);
    write(root.resolve("dev/video20"), "");
  }

  private static final PipeWireProbe RUNNING = new PipeWireProbe("1.4.2", "/run/user/1000/pipewire-0", "");
  private static final String NO_DAEMON = "no PipeWire daemon at /run/user/1000/pipewire-0 (is pipewire running for"
      + " this user?)";
  private static final String NO_LIBRARY = "PipeWire's library libpipewire-0.3.so.0 cannot be loaded (install"
      + " pipewire-libs on Fedora, libpipewire-0.3-0 on Debian): libpipewire-0.3.so.0: cannot open shared object file";

  private Doctor.Config config = new Doctor.Config("/dev/video20", true);
  private Supplier<PipeWireProbe> pipewire = () -> RUNNING;

  private List<Doctor.Check> run(String secureBoot) {
    var places = new Doctor.Places(sys(), root.resolve("dev"), root.resolve("modules"), root.resolve("dkms"),
        root.resolve("run/loopback"), Path.of("/var/lib/dkms/mok.pub"), KERNEL);
    return new Doctor(places, config, () -> new ComputeDevice(ComputeDevice.Kind.CPU, "no NVIDIA driver"),
        () -> secureBoot, f -> signer, pipewire).run();
  }

  private static Doctor.Check check(List<Doctor.Check> checks, String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
        new AssertionError("no check " + name + " in " + checks));
  }

  @Test
  void aHealthySystemPassesEveryCheck() throws IOException {
    healthy();
    List<Doctor.Check> checks = run("SecureBoot enabled\n");
    assertTrue(checks.stream().allMatch(Doctor.Check::ok), checks.toString());
    assertEquals("ok   build: v4l2loopback is built for kernels 6.18.1-200.fc43.x86_64, " + KERNEL + " (running: "
        + KERNEL + ")", check(checks, "build").toString());
    assertEquals("ok   module: v4l2loopback is loaded (version 0.15.4)", check(checks, "module").toString());
    assertEquals("ok   signature: the module is signed by DKMS module signing key", check(checks, "signature").toString());
    assertEquals("ok   label: apps show it as 'vbackcam'", check(checks, "label").toString());
    assertTrue(check(checks, "exclusive_caps").ok());
    assertEquals("ok   camera: camera /dev/video0 found", check(checks, "camera").toString());
    assertEquals("ok   inference: CPU (no NVIDIA driver)", check(checks, "inference").toString());
    assertEquals("ok   pipewire: libpipewire 1.4.2 loads and the daemon at /run/user/1000/pipewire-0 answers:"
        + " vbackcam run publishes the camera node 'vbackcam', which portal apps (Firefox, GNOME Snapshot, OBS) list",
        check(checks, "pipewire").toString());
    assertEquals("ok   outputs: vbackcam run would have live: /dev/video20 (v4l2loopback), PipeWire node vbackcam",
        check(checks, "outputs").toString());
  }

  @Test
  void noPipeWireDaemonLeavesTheDeviceAloneLive() throws IOException {
    healthy();
    pipewire = () -> new PipeWireProbe("1.4.2", "", NO_DAEMON);
    List<Doctor.Check> checks = run(null);
    assertEquals("warn pipewire: libpipewire 1.4.2 loads, but " + NO_DAEMON + ": vbackcam run publishes no camera"
        + " node (start PipeWire before vbackcam)", check(checks, "pipewire").toString());
    assertEquals("ok   outputs: vbackcam run would have live: /dev/video20 (v4l2loopback); not: PipeWire node"
        + " vbackcam: " + NO_DAEMON, check(checks, "outputs").toString());
  }

  /** The case the node is for: Secure Boot refused the module, and portal apps still get a camera. */
  @Test
  void secureBootRefusingTheModuleLeavesTheNodeLive() throws IOException {
    healthy();
    Files.walk(sys().resolve("module")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    Files.delete(root.resolve("dev/video20"));
    write(root.resolve("run/loopback"), "secure-boot the kernel refused v4l2loopback: enrol the key\n");
    assertEquals("ok   outputs: vbackcam run would have live: PipeWire node vbackcam; not: /dev/video20 cannot be"
        + " used: the kernel refused v4l2loopback: enrol the key", check(run("SecureBoot enabled\n"), "outputs")
        .toString());
  }

  @Test
  void theNodeAloneNeedsNoModule() throws IOException {
    Files.createDirectories(root.resolve("modules/" + KERNEL + "/kernel"));
    Files.createDirectories(sys().resolve("class/video4linux"));
    config = new Doctor.Config("pipewire", true);
    List<Doctor.Check> checks = run(null);
    assertFalse(check(checks, "build").ok());
    assertTrue(checks.stream().noneMatch(c -> !c.ok() && c.essential()), "the module is not needed: " + checks);
    assertEquals("ok   outputs: vbackcam run would have live: PipeWire node vbackcam", check(checks, "outputs")
        .toString());
    pipewire = () -> new PipeWireProbe("1.4.2", "", NO_DAEMON);
    checks = run(null);
    assertEquals("warn pipewire: libpipewire 1.4.2 loads, but " + NO_DAEMON + ": vbackcam run waits for it and"
        + " publishes the node when it starts", check(checks, "pipewire").toString());
    assertEquals("FAIL outputs: vbackcam run would have no live output: PipeWire node vbackcam: " + NO_DAEMON,
        check(checks, "outputs").toString());
  }

  @Test
  void theNodeAloneWithoutTheLibraryIsAnEssentialFailure() throws IOException {
    healthy();
    config = new Doctor.Config("pipewire", true);
    pipewire = () -> new PipeWireProbe("", "", NO_LIBRARY);
    List<Doctor.Check> checks = run(null);
    assertEquals("FAIL pipewire: " + NO_LIBRARY + ": vbackcam run publishes no PipeWire camera node, and with"
        + " output = pipewire it does not start", check(checks, "pipewire").toString());
    assertEquals("FAIL outputs: vbackcam run would have no live output: PipeWire node vbackcam: " + NO_LIBRARY,
        check(checks, "outputs").toString());
  }

  @Test
  void pipewireNoIsNotProbedAndSaysSo() throws IOException {
    healthy();
    config = new Doctor.Config("/dev/video20", false);
    pipewire = () -> {
      throw new AssertionError("PipeWire probed with pipewire = no");
    };
    List<Doctor.Check> checks = run(null);
    assertEquals("ok   pipewire: off (pipewire = no in the configuration): vbackcam run publishes no PipeWire"
        + " camera node", check(checks, "pipewire").toString());
    assertEquals("ok   outputs: vbackcam run would have live: /dev/video20 (v4l2loopback); not: PipeWire node"
        + " vbackcam: pipewire = no", check(checks, "outputs").toString());
  }

  @Test
  void aFileOutputIsLiveWhateverTheModule() throws IOException {
    Files.createDirectories(root.resolve("modules/" + KERNEL + "/kernel"));
    Files.createDirectories(sys().resolve("class/video4linux"));
    config = new Doctor.Config(root.resolve("out.y4m").toString(), true);
    pipewire = () -> new PipeWireProbe("1.4.2", "", NO_DAEMON);
    List<Doctor.Check> checks = run(null);
    assertTrue(checks.stream().noneMatch(c -> !c.ok() && c.essential()), checks.toString());
    assertEquals("ok   outputs: vbackcam run would have live: " + root.resolve("out.y4m") + " (Y4M file); not:"
        + " PipeWire node vbackcam: " + NO_DAEMON, check(checks, "outputs").toString());
  }

  @Test
  void aFileOutputThatRunWouldRefuseIsNotLive() throws IOException {
    pipewire = () -> new PipeWireProbe("1.4.2", "", NO_DAEMON);
    config = new Doctor.Config(root.resolve("out.txt").toString(), true);
    assertEquals("FAIL outputs: vbackcam run would have no live output: output '" + root.resolve("out.txt")
        + "' is a regular file: give it the .y4m extension (the service writes Y4M to files); PipeWire node"
        + " vbackcam: " + NO_DAEMON, check(run(null), "outputs").toString());
    Path nowhere = root.resolve("no-such-folder/out.y4m");
    config = new Doctor.Config(nowhere.toString(), true);
    assertEquals("FAIL outputs: vbackcam run would have no live output: output '" + nowhere + "': its folder "
        + nowhere.getParent() + " does not exist; PipeWire node vbackcam: " + NO_DAEMON,
        check(run(null), "outputs").toString());
  }

  @Test
  void aFolderOutputIsNamedAsAFolderNotAMissingDevice() throws IOException {
    pipewire = () -> new PipeWireProbe("1.4.2", "", NO_DAEMON);
    Path folder = Files.createDirectories(root.resolve("videos"));
    config = new Doctor.Config(folder.toString(), true);
    assertEquals("FAIL outputs: vbackcam run would have no live output: output '" + folder + "' is a folder: name a"
        + " .y4m file in it, a v4l2loopback device such as /dev/video20, or pipewire; PipeWire node vbackcam: "
        + NO_DAEMON, check(run(null), "outputs").toString());
  }

  @Test
  void aDeviceTakenByAnotherProgramIsNotLive() throws IOException {
    healthy();
    write(sys().resolve("devices/virtual/video4linux/video20/name"), "OBS Virtual Camera\n");
    Doctor.Check outputs = check(run(null), "outputs");
    assertTrue(outputs.message().startsWith("vbackcam run would have live: PipeWire node vbackcam; not:"
        + " /dev/video20 is taken by 'OBS Virtual Camera'"), outputs.toString());
  }

  @Test
  void aFailedBuildNamesTheKernelAndTheLog() throws IOException {
    healthy();
    Files.delete(root.resolve("modules/" + KERNEL + "/extra/v4l2loopback.ko.xz"));
    write(root.resolve("dkms/0.15.4/build/make.log"), "error: too few arguments to function 'v4l2_fh_add'\n");
    Doctor.Check build = check(run(null), "build");
    assertFalse(build.ok());
    assertTrue(build.essential());
    assertEquals("FAIL build: v4l2loopback is not built for the running kernel " + KERNEL + " (built for"
        + " 6.18.1-200.fc43.x86_64): DKMS's build failed, see " + root.resolve("dkms/0.15.4/build/make.log")
        + " (sudo dkms autoinstall -k " + KERNEL + " retries)", build.toString());
  }

  @Test
  void noHeadersSaysWhatToInstall() throws IOException {
    Files.createDirectories(root.resolve("modules/" + KERNEL + "/kernel"));
    Files.createDirectories(sys().resolve("class/video4linux"));
    Doctor.Check build = check(run(null), "build");
    assertTrue(build.message().endsWith(": install kernel-devel-" + KERNEL + " and run: sudo dkms autoinstall -k "
        + KERNEL), build.toString());
  }

  @Test
  void secureBootWithTheModuleNotLoadedNamesTheKeyToEnrol() throws IOException {
    healthy();
    Files.walk(sys().resolve("module")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    write(root.resolve("run/loopback"), "secure-boot the kernel refused v4l2loopback: Secure Boot is on and the key"
        + " DKMS signed it with is not enrolled; run: sudo mokutil --import /var/lib/dkms/mok.pub, reboot\n");
    List<Doctor.Check> checks = run("SecureBoot enabled\n");
    assertFalse(check(checks, "module").ok());
    Doctor.Check sb = check(checks, "secure-boot");
    assertFalse(sb.ok());
    assertTrue(sb.message().contains("sudo mokutil --import /var/lib/dkms/mok.pub"), sb.toString());
    assertTrue(check(checks, "setup").message().startsWith("the kernel refused v4l2loopback"));
  }

  @Test
  void anUnsignedModuleIsAWarning() throws IOException {
    healthy();
    signer = null;
    Doctor.Check sig = check(run(null), "signature");
    assertFalse(sig.ok());
    assertFalse(sig.essential());
    assertEquals("warn signature: the module is not signed: with Secure Boot on, the kernel refuses it", sig.toString());
  }

  @Test
  void video20TakenByAnotherProgramsLoopbackDeviceIsNamed() throws IOException {
    healthy();
    write(sys().resolve("devices/virtual/video4linux/video20/name"), "OBS Virtual Camera\n");
    write(root.resolve("run/loopback"), "taken /dev/video20 is another program's v4l2loopback device 'OBS Virtual"
        + " Camera'\n");
    List<Doctor.Check> checks = run(null);
    Doctor.Check label = check(checks, "label");
    assertFalse(label.ok());
    assertTrue(label.message().startsWith("/dev/video20 is taken by 'OBS Virtual Camera', another program's"
        + " v4l2loopback device: change video_nr"), label.toString());
    assertFalse(check(checks, "setup").ok());
  }

  @Test
  void video20TakenByARealCameraIsNamed() throws IOException {
    healthy();
    Path cls = sys().resolve("class/video4linux/video20");
    Files.delete(cls);
    Files.createSymbolicLink(cls, sys().resolve("devices/pci0000:00/usb1/1-1/video4linux/video0"));
    assertTrue(check(run(null), "label").message().contains("'Integrated Camera', which is not a v4l2loopback"
        + " device"));
  }

  @Test
  void exclusiveCapsOffIsAnEssentialFailure() throws IOException {
    healthy();
    write(root.resolve("run/loopback"), "ok /dev/video20 'vbackcam' exclusive_caps=0 max_buffers=2\n");
    Doctor.Check caps = check(run(null), "exclusive_caps");
    assertFalse(caps.ok());
    assertTrue(caps.toString().startsWith("FAIL exclusive_caps: exclusive_caps is off"), caps.toString());
  }

  @Test
  void theLoopbackDeviceIsNeverTakenForTheCamera() throws IOException {
    healthy();
    Files.delete(sys().resolve("class/video4linux/video0"));
    assertFalse(check(run(null), "camera").ok());
  }

  @Test
  void theRecordIsReadAsStateAndDetail() throws IOException {
    write(root.resolve("r"), "no-module v4l2loopback is not built for kernel 7.2\n");
    assertEquals(new LoopbackSetup("no-module", "v4l2loopback is not built for kernel 7.2"),
        LoopbackSetup.read(root.resolve("r")).orElseThrow());
    assertTrue(LoopbackSetup.read(root.resolve("missing")).isEmpty());
  }
}
