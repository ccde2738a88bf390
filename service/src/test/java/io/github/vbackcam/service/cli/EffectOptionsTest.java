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
        assertEquals(1, occurrences(r.out(), "      " + option), command + " --help lists " + option + " once:\n"
            + r.out());
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

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
