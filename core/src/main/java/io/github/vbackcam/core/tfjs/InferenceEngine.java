package io.github.vbackcam.core.tfjs;

import java.util.Locale;

/** The DJL engines a converted TF.js model runs in. */
public enum InferenceEngine {
  /** TensorFlow 2.10 (a CUDA 11.3 build that also runs on the CPU): every model, and the GPU path. */
  TENSORFLOW("TensorFlow"),
  /** ONNX Runtime 1.22 on the CPU, one thread: the models without control flow, in less CPU and memory. */
  ONNXRUNTIME("OnnxRuntime");

  private final String djlName;

  InferenceEngine(String djlName) {
    this.djlName = djlName;
  }

  /** The name DJL knows the engine by ({@code Criteria.optEngine}). */
  public String djlName() {
    return djlName;
  }

  /** The name users write: {@code tensorflow}, {@code onnxruntime}. */
  public String userName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
