package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.BadValue;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.tfjs.InferenceEngine;
import org.junit.jupiter.api.Test;

class EngineChoiceTest {
  private static final ComputeDevice CPU = new ComputeDevice(ComputeDevice.Kind.CPU, "no NVIDIA driver loaded");
  private static final ComputeDevice GPU = new ComputeDevice(ComputeDevice.Kind.GPU, "1 NVIDIA GPU(s)");

  @Test
  void autoKeepsAUsableGpuOnTensorFlowAndTakesOnnxRuntimeOnTheCpu() {
    assertEquals(InferenceEngine.TENSORFLOW, EngineChoice.decide("auto", GPU).engine());
    assertEquals(InferenceEngine.ONNXRUNTIME, EngineChoice.decide("auto", CPU).engine());
    assertEquals(InferenceEngine.ONNXRUNTIME, EngineChoice.decide(null, CPU).engine(), "no setting means auto");
    assertTrue(EngineChoice.decide("auto", CPU).toString().startsWith("onnxruntime (auto: no usable GPU"),
        EngineChoice.decide("auto", CPU).toString());
  }

  @Test
  void anExplicitEngineIsTakenAsGivenAndSaysWhatItLeavesUnused() {
    assertEquals(InferenceEngine.TENSORFLOW, EngineChoice.decide("TensorFlow", CPU).engine());
    EngineChoice ort = EngineChoice.decide(" onnxruntime ", GPU);
    assertEquals(InferenceEngine.ONNXRUNTIME, ort.engine());
    assertTrue(ort.reason().contains("leaving the GPU unused"), ort.reason());
  }

  @Test
  void anUnknownEngineNamesTheValueAndTheChoices() {
    BadValue e = assertThrows(BadValue.class, () -> EngineChoice.decide("cuda", CPU));
    assertEquals("engine 'cuda': expected auto, onnxruntime or tensorflow", e.getMessage());
  }
}
