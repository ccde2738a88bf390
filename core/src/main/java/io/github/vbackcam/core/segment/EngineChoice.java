package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.BadValue;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.tfjs.InferenceEngine;
import java.util.Locale;

/**
 * Which engine runs the models, and why, for the log line, the service's status and {@code bench}.
 *
 * @param requested what the user asked for: {@code auto}, {@code onnxruntime} or {@code tensorflow}
 */
public record EngineChoice(InferenceEngine engine, String requested, String reason) {

  /** What {@code --engine} and the {@code engine} key take, for messages. */
  public static final String CHOICES = "auto, onnxruntime or tensorflow";

  /**
   * {@code auto} keeps a usable GPU on TensorFlow with CUDA (ONNX Runtime's bundled natives are CPU-only); on the CPU
   * it takes ONNX Runtime, measured here (720p, 600 frames, 2 shared cores) at 0.90x the process CPU per frame of
   * the TensorFlow path with the same masks, and well under half its memory, since TensorFlow is never loaded.
   *
   * @throws BadValue when {@code requested} is not one of {@link #CHOICES}
   */
  public static EngineChoice decide(String requested, ComputeDevice device) {
    String r = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
    boolean gpu = device.kind() == ComputeDevice.Kind.GPU;
    return switch (r) {
      case "auto" -> gpu
          ? new EngineChoice(InferenceEngine.TENSORFLOW, r, "auto: a usable GPU, which TensorFlow runs with CUDA")
          : new EngineChoice(InferenceEngine.ONNXRUNTIME, r,
              "auto: no usable GPU; on the CPU ONNX Runtime uses less CPU and memory than TensorFlow");
      case "tensorflow" -> new EngineChoice(InferenceEngine.TENSORFLOW, r, "requested" + (gpu ? ", on the GPU" : ""));
      case "onnxruntime" -> new EngineChoice(InferenceEngine.ONNXRUNTIME, r,
          "requested" + (gpu ? "; it runs on the CPU, leaving the GPU unused" : ""));
      default -> throw new BadValue("engine", requested, "expected " + CHOICES);
    };
  }

  /** One line for the log: {@code onnxruntime (auto: no usable GPU, ...)}. */
  @Override
  public String toString() {
    return engine.userName() + " (" + reason + ")";
  }
}
