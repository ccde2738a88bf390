package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX graphs keep ONNX Runtime in its blocked layout: hard-swishes as a gate (a depthwise 1x1 convolution and a
 * clip, which ONNX Runtime fuses) times its input, squeeze-and-excitation scalings spread to the image's shape, every
 * bilinear Resize by constant scales (its input size inferred through convolutions, squeeze-and-excitation blocks,
 * reshapes and matrix products) with a per-channel scaling moved after it, and biases inside the convolutions. That
 * the converted models still compute what TF.js computes is {@link TfjsReferenceTest}'s part; this pins the form,
 * whose speed the README measures, and what ONNX Runtime makes of it.
 */
class OnnxConverterTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // model, hard-swish gates, Relu6 left (not a hard-swish's), bilinear Resizes, spread scalings,
      // Adds left (not a convolution's bias)
      "selfie, 11, 0, 3, 10, 14",
      "meet, 11, 10, 3, 10, 22"})
  void mobileNetV3GraphsConvertToBlockedLayoutFriendlyOps(String name, int gates, int relu6, int bilinear,
      int spreads, int adds) throws Exception {
    TfjsModel source = TfjsModel.read(TestModels.npmModel(name));
    List<String> ops = OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source)).opTypes();

    assertEquals(0, Collections.frequency(ops, "HardSwish"), ops::toString);
    assertEquals(gates + relu6, Collections.frequency(ops, "Clip"), ops::toString);
    assertEquals(bilinear + spreads, Collections.frequency(ops, "Resize"), ops::toString);
    assertEquals(gates + spreads, Collections.frequency(ops, "Mul"), "a Mul that is neither a gate nor spread: " + ops);
    assertEquals(0, Collections.frequency(ops, "Shape"), "a Resize by output sizes read at run time: " + ops);
    assertEquals(adds, Collections.frequency(ops, "Add"), "Adds that are no convolution's bias: " + ops);
  }

  /**
   * ONNX Runtime's own optimized graph: selfie's hard-swishes as HardSwish (run as HardSigmoid, which the blocked
   * layout lacks, and a Mul) and its broadcast Muls had it reorder tensors out of that layout and back 54 times an
   * inference, a third of its time (meet's, 59). What is left are reorders around the few ops the layout lacks (the
   * transposed convolution at the end, an Add of a constant; in meet, the matrix products of its
   * squeeze-and-excitation blocks). At least one reorder shows that ONNX Runtime used its blocked layout at all (it
   * does with AVX2 and later).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"selfie, 8", "meet, 33"})
  void onnxRuntimeKeepsTheGraphInItsBlockedLayout(String name, int maxReorders, @TempDir Path dir)
      throws Exception {
    TfjsModel source = TfjsModel.read(TestModels.npmModel(name));
    Path model = dir.resolve("model.onnx");
    try (OutputStream out = Files.newOutputStream(model)) {
      OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source)).writeTo(out);
    }
    Path optimized = dir.resolve("optimized.onnx");
    // DJL's engine makes ONNX Runtime's one environment, with options of its own, and fails where one exists.
    Engine.getEngine(InferenceEngine.ONNXRUNTIME.djlName());
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(model.toString(), options).close();
    }
    List<String> ops = opTypes(optimized);

    long reorders = ops.stream().filter(op -> op.startsWith("Reorder")).count();
    assertTrue(reorders >= 1 && reorders <= maxReorders, reorders + " reorders: " + ops);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"mobilenet-float-050-stride16", "mobilenet-quant2-075-stride16"})
  void bodyPixBiasesGoIntoItsConvolutions(String variant) throws Exception {
    TfjsModel source = TfjsModel.read(TestModels.bodyPix(variant));
    List<String> ops = OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source)).opTypes();

    assertEquals(0, Collections.frequency(ops, "Add"), ops::toString);
    assertEquals(0, Collections.frequency(ops, "HardSwish"), ops::toString);
    assertEquals(0, Collections.frequency(ops, "Resize"), "a constant scaling spread over the image: " + ops);
  }

  /** The op types of an ONNX file's nodes, read with protobuf's schema-less parser (ModelProto.graph = 7, ...). */
  private static List<String> opTypes(Path onnx) throws Exception {
    UnknownFieldSet model = UnknownFieldSet.parseFrom(Files.readAllBytes(onnx));
    UnknownFieldSet graph = UnknownFieldSet.parseFrom(model.getField(7).getLengthDelimitedList().get(0));
    List<String> ops = new ArrayList<>();
    for (ByteString node : graph.getField(1).getLengthDelimitedList()) { // GraphProto.node = 1
      ops.add(UnknownFieldSet.parseFrom(node).getField(4).getLengthDelimitedList().get(0).toStringUtf8()); // op_type
    }
    return ops;
  }
}
