package io.github.vbackcam.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the GPU decision looks at: the NVIDIA driver, the CUDA libraries, and TensorFlow's own GPU count. The seam
 * where tests put a mock; {@link #system()} reads the real machine.
 */
public interface GpuEnvironment {

  /** The loaded NVIDIA kernel driver's version line, if any. */
  Optional<String> nvidiaDriver();

  /** True when the dynamic linker can find the library (by soname, e.g. {@code libcudnn.so.8}). */
  boolean hasLibrary(String soname);

  /** How many GPUs TensorFlow itself sees; called only once the libraries are known to be there. */
  int tensorflowGpuCount();

  /** An environment override: {@code cpu} or {@code gpu}, or empty. */
  Optional<String> override();

  static GpuEnvironment system() {
    return new SystemGpuEnvironment();
  }

  /** The real machine: /proc, LD_LIBRARY_PATH and the ld.so cache, and DJL's TensorFlow engine. */
  final class SystemGpuEnvironment implements GpuEnvironment {
    private List<String> ldCache;

    @Override
    public Optional<String> nvidiaDriver() {
      Path version = Path.of("/proc/driver/nvidia/version");
      try {
        return Files.isReadable(version) ? Files.readAllLines(version).stream().findFirst() : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    @Override
    public boolean hasLibrary(String soname) {
      String paths = System.getenv().getOrDefault("LD_LIBRARY_PATH", "");
      for (String dir : paths.split(":")) {
        if (!dir.isEmpty() && Files.exists(Path.of(dir, soname))) {
          return true;
        }
      }
      return ldCache().stream().anyMatch(line -> line.trim().startsWith(soname + " "));
    }

    @Override
    public int tensorflowGpuCount() {
      io.github.vbackcam.core.tfjs.TfRuntime.start();
      return ai.djl.engine.Engine.getEngine("TensorFlow").getGpuCount();
    }

    @Override
    public Optional<String> override() {
      return Optional.ofNullable(System.getenv("VBACKCAM_DEVICE")).filter(s -> !s.isBlank());
    }

    private synchronized List<String> ldCache() {
      if (ldCache == null) {
        ldCache = new ArrayList<>();
        for (String ldconfig : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig"}) {
          if (Files.isExecutable(Path.of(ldconfig))) {
            try {
              Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
              ldCache.addAll(new String(p.getInputStream().readAllBytes()).lines().toList());
              p.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
              // No cache to read: only LD_LIBRARY_PATH counts.
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            break;
          }
        }
      }
      return ldCache;
    }
  }
}
