package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.TensorProto;

class TfjsModelTest {
  private static final String FLOAT_050 = "mobilenet-float-050-stride16";

  @TempDir Path dir;

  @Test
  void bodyPixHasItsPlaceholderAsInputAndItsSinksAsOutputs() throws Exception {
    TfjsModel model = TfjsModel.read(TestModels.bodyPix(FLOAT_050));
    assertEquals(List.of("sub_2"), model.inputNames());
    assertEquals(List.of("MobilenetV1/displacement_bwd_2/BiasAdd", "MobilenetV1/displacement_fwd_2/BiasAdd",
        "float_heatmaps", "float_long_offsets", "float_part_heatmaps", "float_part_offsets", "float_segments",
        "float_short_offsets"), model.outputNames());
    assertEquals(72, model.weights().size());
    assertEquals(64, model.contentHash().length());
  }

  @Test
  void signatureKeysBecomeFriendlyNames() throws Exception {
    TfjsModel rvm = TfjsModel.read(TestModels.npmModel("rvm"));
    assertEquals(List.of("downsample_ratio", "r1i", "r2i", "r3i", "r4i", "src"), rvm.inputNames());
    assertEquals(List.of("fgr", "pha", "r1o", "r2o", "r3o", "r4o"), rvm.outputNames());
    assertEquals("Identity_1:0", rvm.outputs().get(1).tensor());
    TfjsModel selfie = TfjsModel.read(TestModels.npmModel("selfie"));
    assertEquals(List.of("input_1"), selfie.inputNames());
    assertEquals(List.of("activation_10"), selfie.outputNames());
    assertEquals(List.of("segment"), TfjsModel.read(TestModels.npmModel("meet")).outputNames());
  }

  @Test
  void theGraphIsReadFromItsCachedBinaryFormNextTimeAndAgainFromJsonWhenThatIsDamaged() throws Exception {
    String before = System.getProperty("vbackcam.cache");
    Path cache = dir.resolve("cache");
    System.setProperty("vbackcam.cache", cache.toString());
    try {
      Path json = TestModels.npmModel("meet");
      TfjsModel parsed = TfjsModel.read(json);
      Path graph;
      try (var entries = Files.list(cache)) {
        graph = entries.filter(p -> p.getFileName().toString().endsWith("-graph1")).findFirst().orElseThrow()
            .resolve("graph.pb");
      }
      assertTrue(Files.size(graph) > 1000, "the graph was cached");
      TfjsModel cached = TfjsModel.read(json);
      assertEquals(parsed.graph(), cached.graph());
      assertEquals(parsed.inputs(), cached.inputs());
      assertEquals(parsed.outputs(), cached.outputs());
      assertEquals(parsed.contentHash(), cached.contentHash());
      assertEquals(List.of(1L, 144L, 256L, 3L), cached.inputs().get(0).shape().getDimList().stream()
          .map(d -> d.getSize()).toList());

      Files.write(graph, new byte[] {1, 2, 3});
      assertEquals(parsed.graph(), TfjsModel.read(json).graph(), "a damaged entry is parsed again from the json");
    } finally {
      if (before == null) {
        System.clearProperty("vbackcam.cache");
      } else {
        System.setProperty("vbackcam.cache", before);
      }
    }
  }

  @Test
  void float16WeightsAreDecoded() throws Exception {
    TfjsModel selfie = TfjsModel.read(TestModels.npmModel("selfie"));
    WeightSpec halfs = selfie.weightSpecs().stream().filter(w -> w.quantization() != null).findFirst().orElseThrow();
    TensorProto t = selfie.weights().get(halfs.name());
    assertEquals(DataType.DT_FLOAT, t.getDtype());
    assertEquals(halfs.elementCount() * 4, t.getTensorContent().size());
  }

