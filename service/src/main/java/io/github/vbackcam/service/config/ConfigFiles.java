package io.github.vbackcam.service.config;

import io.github.vbackcam.core.XdgDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes {@code key = value} files: {@code #} starts a comment line, blank lines are ignored. Errors name
 * the file and the line, never the line's text (a file given by mistake may hold secrets).
 *
 * <p>The state file, written by the service, escapes its values ({@code \\}, {@code \n}, {@code \r},
 * {@code \}{@code uXXXX} for other control characters), so no value can add a line and with it another key.
 * Configuration files, written by people, are read as they are.
 */
public final class ConfigFiles {

  /** Larger files are refused unread: a configuration is a few hundred bytes. */
  static final long MAX_BYTES = 1024 * 1024;

  /** U+FEFF, the byte-order mark, in UTF-8. */
  private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

  private static final String STATE_HEADER =
      "# vbackcam's last choices (written by the service; safe to delete). Values are escaped: \\\\ \\n \\uXXXX\n";

  private ConfigFiles() {}

  /** The system file, then the user's: later files override earlier ones. */
  public static List<Path> defaultFiles() {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("/etc/vbackcam/vbackcam.conf"));
    files.add(XdgDirs.config().resolve("vbackcam.conf"));
    return files;
  }

  /** Where run-time choices are remembered: {@code $XDG_STATE_HOME/vbackcam/state}. */
  public static Path stateFile() {
    return XdgDirs.state().resolve("state");
  }

  /** Applies a configuration file to {@code settings} if it exists; a problem fails with "FILE[:LINE]: problem". */
  public static void apply(Path file, Settings settings) throws IOException {
    apply(file, settings, false);
  }

  /** Applies the state file written by {@link #saveState}, if it exists. */
  public static void applyState(Path file, Settings settings) throws IOException {
    apply(file, settings, true);
  }

  private static void apply(Path file, Settings settings, boolean escaped) throws IOException {
    List<String> lines = readLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1);
      if (!escaped) {
        refuseControlCharacters(where, line);
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(where + ": expected key = value");
      }
      try {
        String value = line.substring(eq + 1);
        settings.set(line.substring(0, eq).strip(), escaped ? unescape(value.strip()) : value, where);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
    }
  }

  /**
   * A line a person wrote holds text: a NUL or another control character (a tab aside) is a damaged or wrong file,
   * and {@link Settings#set} would trim it off the end of a value unseen ({@code blur = 7\0} read as 7). The state
   * file writes its control characters as escapes, so only configuration files are checked.
   */
  private static void refuseControlCharacters(String where, String line) throws ConfigException {
    for (int c = 0; c < line.length(); c++) {
      char ch = line.charAt(c);
      if (ch != '\t' && (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029')) {
        throw new ConfigException(String.format("%s: a control character (U+%04X) in the line; values are text",
            where, (int) ch));
      }
    }
  }

  /**
   * The lines of a UTF-8 text file, or none if it does not exist, read within {@link FileReads#LIMIT} (a file on a
   * hung mount, or a link to one whose read waits, must not hang a start or a reload); anything else that is not a
   * readable regular text file of at most {@link #MAX_BYTES} fails naming the file (and the line, for bytes that are
   * not UTF-8). A byte-order mark at the very start (some Windows editors write one) is skipped: it is invisible,
   * and it would otherwise become part of the first key.
   */
  private static List<String> readLines(Path file) throws IOException {
    return FileReads.read(file, () -> readLinesNow(file));
  }

  private static List<String> readLinesNow(Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    }
    if (a.isDirectory()) {
      throw new ConfigException(file + ": a directory, not a file");
    }
    if (!a.isRegularFile()) {
      throw new ConfigException(file + ": not a regular file (a FIFO, device or socket)");
    }
    if (a.size() > MAX_BYTES) {
      throw new ConfigException(file + ": too large (" + a.size() + " bytes; at most " + MAX_BYTES + ")");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    }
    List<String> lines = new ArrayList<>();
    int start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
    for (int i = start; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start || i < bytes.length) {
          lines.add(decode(file, lines.size() + 1, Arrays.copyOfRange(bytes, start, i)));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static String decode(Path file, int line, byte[] bytes) throws ConfigException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ":" + line + ": not UTF-8 text (save the file as UTF-8)");
    }
  }

  /** Writes the remembered keys atomically: a new file beside the old one, renamed over it. */
  public static void saveState(Path file, Settings settings) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder(STATE_HEADER);
    for (String key : Settings.REMEMBERED) {
      text.append(key).append(" = ").append(escape(settings.get(key))).append('\n');
    }
    Path tmp = Files.createTempFile(file.getParent(), "state", ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Moves an unreadable state file aside (to {@code state.bad}) so the next start does not trip on it again. */
  public static Path setAside(Path file) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".bad");
    if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
      aside = file.resolveSibling(file.getFileName() + ".bad-" + System.currentTimeMillis());
    }
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    return aside;
  }

  /** One line whatever the value holds: backslash, line breaks and other control characters as escapes. */
  static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** The inverse of {@link #escape}; a malformed escape is a bad value. */
  static String unescape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= text.length()) {
        throw new IllegalArgumentException("a value ends in a lone backslash");
      }
      switch (text.charAt(i)) {
        case '\\' -> b.append('\\');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 'u' -> {
          if (i + 4 >= text.length()) {
            throw new IllegalArgumentException("a value has a cut \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a value has a bad \\u escape");
          }
          i += 4;
        }
        default -> throw new IllegalArgumentException("a value has an unknown escape \\" + text.charAt(i));
      }
    }
    return b.toString();
  }

  /** A configuration file problem, with file and line in the message. */
  public static final class ConfigException extends IOException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
