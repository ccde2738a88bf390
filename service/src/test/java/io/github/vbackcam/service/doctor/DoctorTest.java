package io.github.vbackcam.service.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.device.ComputeDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vbackcam doctor against a fake sysfs and /dev. */
class DoctorTest {

  @TempDir
  Path root;

  private Path sys() {
    return root.resolve("sys");
  }

  private Path dev() {
    return root.resolve("dev");
  }

  private void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** A loaded module with /dev/video20 "vbackcam", and a USB camera at video0 (plus its metadata node video1). */
  private void healthy() throws IOException {
    write(sys().resolve("module/v4l2loopback/version"), "0.15.0\n");
    write(sys().resolve("module/v4l2loopback/parameters/exclusive_caps"), "Y\n");
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
    write(dev().resolve("video20"), "");
  }

  private List<Doctor.Check> run(String secureBoot) {
    return new Doctor(sys(), dev(), "/dev/video20",
        () -> new ComputeDevice(ComputeDevice.Kind.CPU, "no NVIDIA driver"), () -> secureBoot).run();
  }

  private static Doctor.Check check(List<Doctor.Check> checks, String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
        new AssertionError("no check " + name + " in " + checks));
  }

  @Test
  void aHealthySystemPassesEveryCheck() throws IOException {
    healthy();
    List<Doctor.Check> checks = run(null);
    checks.forEach(System.out::println);
    assertTrue(checks.stream().allMatch(Doctor.Check::ok), checks.toString());
    assertEquals("ok   module: v4l2loopback is loaded (version 0.15.0)", check(checks, "module").toString());
    assertEquals("ok   label: apps show it as 'vbackcam'", check(checks, "label").toString());
    assertEquals("ok   camera: camera /dev/video0 found", check(checks, "camera").toString());
    assertEquals("ok   inference: CPU (no NVIDIA driver)", check(checks, "inference").toString());
  }

  @Test
  void aMissingModuleWithSecureBootExplainsSigning() throws IOException {
    Files.createDirectories(sys().resolve("class/video4linux"));
    List<Doctor.Check> checks = run("SecureBoot enabled\n");
    Doctor.Check module = check(checks, "module");
    assertFalse(module.ok());
    assertTrue(module.essential());
    assertTrue(check(checks, "secure-boot").message().contains("mokutil --import"));
    assertFalse(check(checks, "device").ok());
    assertTrue(check(checks, "camera").message().startsWith("no camera found"));
  }

  @Test
  void exclusiveCapsOffIsAnEssentialFailure() throws IOException {
    healthy();
    write(sys().resolve("module/v4l2loopback/parameters/exclusive_caps"), "N\n");
    Doctor.Check caps = check(run(null), "exclusive_caps");
    assertFalse(caps.ok());
    assertTrue(caps.toString().startsWith("FAIL exclusive_caps: exclusive_caps is 'N'"), caps.toString());
  }

  @Test
  void theLoopbackDeviceIsNeverTakenForTheCamera() throws IOException {
    healthy();
    Files.delete(sys().resolve("class/video4linux/video0"));
    assertFalse(check(run(null), "camera").ok());
  }
}
