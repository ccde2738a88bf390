package io.github.vbackcam.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What a file is, by its name, and whether it can be read: for sources, sinks and backgrounds alike. */
public final class FileTypes {

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "ppm", "pgm");

  /** Enough of a file's start to find an APNG's acTL chunk, which must come before the first IDAT. */
  private static final int HEADER_BYTES = 64 * 1024;

  private FileTypes() {}

  /** Whether the file is a still image, by its extension; anything else is taken for a video. */
  public static boolean isImage(Path path) {
    return IMAGE_EXTENSIONS.contains(extension(path));
  }

  /** Whether an image background can show the file: a still image, or an animated GIF, APNG or WebP. */
  public static boolean isPicture(Path path) {
    return isImage(path) || isAnimatedImage(path);
  }

  /**
   * Whether the file is an image that may move: any GIF, a PNG with an animation control chunk (APNG) or a WebP
   * whose header sets the animation flag. Read from the file's first bytes; false for anything else or a file that
   * cannot be read (opening it later says why).
   */
  public static boolean isAnimatedImage(Path path) {
    String ext = extension(path);
    if (ext.equals("gif")) {
      return true;
    }
    if (!ext.equals("png") && !ext.equals("apng") && !ext.equals("webp")) {
      return false;
    }
    // Opened without blocking: a FIFO named .png must be refused by whoever opens it, not wait here for a writer.
    try (OpenedFile file = OpenedFile.open(path, Long.MAX_VALUE);
         InputStream in = Files.newInputStream(file.path())) {
      byte[] head = in.readNBytes(HEADER_BYTES);
      return isApng(head) || isAnimatedWebp(head);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isApng(byte[] head) {
    if (head.length < 8 || head[0] != (byte) 0x89 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    int at = 8;
    while (at + 8 <= head.length) {
      long length = Integer.toUnsignedLong(b.getInt(at));
      String type = new String(head, at + 4, 4, StandardCharsets.US_ASCII);
      if (type.equals("acTL")) {
        return true;
      }
      if (type.equals("IDAT") || type.equals("IEND")) {
        return false;
      }
      at += 12 + length;
    }
    return false;
  }

  /** A RIFF WebP whose extended header (VP8X) sets the animation flag (bit 1 of its first byte). */
  private static boolean isAnimatedWebp(byte[] head) {
    return head.length >= 21
        && new String(head, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
        && new String(head, 8, 8, StandardCharsets.US_ASCII).equals("WEBPVP8X")
        && (head[20] & 0x02) != 0;
  }

  /**
   * {@code ~} or {@code ~/x} as the home directory ({@code $HOME}, or Java's {@code user.home} where it is unset), as
   * a shell expands it; other text unchanged. Every path a user types goes through this, so {@code ~/x.png} means the
   * same on the command line, in the configuration and over D-Bus.
   */
  public static String expandHome(String path) {
    if (path == null || !(path.equals("~") || path.startsWith("~/"))) {
      return path;
    }
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return home + path.substring(1);
  }

  /** The extension in lower case, without the dot; empty if there is none. */
  public static String extension(Path path) {
    Path file = path.getFileName();
    if (file == null) {
      return ""; // the root directory, "/": no name at all (opening it says it is a directory)
    }
    String name = file.toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Fails with a message that says what is wrong: missing, not a regular file (a directory, a FIFO), unreadable. */
  public static void checkReadable(Path path) throws IOException {
    FileChecks.regularFile(path, Long.MAX_VALUE);
  }
}
