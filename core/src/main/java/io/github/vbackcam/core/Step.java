package io.github.vbackcam.core;

/** The steps a frame goes through, for per-step timings (the bench's {@code stages}, the service's latency). */
public enum Step {
  DECODE("decode"),
  PREPROCESS("preprocess"),
  INFERENCE("inference"),
  POSTPROCESS("postprocess"),
  COMPOSITE("composite"),
  ENCODE("encode");

  private final String label;

  Step(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
