package io.github.vbackcam.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceProbeTest {

  private final GpuEnvironment env = mock(GpuEnvironment.class);

  @Test
  void noDriverMeansCpuAndSaysSo() {
    when(env.override()).thenReturn(Optional.empty());
    when(env.nvidiaDriver()).thenReturn(Optional.empty());
    ComputeDevice d = DeviceProbe.decide(env);
    assertEquals(ComputeDevice.Kind.CPU, d.kind());
    assertTrue(d.reason().contains("no NVIDIA driver"), d.reason());
    verify(env, never()).tensorflowGpuCount();
  }

  @Test
  void driverWithoutCudnnMeansCpuNamingTheMissingLibrary() {
    when(env.override()).thenReturn(Optional.empty());
    when(env.nvidiaDriver()).thenReturn(Optional.of("NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104"));
    when(env.hasLibrary(anyString())).thenReturn(true);
    when(env.hasLibrary("libcudnn.so.8")).thenReturn(false);
    ComputeDevice d = DeviceProbe.decide(env);
    assertEquals(ComputeDevice.Kind.CPU, d.kind());
    assertTrue(d.reason().contains("(libcudnn.so.8)"), d.reason());
  }

  @Test
  void driverAndLibrariesAndATensorflowGpuMeanGpu() {
    when(env.override()).thenReturn(Optional.empty());
    when(env.nvidiaDriver()).thenReturn(Optional.of("NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104"));
    when(env.hasLibrary(anyString())).thenReturn(true);
    when(env.tensorflowGpuCount()).thenReturn(1);
    ComputeDevice d = DeviceProbe.decide(env);
    assertEquals(ComputeDevice.Kind.GPU, d.kind());
    assertEquals(ai.djl.Device.gpu(), d.djlDevice());
    assertTrue(d.reason().contains("535.104"), d.reason());
  }

  @Test
  void librariesPresentButTensorflowSeesNoGpuFallsBackToCpu() {
    when(env.override()).thenReturn(Optional.empty());
    when(env.nvidiaDriver()).thenReturn(Optional.of("NVRM version 390"));
    when(env.hasLibrary(anyString())).thenReturn(true);
    when(env.tensorflowGpuCount()).thenReturn(0);
    ComputeDevice d = DeviceProbe.decide(env);
    assertEquals(ComputeDevice.Kind.CPU, d.kind());
    assertTrue(d.reason().contains("sees no usable GPU"), d.reason());
  }

  @Test
  void overrideForcesCpuEvenWithAGpu() {
    when(env.override()).thenReturn(Optional.of("CPU"));
    ComputeDevice d = DeviceProbe.decide(env);
    assertEquals(ComputeDevice.Kind.CPU, d.kind());
    assertEquals("VBACKCAM_DEVICE=cpu", d.reason());
    verify(env, never()).nvidiaDriver();
  }

  @Test
  void theRealMachineGivesADecisionWithAReason() {
    // This machine has no GPU: the real probe must say CPU and why, without throwing.
    ComputeDevice d = DeviceProbe.decide(GpuEnvironment.system());
    assertEquals(ComputeDevice.Kind.CPU, d.kind());
    assertTrue(d.reason().length() > 10, d.reason());
  }
}
