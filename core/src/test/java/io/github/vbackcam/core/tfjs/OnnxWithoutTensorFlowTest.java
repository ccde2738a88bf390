package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With ONNX Runtime as the engine, TensorFlow's natives are never loaded (start-up time and about 1 GB of mappings).
 * Other tests in this JVM load TensorFlow, so a fresh JVM converts, loads and runs the selfie model and reports which
 * native libraries its process has mapped.
 */
class OnnxWithoutTensorFlowTest {

  @Test
  void onnxRuntimeRunsAModelWithoutTensorFlowsNatives(@TempDir Path cache) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Dvbackcam.cache=" + cache, "-Dai.djl.offline=true", Child.class.getName(),
        TestModels.npmModel("selfie").toString())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("mask (1, 256, 256, 1)"), "the model ran: " + output);
    assertTrue(output.contains("libonnxruntime"), "ONNX Runtime is mapped: " + output);
    assertFalse(output.contains("tensorflow"), "no TensorFlow library is mapped: " + output);
  }

  /** Runs selfie once on ONNX Runtime, then prints the output shape and the mapped native libraries. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      try (GraphModel model = GraphModel.load(Path.of(args[0]), Device.cpu(), new SessionOptions(1, 1),
              InferenceEngine.ONNXRUNTIME);
           Predictor<NDList, NDList> predictor = model.newPredictor();
           NDManager scope = model.manager().newSubManager()) {
        NDArray input = scope.zeros(new Shape(1, 256, 256, 3));
        input.setName(model.inputNames().get(0));
        NDArray mask = predictor.predict(new NDList(input)).get(model.outputNames().get(0));
        System.out.println("mask " + mask.getShape());
      }
      List<String> libraries = Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .filter(l -> l.contains(".so")).map(l -> l.substring(l.lastIndexOf('/') + 1)).distinct().toList();
      System.out.println("mapped: " + libraries);
    }
  }
}
