package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The effect options of {@code render} and {@code bench}: listed once in help, paths read as a shell reads them. */
class EffectOptionsTest {

  @Test
  void helpListsEachEffectOptionOnce() {
    for (String command : List.of("render", "bench")) {
      Cli r = Cli.run(command, "--help");
      assertEquals(0, r.status(), r.err());
      for (String option : List.of("--background=", "--blur=", "--color=", "--none ")) {
        assertEquals(1, optionLines(r.out(), option), command + " --help lists " + option + " once:\n" + r.out());
      }
    }
  }

  @Test
  void aTildeInBackgroundIsTheHomeDirectory() {
    String home = System.getenv("HOME");
    assertTrue(home != null && !home.isBlank(), "the tests run with HOME set");
    Cli r = Cli.run("render", "--input", Cli.shared("cases/segment/gray.png").toString(),
        "--background=~/no-such-vbackcam-background.png", "--output", Path.of("unused.png").toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains(Path.of(home, "no-such-vbackcam-background.png") + ": no such file"), r.err());
  }

  /** Lines of the option list (six spaces, then the option) that describe {@code option}. */
  private static long optionLines(String help, String option) {
    return help.lines().filter(l -> l.startsWith("      " + option)).count();
  }
}
