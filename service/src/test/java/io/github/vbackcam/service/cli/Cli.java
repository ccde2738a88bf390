package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.vbackcam.service.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the real command line in-process and keeps what it printed. */
record Cli(int status, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(status, out.toString(), err.toString());
  }

  /** A file from the shared development data; a missing one fails with where it should be. */
  static Path shared(String relative) {
    Path dir = Path.of(System.getProperty("vbackcam.shared", "../../shared")).toAbsolutePath().normalize();
    Path p = dir.resolve(relative);
    if (!Files.exists(p)) {
      fail("test data " + relative + " not found at " + p + ": the shared data folder belongs beside the checkout"
          + " (../shared, or set -Dvbackcam.shared=DIR)");
    }
    return p;
  }
}
