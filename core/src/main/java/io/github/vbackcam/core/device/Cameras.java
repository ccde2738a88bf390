package io.github.vbackcam.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Which video devices are cameras, from sysfs: v4l2loopback devices and metadata nodes are not. */
public final class Cameras {
  private Cameras() {}

  /**
   * The first real capture device under {@code sysClass} (normally {@code /sys/class/video4linux}), as a
   * {@code /dev} path: v4l2loopback devices (virtual, so never a camera) and secondary nodes (UVC metadata, index
   * above 0) are skipped.
   */
  public static Optional<String> find(Path sysClass) {
    if (!Files.isDirectory(sysClass)) {
      return Optional.empty();
    }
    List<Path> nodes = new ArrayList<>();
    try (Stream<Path> entries = Files.list(sysClass)) {
      entries.filter(p -> p.getFileName().toString().matches("video\\d+")).forEach(nodes::add);
    } catch (IOException e) {
      return Optional.empty();
    }
    nodes.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(5))));
    for (Path node : nodes) {
      if (isLoopback(node) || !firstIndex(node)) {
        continue;
      }
      return Optional.of("/dev/" + node.getFileName());
    }
    return Optional.empty();
  }

  /** Whether a {@code /sys/class/video4linux/videoN} entry is a v4l2loopback device (virtual, no parent bus). */
  public static boolean isLoopback(Path node) {
    try {
      String real = node.toRealPath().toString();
      if (real.contains("/virtual/")) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
    return !Files.exists(node.resolve("device"));
  }

  private static boolean firstIndex(Path node) {
    try {
      return Files.readString(node.resolve("index")).trim().equals("0");
    } catch (IOException e) {
      return true;
    }
  }
}
