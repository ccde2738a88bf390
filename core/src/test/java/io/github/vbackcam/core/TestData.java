package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared development data; a missing file fails the test with the place it should be. */
public final class TestData {
  private TestData() {}

  public static Path shared() {
    String configured = System.getProperty("vbackcam.shared");
    Path dir = configured != null ? Path.of(configured) : Path.of("../../shared");
    return dir.toAbsolutePath().normalize();
  }

  /** A file under shared/, e.g. {@code data/videos/x.mp4}. */
  public static Path file(String relative) {
    Path p = shared().resolve(relative);
    if (!Files.exists(p)) {
      fail("test data " + relative + " not found at " + p + ": the shared data folder belongs beside the checkout"
          + " (../shared, or set -Dvbackcam.shared=DIR)");
    }
    return p;
  }

  public static Path tearsOfSteel() {
    return file("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4");
  }
}
