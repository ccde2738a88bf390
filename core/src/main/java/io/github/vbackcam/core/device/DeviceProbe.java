package io.github.vbackcam.core.device;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides between GPU and CPU. The bundled TensorFlow 2.10 natives are a CUDA 11.3 build: they use an NVIDIA GPU
 * when the driver, the CUDA 11 runtime libraries and cuDNN 8 are all present, and otherwise run on the CPU. We check
 * the same things first so the log can say exactly why, in one line.
 */
public final class DeviceProbe {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceProbe.class);

  /** What TensorFlow 2.10's GPU kernels dlopen. */
  static final List<String> CUDA_LIBRARIES = List.of(
      "libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11", "libcufft.so.10", "libcurand.so.10",
      "libcusolver.so.11", "libcusparse.so.11", "libcudnn.so.8");

  private DeviceProbe() {}

  /** Probes the real machine and logs the decision. */
  public static ComputeDevice probe() {
    ComputeDevice device = decide(GpuEnvironment.system());
    LOG.info("Inference on {}: {}", device.kind(), device.reason());
    return device;
  }

  /** The decision itself, for any environment. */
  public static ComputeDevice decide(GpuEnvironment env) {
    Optional<String> override = env.override().map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (override.isPresent() && override.get().equals("cpu")) {
      return cpu("VBACKCAM_DEVICE=cpu");
    }
    if (override.isPresent() && !override.get().equals("gpu")) {
      return cpu("VBACKCAM_DEVICE='" + override.get() + "' is not cpu or gpu; using the CPU");
    }
    Optional<String> driver = env.nvidiaDriver();
    if (driver.isEmpty()) {
      return cpu("no NVIDIA driver loaded (/proc/driver/nvidia/version is absent)");
    }
    List<String> missing = CUDA_LIBRARIES.stream().filter(lib -> !env.hasLibrary(lib)).toList();
    if (!missing.isEmpty()) {
      return cpu("NVIDIA driver found but the CUDA 11 runtime or cuDNN 8 is missing (" + String.join(", ", missing)
          + "); TensorFlow 2.10 needs both");
    }
    int gpus;
    try {
      gpus = env.tensorflowGpuCount();
    } catch (RuntimeException | LinkageError e) {
      return cpu("TensorFlow failed to query the GPU: " + e.getMessage());
    }
    if (gpus <= 0) {
      return cpu("CUDA 11 and cuDNN 8 found but TensorFlow sees no usable GPU (driver too old for CUDA 11.3?)");
    }
    String version = driver.get().replaceAll("\\s+", " ").trim();
    return new ComputeDevice(ComputeDevice.Kind.GPU,
        gpus + " NVIDIA GPU(s), CUDA 11 and cuDNN 8 found; driver: " + version);
  }

  private static ComputeDevice cpu(String reason) {
    return new ComputeDevice(ComputeDevice.Kind.CPU, reason);
  }
}
