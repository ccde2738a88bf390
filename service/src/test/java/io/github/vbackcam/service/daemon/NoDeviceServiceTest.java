package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real service on a private session bus with a v4l2loopback device that does not exist: it stays up and says
 * why in State and StateDetail, from the device's error or from vbackcam-loopback's record (read from a file the
 * test writes, through {@code VBACKCAM_FAKE_LOOPBACK_SETUP}).
 */
class NoDeviceServiceTest {

  private static final String DEVICE = "/dev/video99";

  @Test
  void aMissingDeviceLeavesTheServiceUpSayingWhatToDo() throws Exception {
    try (ServiceHarness h = ServiceHarness.bus(320, 180)) {
      String detail = runWithout(h, h.dir.resolve("no-record"));
      assertTrue(detail.contains(DEVICE + " does not exist") && detail.contains("vbackcam doctor"), detail);
      assertEquals("u 0", h.property("Consumers"), "no one can watch a missing device");
      Thread.sleep(2500); // a few status ticks: still up, still saying so, and the log said it once
      assertTrue(h.service().isAlive(), "the service exited:\n" + Files.readString(h.log));
      assertEquals("s \"no-device\"", h.property("State"));
      assertEquals(1, count(Files.readString(h.log), "no virtual camera: "), Files.readString(h.log));
      assertEquals(0, h.stopService(), "SIGTERM ends it cleanly");
    }
  }

  @Test
  void theSecureBootRecordNamesTheKeyToEnroll() throws Exception {
    try (ServiceHarness h = ServiceHarness.bus(320, 180)) {
      Path record = h.dir.resolve("loopback");
      // The line dkms/vbackcam-loopback writes when modprobe says "Key was rejected by service".
      Files.writeString(record, "secure-boot the kernel refused v4l2loopback: Secure Boot is on and the key DKMS"
          + " signed it with is not enrolled; run: sudo mokutil --import /var/lib/dkms/mok.pub, reboot, and choose"
          + " \"Enroll MOK\" in the blue MOK manager screen\n");
      String detail = runWithout(h, record);
      assertTrue(detail.startsWith(DEVICE + " cannot be used: ") && detail.contains("mokutil --import"
          + " /var/lib/dkms/mok.pub"), detail);
      assertFalse(detail.contains("\n"), "one line: " + detail);
    }
  }

  /** Starts the service writing to the missing device, with {@code record} as vbackcam-loopback's; its StateDetail. */
  private static String runWithout(ServiceHarness h, Path record) throws Exception {
    Path video = ServiceHarness.sharedFile("data/videos/davis2016_lucia_854x480_24fps.mp4");
    assertFalse(Files.exists(Path.of(DEVICE)), DEVICE + " exists on this machine: the test needs it absent");
    ProcessBuilder run = h.java("run", "--camera", video.toString(), "--output", DEVICE, "--size", "320x180");
    run.environment().put("VBACKCAM_FAKE_LOOPBACK_SETUP", record.toString());
    run.environment().put("VBACKCAM_FAKE_SEGMENTER", "1");
    h.startService(run, "no-device");
    Matcher m = Pattern.compile("^s \"(.*)\"$").matcher(h.property("StateDetail"));
    assertTrue(m.matches(), "StateDetail is not a string: " + h.property("StateDetail"));
    return m.group(1).replace("\\\"", "\"");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
