package io.github.vbackcam.core;

/** A pipeline element failed; the message names it. */
public final class PipelineException extends Exception {
  public PipelineException(String message) {
    super(message);
  }

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}
