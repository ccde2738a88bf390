package io.github.vbackcam.service;

import io.github.vbackcam.core.XdgDirs;
import io.github.vbackcam.core.tfjs.SessionOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the installed data is: backgrounds ({@code -Dvbackcam.backgrounds}, set by the launcher, or
 * {@code /usr/share/vbackcam/backgrounds}) and the bundled sample portrait (inside the jar).
 */
public final class Defaults {

  private static final String SAMPLE = "samples/astronaut.png";

  private Defaults() {}

  public static Path backgroundsDir() {
    return Path.of(System.getProperty("vbackcam.backgrounds", "/usr/share/vbackcam/backgrounds"));
  }

  /** The backgrounds that ship with vbackcam, sorted by name; never hard-coded. */
  public static List<Path> backgrounds() throws IOException {
    Path dir = backgroundsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Defaults::isPicture).sorted().toList();
    }
  }

  /** The first bundled background: what a fresh install shows. */
  public static Path defaultBackground() throws IOException {
    List<Path> all = backgrounds();
    if (all.isEmpty()) {
      throw new NoSuchFileException(backgroundsDir().toString(), null, "no bundled backgrounds found");
    }
    return all.get(0);
  }

  /**
   * The bundled sample portrait (NASA's public-domain photo of astronaut Eileen Collins, from Debian's scikit-image
   * data), copied out of the jar so that FFmpeg and OpenCV can read it.
   */
  public static Path sample() throws IOException {
    Path dir = XdgDirs.cache().resolve("samples");
    Path file = dir.resolve("astronaut.png");
    if (Files.isRegularFile(file)) {
      return file;
    }
    Files.createDirectories(dir);
    try (InputStream in = Defaults.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new NoSuchFileException(SAMPLE, null, "the bundled sample is missing from the jar");
      }
      Path tmp = Files.createTempFile(dir, "astronaut", ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /**
   * Threads for TensorFlow: {@code VBACKCAM_THREADS}, or half the cores. Decode, compositing and encoding run on
   * their own threads beside inference; on 2 cores one TensorFlow thread gave 71 fps at 14 ms CPU a frame against
   * 67 fps at 16 ms with two (720p, selfie).
   */
  public static SessionOptions session() {
    String threads = System.getenv("VBACKCAM_THREADS");
    int n = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    if (threads != null && threads.matches("\\d+") && Integer.parseInt(threads) > 0) {
      n = Integer.parseInt(threads);
    }
    return new SessionOptions(n, 1);
  }

  private static boolean isPicture(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".webp");
  }
}
