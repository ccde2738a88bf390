package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsGraphModelTest {
  @TempDir Path cache;

  @BeforeEach
  void privateCache() {
    System.setProperty("vbackcam.cache", cache.toString());
  }

  @AfterEach
  void noLeftoverTemporaries() throws Exception {
    try (Stream<Path> entries = Files.list(cache)) {
      assertEquals(List.of(), entries.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
    }
  }

  @Test
  void inputsAreFedByNameAndOutputsCarryTheirNames() throws Exception {
    try (GraphModel model = GraphModel.load(TestModels.npmModel("rvm"), Device.cpu(), SessionOptions.defaults());
        Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager frame = model.manager().newSubManager()) {
      assertEquals(List.of("downsample_ratio", "r1i", "r2i", "r3i", "r4i", "src"), model.inputNames());
      // Deliberately not in alphabetical order: names, not positions, must decide.
      NDList in = new NDList(named(frame.ones(new Shape(1, 64, 96, 3)).mul(0.5f), "src"),
          named(frame.zeros(new Shape(1, 1, 1, 1)), "r4i"), named(frame.zeros(new Shape(1, 1, 1, 1)), "r1i"),
          named(frame.create(0.5f), "downsample_ratio"), named(frame.zeros(new Shape(1, 1, 1, 1)), "r3i"),
          named(frame.zeros(new Shape(1, 1, 1, 1)), "r2i"));
      NDList out = predictor.predict(in);
      assertEquals(model.outputNames(), out.stream().map(NDArray::getName).toList());
      assertEquals(new Shape(1, 64, 96, 1), out.get("pha").getShape());
      assertEquals(new Shape(1, 64, 96, 3), out.get("fgr").getShape());
      assertEquals(16, out.get("r1o").getShape().get(3));
      assertEquals(frame, out.head().getManager(), "outputs belong to the caller's scope");
    }
  }

  @Test
  void secondLoadComesFromTheCache() throws Exception {
    Path json = TestModels.bodyPix("mobilenet-quant2-050-stride16");
    float[] first;
    try (GraphModel model = GraphModel.load(json, Device.cpu(), SessionOptions.defaults())) {
      assertFalse(model.fromCache());
      first = segments(model);
    }
    Path entry = cache.resolve(TfjsModel.read(json).contentHash());
    Path pb = entry.resolve(SavedModelWriter.FILE);
    FileTime written = Files.getLastModifiedTime(pb);
    long start = System.nanoTime();
    try (GraphModel model = GraphModel.load(json, Device.cpu(), SessionOptions.defaults())) {
      System.err.printf("cache hit load: %.1f ms%n", (System.nanoTime() - start) / 1e6);
      assertTrue(model.fromCache());
      assertArrayEquals(first, segments(model));
    }
    assertEquals(written, Files.getLastModifiedTime(pb), "the cached SavedModel was rewritten");
  }

  @Test
  void damagedCacheEntryIsRebuilt() throws Exception {
    Path json = TestModels.bodyPix("mobilenet-quant1-050-stride16");
    float[] first;
    try (GraphModel model = GraphModel.load(json, Device.cpu(), SessionOptions.defaults())) {
      first = segments(model);
    }
    Path pb = cache.resolve(TfjsModel.read(json).contentHash()).resolve(SavedModelWriter.FILE);
    byte[] bytes = Files.readAllBytes(pb);
    Files.write(pb, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (GraphModel model = GraphModel.load(json, Device.cpu(), SessionOptions.defaults())) {
      assertFalse(model.fromCache());
      assertArrayEquals(first, segments(model));
    }
    Files.delete(pb);
    try (GraphModel model = GraphModel.load(json, Device.cpu(), SessionOptions.defaults())) {
      assertFalse(model.fromCache());
    }
  }

  @Test
  void opUnknownToTensorFlowIsNamed(@TempDir Path models) throws Exception {
    Path source = TestModels.synthetic();
    Path json = models.resolve("model.json");
    Files.writeString(json, Files.readString(source).replace("\"op\": \"Identity\"", "\"op\": \"NoSuchOp\""));
    Files.copy(source.resolveSibling("group1-shard1of1.bin"), models.resolve("group1-shard1of1.bin"));
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> GraphModel.load(json, Device.cpu(), SessionOptions.defaults()));
    assertTrue(e.getMessage().startsWith(json.toString())
        && e.getMessage().contains("op 'NoSuchOp' (node 'features') is not available"), e.getMessage());
  }

  @Test
  void rewrittenGraphHasOnlyCoreOps() throws Exception {
    TfjsModel model = TfjsModel.read(TestModels.synthetic());
    List<String> ops = GraphRewriter.rewrite(model, OpRegistry.get()).getNodeList().stream()
        .map(n -> n.getOp()).distinct().sorted().toList();
    assertEquals(List.of("BiasAdd", "Const", "Conv2D", "Conv2DBackpropInput", "DepthwiseConv2dNative", "Identity",
        "LeakyRelu", "MatMul", "Mul", "Neg", "Placeholder", "Relu", "Relu6", "Reshape", "Sub"), ops);
  }

  @Test
  void bundledModelsAreExtractedOnceAndLoad() throws Exception {
    Path json = BundledModels.extract("selfie");
    assertTrue(json.startsWith(cache.resolve("bundled")));
    assertTrue(Files.isRegularFile(json.resolveSibling("selfie.bin")));
    assertEquals(json, BundledModels.extract("selfie"));
    try (GraphModel model = GraphModel.load(json, Device.cpu(), new SessionOptions(1, 1));
        Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager frame = model.manager().newSubManager()) {
      NDList out = predictor.predict(new NDList(named(frame.zeros(new Shape(1, 256, 256, 3)), "input_1")));
      assertEquals(new Shape(1, 256, 256, 1), out.get("activation_10").getShape());
    }
    assertThrows(FileNotFoundException.class, () -> BundledModels.extract("rvm"), "rvm must never be bundled");
    assertThrows(FileNotFoundException.class, () -> BundledModels.extract("meet"),
        "meet's license is unsettled: fetched on request, never bundled");
  }

  /** Without TfRuntime's override both loads add the same threads: TF's global pool ignores the session's config. */
  @Test
  void sessionOptionsSizeTheSessionsThreadPool() throws Exception {
    Path json = TestModels.npmModel("selfie");
    nativeThreadsAddedBy(json, new SessionOptions(1, 1)); // conversion and one-time start-up threads
    int withOne = nativeThreadsAddedBy(json, new SessionOptions(1, 1));
    int withEight = nativeThreadsAddedBy(json, new SessionOptions(8, 1));
    System.err.println("threads added: intra 1 -> " + withOne + ", intra 8 -> " + withEight);
    assertTrue(withEight - withOne >= 5, "a session with 8 intra-op threads added " + withEight
        + " native threads, one with 1 added " + withOne);
  }

  /**
   * Native threads a loaded and run model started (Linux: /proc/self/task). Counts thread ids above the highest one
   * before loading, so threads of earlier, closed sessions exiting meanwhile do not disturb the count.
   */
  private static int nativeThreadsAddedBy(Path json, SessionOptions options) throws Exception {
    TfRuntime.start();
    long newest = threadIds().max().orElse(0);
    try (GraphModel model = GraphModel.load(json, Device.cpu(), options);
        Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager frame = model.manager().newSubManager()) {
      predictor.predict(new NDList(named(frame.zeros(new Shape(1, 256, 256, 3)), "input_1")));
      return (int) threadIds().filter(id -> id > newest).count();
    }
  }

  private static java.util.stream.LongStream threadIds() throws Exception {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return java.util.stream.LongStream.of(tasks.mapToLong(t -> Long.parseLong(t.getFileName().toString()))
          .toArray());
    }
  }

  private static float[] segments(GraphModel model) throws Exception {
    try (Predictor<NDList, NDList> predictor = model.newPredictor();
        NDManager frame = model.manager().newSubManager()) {
      java.util.Random random = new java.util.Random(7);
      float[] values = new float[161 * 161 * 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextFloat() * 2 - 1;
      }
      NDList out = predictor.predict(new NDList(named(frame.create(values, new Shape(1, 161, 161, 3)), "sub_2")));
      return out.get("float_segments").toFloatArray();
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}
