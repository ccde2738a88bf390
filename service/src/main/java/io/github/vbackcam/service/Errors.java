package io.github.vbackcam.service;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one line a user can act on. */
public final class Errors {
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
}
