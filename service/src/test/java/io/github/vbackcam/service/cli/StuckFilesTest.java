package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line names a file whose read never returns within seconds, as the service does, instead of blocking
 * for good where not even Ctrl-C reaches it. {@code /proc/kmsg}, reached through links with the names the commands
 * expect, stands for any file on a hung NFS, sshfs or FUSE mount; reading it needs root, which the tests run as.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StuckFilesTest {

  private static final String NAMED = "did not finish reading within 5 s";

  @TempDir
  Path dir;

  @BeforeEach
  void asRoot() {
    assertEquals("root", System.getProperty("user.name"), "reading /proc/kmsg needs root: run the tests as root");
  }

  private Path stuck(String name) throws Exception {
    Path link = dir.resolve(name);
    Files.createDirectories(link.getParent());
    return Files.createSymbolicLink(link, Path.of("/proc/kmsg"));
  }

  @Test
  void renderNamesAStuckInputBackgroundOrModel() throws Exception {
    String out = dir.resolve("out.png").toString();
    String[][] commands = {
        {"render", "-i", stuck("talk.mp4").toString(), "--color", "#00ff00", "-o", out},
        {"render", "--background", stuck("beach.png").toString(), "-o", out},
        {"render", "--model", stuck("model/model.json").getParent().toString(), "--color", "#00ff00", "-o", out}};
    for (String[] command : commands) {
      long start = System.nanoTime();
      Cli cli = Cli.run(command);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(1, cli.status(), String.join(" ", command) + ": " + cli.err());
      assertTrue(cli.err().contains(NAMED), String.join(" ", command) + ": " + cli.err());
      assertTrue(seconds < 15, String.join(" ", command) + " took " + seconds + " s");
    }
  }

  @Test
  void segmentNamesAStuckImageAndStillMasksTheOthers() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.copy(Cli.shared("data/portraits_unlabeled/grace_hopper_512x600.jpg"), in.resolve("grace.jpg"));
    Path kmsg = stuck("in/stuck.png");
    Path masks = dir.resolve("masks");
    Cli cli = Cli.run("segment", "-i", in.toString(), "-o", masks.toString());
    assertEquals(1, cli.status(), cli.err());
    assertTrue(cli.err().contains("1 of 2 images got no mask: stuck.png"), cli.err());
    assertTrue(Files.size(masks.resolve("grace.png")) > 0, "the readable image's mask");
    assertTrue(!Files.exists(masks.resolve(kmsg.getFileName())), "no mask for the stuck file");
  }
}
