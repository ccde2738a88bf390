package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ONNX graphs keep ONNX Runtime in its blocked layout: hard-swishes as one op, every Resize by constant scales
 * (its input size inferred through convolutions, squeeze-and-excitation blocks, reshapes and matrix products) with a
 * per-channel scaling moved after it, and biases inside the convolutions. That the converted models still compute
 * what TF.js computes is {@link TfjsReferenceTest}'s part; this pins the form, whose speed the README measures.
 */
class OnnxConverterTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // model, HardSwish, Relu6 left (not a hard-swish's), Resize, Add left (not a convolution's bias)
      "selfie, 11, 0, 3, 14",
      "meet, 11, 10, 3, 22"})
  void mobileNetV3GraphsConvertToBlockedLayoutFriendlyOps(String name, int hardSwish, int relu6, int resize,
      int adds) throws Exception {
    TfjsModel source = TfjsModel.read(TestModels.npmModel(name));
    List<String> ops = OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source)).opTypes();

    assertEquals(hardSwish, Collections.frequency(ops, "HardSwish"), ops::toString);
    assertEquals(relu6, Collections.frequency(ops, "Clip"), ops::toString);
    assertEquals(resize, Collections.frequency(ops, "Resize"), ops::toString);
    assertEquals(0, Collections.frequency(ops, "Shape"), "a Resize by output sizes read at run time: " + ops);
    assertEquals(adds, Collections.frequency(ops, "Add"), "Adds that are no convolution's bias: " + ops);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"mobilenet-float-050-stride16", "mobilenet-quant2-075-stride16"})
  void bodyPixBiasesGoIntoItsConvolutions(String variant) throws Exception {
    TfjsModel source = TfjsModel.read(TestModels.bodyPix(variant));
    List<String> ops = OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source)).opTypes();

    assertEquals(0, Collections.frequency(ops, "Add"), ops::toString);
    assertEquals(0, Collections.frequency(ops, "HardSwish"), ops::toString);
  }
}