  @Test
  void halfFloatsDecodeExactly() {
    assertEquals(1.0f, Float16.toFloat((short) 0x3c00));
    assertEquals(-2.0f, Float16.toFloat((short) 0xc000));
    assertEquals(65504f, Float16.toFloat((short) 0x7bff));
    assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001)); // smallest subnormal
    assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400)); // smallest normal
    assertEquals(-0.0f, Float16.toFloat((short) 0x8000));
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7c00));
    assertTrue(Float.isNaN(Float16.toFloat((short) 0x7e00)));
  }

  @Test
  void quantizedWeightsDequantizeLikeTfjs() {
    java.nio.ByteBuffer stored = java.nio.ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255, 0, 0x3c});
    // uint8-quantized int32 (BodyPix ResNet): round(min + scale * q)
    WeightSpec ints = new WeightSpec("i", new long[] {4}, "int32", new WeightSpec.Quantization("uint8", -1, 0.75), 0,
        0);
    java.nio.IntBuffer i = WeightDecoder.decode(ints, stored).getTensorContent().asReadOnlyByteBuffer()
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    assertEquals(List.of(-1, 0, 1, 190), List.of(i.get(0), i.get(1), i.get(2), i.get(3)));
    // uint8-quantized float32: min + scale * q, rounded to float32
    WeightSpec floats = new WeightSpec("f", new long[] {2}, "float32", new WeightSpec.Quantization("uint8", -1, 0.1),
        0, 2);
    java.nio.FloatBuffer f = WeightDecoder.decode(floats, stored).getTensorContent().asReadOnlyByteBuffer()
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    assertEquals((float) (2 * 0.1 - 1), f.get(0));
    assertEquals((float) (255 * 0.1 - 1), f.get(1));
    // float16 at offset 4: 0x3c00 little-endian = 1.0
    WeightSpec half = new WeightSpec("h", new long[] {1}, "float32", new WeightSpec.Quantization("float16", 0, 1), 0,
        4);
    assertEquals(1.0f, WeightDecoder.decode(half, stored).getTensorContent().asReadOnlyByteBuffer()
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat());
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet50-float-stride16", "resnet50-quant1-stride16", "resnet50-quant2-stride16",
      "mobilenet-float-100-stride16", "mobilenet-quant2-100-stride16"})
  void incompleteModelsParseButReadNamesTheMissingShard(String variant) throws Exception {
    Path json = TestModels.bodyPixIncomplete(variant);
    TfjsModel topology = TfjsModel.readTopology(json);
    assertEquals(List.of("sub_2"), topology.inputNames());
    assertTrue(topology.outputNames().contains("float_segments"));
    assertTrue(topology.weights().isEmpty());
    if (variant.startsWith("resnet50")) {
      assertEquals(126, topology.weightSpecs().size());
      assertEquals(2, topology.weightSpecs().stream().filter(w -> w.dtype().equals("int32")).count());
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertTrue(e.getMessage().contains("group1-shard1of") && e.getMessage().contains("weight shard missing"),
        e.getMessage());
  }

  @Test
  void truncatedShardIsNamedWithByteCounts() throws Exception {
    Path json = copyOf(FLOAT_050);
    Path shard = dir.resolve("group1-shard1of1.bin");
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertEquals(shard, e.file());
    assertTrue(e.getMessage().contains("group1-shard1of1.bin has 2418840")
        && e.getMessage().contains("needs 2419840 bytes") && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void missingShardIsNamed() throws Exception {
    Path json = copyOf(FLOAT_050);
    Files.delete(dir.resolve("group1-shard1of1.bin"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertEquals(dir.resolve("group1-shard1of1.bin"), e.file());
    assertTrue(e.getMessage().contains("weight shard missing"), e.getMessage());
  }

  @Test
  void garbageJsonIsRejectedNamingTheFile() throws Exception {
    Path json = dir.resolve("model.json");
    Files.writeString(json, "{\"format\": \"graph-model\", \"modelTopology\": {\"node\": [ oops");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertTrue(e.getMessage().startsWith(json + ": not valid JSON"), e.getMessage());
    Files.writeString(json, "[1, 2]");
    assertTrue(assertThrows(ModelFormatException.class, () -> TfjsModel.read(json)).getMessage()
        .contains("not an object"));
    Files.writeString(json, "{\"format\": \"layers-model\"}");
    assertTrue(assertThrows(ModelFormatException.class, () -> TfjsModel.read(json)).getMessage()
        .contains("layers-model"));
  }

  /**
   * The tester's files: 1.2 MB nesting objects 200,000 deep overflowed the stack; 10 MB of brackets built a tree of
   * hundreds of MB; 15 MB of 900,000 keys added 222 MB. All are refused from a streaming walk, naming the file and
   * the problem, allocating little more than the file's bytes.
   */
  @Test
  void deepOrHugeJsonIsRefusedBeforeATreeIsBuilt() throws Exception {
    Path json = dir.resolve("model.json");
    Files.writeString(json, "{\"modelTopology\":" + "{\"a\":".repeat(200_000) + "1" + "}".repeat(200_000) + "}");
    assertRefusedCheaply(json, "JSON nested deeper than 64 levels");
    Files.writeString(json, "[".repeat(5_000_000) + "]".repeat(5_000_000));
    assertRefusedCheaply(json, "JSON nested deeper than 64 levels");
    StringBuilder keys = new StringBuilder("{\"modelTopology\":{");
    for (int i = 0; i < 900_000; i++) {
      keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    Files.writeString(json, keys.append("}}"));
    assertRefusedCheaply(json, "JSON of more than 500,000 tokens (names and values)");
  }

  @Test
  void fieldsOfTheWrongTypeAreNamedWithoutQuotingTheJson() throws Exception {
    Path json = copyOf(FLOAT_050);
    String model = Files.readString(json);
    Files.writeString(json, model.replaceFirst("\"shape\"\\s*:\\s*\\[", "\"shape\": [\"secret\", "));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertEquals(json + ": malformed weightsManifest: group 0 has a field of the wrong JSON type", e.getMessage());
    Files.writeString(json, model.replaceFirst("\"weights\"\\s*:\\s*\\[", "\"weights\": [\"secret\", "));
    e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    Files.writeString(json, "{\"format\": {\"secret\": 1}}");
    e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertEquals(json + ": a format that is not a string is not supported, only graph-model", e.getMessage());
  }

  private static void assertRefusedCheaply(Path json, String problem) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(json + ": " + problem, e.getMessage());
    // The file's bytes, read once, and a few buffers: not a tree.
    assertTrue(allocated < 3 * json.toFile().length() + 8_000_000, allocated + " bytes allocated");
  }

  @Test
  void unknownDtypeIsNamed() throws Exception {
    Path json = copyOf(FLOAT_050);
    String text = Files.readString(json).replaceFirst("\"dtype\"\\s*:\\s*\"float32\"", "\"dtype\": \"complex64\"");
    Files.writeString(json, text);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertTrue(e.getMessage().contains("unknown dtype 'complex64'"), e.getMessage());
  }

  @Test
  void constWithoutWeightIsNamed() throws Exception {
    Path json = copyOf(FLOAT_050);
    // The manifest comes after the topology: rename the weight's last mention, not the node.
    String text = Files.readString(json);
    String key = "\"name\":\"MobilenetV1/offset_2/weights\"";
    int at = text.lastIndexOf(key);
    assertTrue(at > text.indexOf("weightsManifest"), "test setup: weight entry not found");
    Files.writeString(json, text.substring(0, at) + "\"name\":\"renamed\"" + text.substring(at + key.length()));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfjsModel.read(json));
    assertTrue(e.getMessage().contains("Const node 'MobilenetV1/offset_2/weights' has no weight"), e.getMessage());
  }

  @Test
  void hashCoversTheShards() throws Exception {
    Path json = copyOf(FLOAT_050);
    String before = TfjsModel.read(json).contentHash();
    Path shard = dir.resolve("group1-shard1of1.bin");
    byte[] bytes = Files.readAllBytes(shard);
    bytes[100] ^= 1;
    Files.write(shard, bytes);
    assertNotEquals(before, TfjsModel.read(json).contentHash());
  }

  private Path copyOf(String variant) throws Exception {
    Path source = TestModels.bodyPix(variant);
    Files.copy(source, dir.resolve(source.getFileName()));
    Files.copy(source.resolveSibling("group1-shard1of1.bin"), dir.resolve("group1-shard1of1.bin"));
    return dir.resolve(source.getFileName());
  }
}
