package io.github.vbackcam.service;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one line a user can act on. */
public final class Errors {

  /** The most characters of a caller's text repeated in an error or a log line. */
  public static final int MAX_QUOTED = 200;

  private Errors() {}

  public static String describe(Throwable e) {
    Throwable t = e;
    if (t instanceof NoSuchFileException n) {
      return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file");
    }
    if (t instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (t instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      Throwable cause = t.getCause();
      return cause != null && cause != t ? describe(cause) : t.getClass().getSimpleName();
    }
    return message;
  }

  /**
   * {@link #describe}, without what a parser or library said about the cause: their messages quote the content of
   * the file they read (a JSON field, a line), and errors name the file and the problem, never its content.
   */
  public static String withoutContent(Throwable e) {
    String message = describe(e);
    Throwable cause = e.getCause();
    String quoted = cause == null ? null : cause.getMessage();
    if (quoted != null && !quoted.isEmpty() && message.endsWith(": " + quoted)) {
      message = message.substring(0, message.length() - quoted.length() - 2) + " (" + cause.getClass()
          .getSimpleName() + ")";
    }
    return cut(message, 2 * MAX_QUOTED);
  }

  /**
   * Text from a caller made safe for one line of an error or a log: control characters written as escapes
   * ({@code \n}, {@code \x01}), and anything past {@code max} characters cut, saying how much was left out.
   */
  public static String cut(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (i < text.length()) {
      b.append("... (").append(text.length() - i).append(" more characters)");
    }
    return b.toString();
  }

  /** {@link #cut(String, int)} at {@link #MAX_QUOTED}. */
  public static String cut(String text) {
    return cut(text, MAX_QUOTED);
  }
}
