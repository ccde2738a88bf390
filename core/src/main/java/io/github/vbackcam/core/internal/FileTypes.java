package io.github.vbackcam.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What a file is, by its name, and whether it can be read: for sources, sinks and backgrounds alike. */
public final class FileTypes {

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "ppm", "pgm");

  private FileTypes() {}

  /** Whether the file is a still image, by its extension; anything else is taken for a video. */
  public static boolean isImage(Path path) {
    return IMAGE_EXTENSIONS.contains(extension(path));
  }

  /** The extension in lower case, without the dot; empty if there is none. */
  public static String extension(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Fails with a message that says what is wrong: missing, a directory, or not readable. */
  public static void checkReadable(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such file");
    }
    if (Files.isDirectory(path)) {
      throw new IOException(path + " is a directory, not a file");
    }
    if (!Files.isReadable(path)) {
      throw new IOException(path + " is not readable (permissions)");
    }
  }
}
