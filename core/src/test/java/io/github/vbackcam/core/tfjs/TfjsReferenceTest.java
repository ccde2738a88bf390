package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported model, converted and run in each engine, gives what TF.js itself computes on the same input within
 * 1e-3 of the reference output's range. rvm runs two steps, each engine feeding back its own recurrent state; its
 * control flow (Switch/Merge) stays on TensorFlow, so it has no ONNX case. TF.js runs once per model.
 */
class TfjsReferenceTest {
  private static final double TOLERANCE = 1e-3;
  private static final Map<String, String> RVM_FEEDBACK = Map.of("r1i", "r1o", "r2i", "r2o", "r3i", "r3o",
      "r4i", "r4o");

  @TempDir static Path cache;
  @TempDir static Path scratch;
  private static final Map<String, List<List<NodeReference.Tensor>>> REFERENCES = new java.util.HashMap<>();

  @BeforeAll
  static void privateCache() {
    System.setProperty("vbackcam.cache", cache.toString());
  }

  static Stream<Arguments> models() {
    List<Arguments> cases = new ArrayList<>();
    for (InferenceEngine engine : InferenceEngine.values()) {
      TestModels.BODYPIX.forEach(v -> cases.add(Arguments.of("bodypix/" + v, engine)));
      cases.add(Arguments.of("selfie", engine));
      cases.add(Arguments.of("meet", engine));
      if (engine == InferenceEngine.TENSORFLOW) {
        cases.add(Arguments.of("rvm", engine));
      }
      cases.add(Arguments.of("synthetic", engine));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void matchesTfjs(String name, InferenceEngine engine) throws Exception {
    Path json = name.startsWith("bodypix/") ? TestModels.bodyPix(name.substring(8))
        : name.equals("synthetic") ? TestModels.synthetic() : TestModels.npmModel(name);
    List<Map<String, NodeReference.Tensor>> steps = inputs(name);
    Map<String, String> feedback = name.equals("rvm") ? RVM_FEEDBACK : Map.of();
    TfjsModel model = TfjsModel.read(json);

    List<List<NodeReference.Tensor>> ours = runOurs(json, model, steps, feedback, engine);
    List<List<NodeReference.Tensor>> reference = REFERENCES.get(name);
    if (reference == null) {
      reference = runReference(json, model, steps, feedback, name);
      REFERENCES.put(name, reference);
    }

    List<String> failures = new ArrayList<>();
    for (int k = 0; k < steps.size(); k++) {
      for (int i = 0; i < model.outputs().size(); i++) {
        NodeReference.Tensor a = ours.get(k).get(i);
        NodeReference.Tensor b = reference.get(k).get(i);
        String label = name + " " + engine.userName() + " step " + k + " " + model.outputNames().get(i);
        assertArrayEquals(b.shape(), a.shape(), label + " shape");
        double rel = relativeDiff(a.values(), b.values());
        System.err.printf("%-60s max |diff| / range = %.3e (reference range %.4g)%n", label, rel, range(b.values()));
        if (!(rel <= TOLERANCE)) {
          failures.add(label + ": " + rel);
        }
      }
    }
    assertTrue(failures.isEmpty(), "outputs differ from TF.js by more than " + TOLERANCE + ": " + failures);
  }

  private List<List<NodeReference.Tensor>> runOurs(Path json, TfjsModel model,
      List<Map<String, NodeReference.Tensor>> steps, Map<String, String> feedback, InferenceEngine engine)
      throws Exception {
    List<List<NodeReference.Tensor>> result = new ArrayList<>();
    try (GraphModel graph = GraphModel.load(json, Device.cpu(), SessionOptions.defaults(), engine);
        Predictor<NDList, NDList> predictor = graph.newPredictor();
        NDManager manager = graph.manager().newSubManager()) {
      NDList previous = null;
      for (Map<String, NodeReference.Tensor> step : steps) {
        NDList feed = new NDList();
        for (Map.Entry<String, NodeReference.Tensor> in : step.entrySet()) {
          NDArray array = manager.create(in.getValue().values(), new Shape(in.getValue().shape()));
          array.setName(in.getKey());
          feed.add(array);
        }
        if (previous != null) {
          for (Map.Entry<String, String> f : feedback.entrySet()) {
            NDArray state = previous.get(f.getValue()).duplicate();
            state.setName(f.getKey());
            feed.add(state);
          }
        }
        NDList out = predictor.predict(feed);
        List<NodeReference.Tensor> values = new ArrayList<>();
        for (String output : model.outputNames()) {
          NDArray array = out.get(output);
          values.add(new NodeReference.Tensor(array.getShape().getShape(), array.toFloatArray()));
        }
        result.add(values);
        feed.close();
        if (previous != null) {
          previous.close();
        }
        previous = out;
      }
      if (previous != null) {
        previous.close();
      }
    }
    return result;
  }

  private List<List<NodeReference.Tensor>> runReference(Path json, TfjsModel model,
      List<Map<String, NodeReference.Tensor>> steps, Map<String, String> feedback, String name) throws Exception {
    Map<String, String> tensorOf = new LinkedHashMap<>();
    model.inputs().forEach(e -> tensorOf.put(e.name(), e.tensor()));
    model.outputs().forEach(e -> tensorOf.put(e.name(), e.tensor()));
    List<NodeReference.Step> nodeSteps = new ArrayList<>();
    for (Map<String, NodeReference.Tensor> step : steps) {
      Map<String, NodeReference.Tensor> byTensor = new LinkedHashMap<>();
      step.forEach((k, v) -> byTensor.put(tensorOf.get(k), v));
      nodeSteps.add(new NodeReference.Step(byTensor));
    }
    Map<String, String> nodeFeedback = new LinkedHashMap<>();
    feedback.forEach((in, out) -> nodeFeedback.put(tensorOf.get(in), tensorOf.get(out)));
    List<String> outputs = model.outputs().stream().map(TfjsModel.Endpoint::tensor).toList();
    Path dir = Files.createDirectories(scratch.resolve("node-" + name.replace('/', '-')));
    return NodeReference.run(json, nodeSteps, outputs, nodeFeedback, dir);
  }

  /** Model inputs by name, per step; the first frame of DAVIS 'lucia' (and the second for rvm's second step). */
  private static List<Map<String, NodeReference.Tensor>> inputs(String name) throws Exception {
    Path frame0 = TestModels.image();
    if (name.startsWith("bodypix/")) {
      // 225x417 is what BodyPix's 'medium' setting feeds for an 854x480 frame; inputs are x/127.5 - 1.
      return List.of(Map.of("sub_2", image(frame0, 225, 417, 1 / 127.5f, -1)));
    }
    switch (name) {
      case "selfie":
        return List.of(Map.of("input_1", image(frame0, 256, 256, 1 / 255f, 0)));
      case "synthetic":
        return List.of(Map.of("x", image(frame0, 8, 8, 1 / 64f, -2)));
      case "meet":
        return List.of(Map.of("input_1", image(frame0, 144, 256, 1 / 255f, 0)));
      case "rvm":
        Path frame1 = TestModels.require(frame0.resolveSibling("00001.jpg"), "test image");
        NodeReference.Tensor ratio = new NodeReference.Tensor(new long[0], new float[] {0.5f});
        Map<String, NodeReference.Tensor> first = new LinkedHashMap<>();
        first.put("src", image(frame0, 144, 256, 1 / 255f, 0));
        first.put("downsample_ratio", ratio);
        for (String r : List.of("r1i", "r2i", "r3i", "r4i")) {
          first.put(r, new NodeReference.Tensor(new long[] {1, 1, 1, 1}, new float[1]));
        }
        Map<String, NodeReference.Tensor> second = new LinkedHashMap<>();
        second.put("src", image(frame1, 144, 256, 1 / 255f, 0));
        second.put("downsample_ratio", ratio);
        return List.of(first, second);
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static NodeReference.Tensor image(Path file, int h, int w, float scale, float offset) throws Exception {
    return new NodeReference.Tensor(new long[] {1, h, w, 3}, TestImages.rgb(file, h, w, scale, offset));
  }

  private static double range(float[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return max - min;
  }

  static double relativeDiff(float[] ours, float[] reference) {
    if (ours.length != reference.length) {
      return Double.POSITIVE_INFINITY;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double worst = 0;
    for (int i = 0; i < reference.length; i++) {
      min = Math.min(min, reference[i]);
      max = Math.max(max, reference[i]);
      double d = Math.abs((double) ours[i] - reference[i]);
      if (!(d <= worst)) {
        worst = d; // NaN propagates so a NaN output fails
      }
    }
    double range = max - min;
    return worst / (range > 0 ? range : Math.max(1, Math.abs(max)));
  }
}
