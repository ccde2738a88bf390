package io.github.vbackcam.core.tfjs;

import com.google.protobuf.ByteString;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.framework.AttrValue;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.GraphDef;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.TensorProto;
import org.tensorflow.proto.framework.TensorShapeProto;

/**
 * Converts a rewritten TF.js graph (the one {@link GraphRewriter} makes for TensorFlow: weights in Consts, fused ops
 * split, Prelu and dilations rewritten) into an ONNX model for ONNX Runtime.
 *
 * <p>Tensors stay NHWC as in TensorFlow, so element-wise ops, biases and concatenations keep their TensorFlow
 * broadcasting and axes unchanged. Only the ops ONNX defines on NCHW (convolutions and pooling) are wrapped in a
 * transpose to NCHW and one back; ONNX Runtime's transpose optimizer then cancels the pairs between consecutive
 * convolutions, so the graph runs in ONNX Runtime's own blocked layout. Filters are transposed here, once.
 *
 * <p>Rewrites keep ONNX Runtime in that blocked layout, where its kernels are fastest (selfie took 3.4 ms an
 * inference before them and 2.4 after; ONNX Runtime's profiler showed where): a bias added to a convolution's only
 * output becomes the convolution's own bias; MobileNetV3's hard-swish, {@code x * relu6(x + 3) / 6} in four
 * element-wise ops, becomes {@code x} times a gate that ONNX Runtime computes in one fused convolution; a
 * squeeze-and-excitation block's per-channel scaling becomes a product of two tensors of one shape; a
 * {@code ResizeBilinear} whose input size the graph fixes ({@link StaticShapes}) by a whole factor becomes a
 * {@code Resize} by constant scales, which ONNX Runtime runs without leaving the blocked layout; a per-channel
 * scaling before such a resize moves after it; and a transposed convolution whose kernel moves by its own size
 * becomes a 1x1 convolution in the layout and a transposed convolution that only places values. On a later, slower
 * machine the gate and the spread scaling took selfie's inference to 0.62x (ONNX Runtime's optimized graph reordered
 * tensors out of the layout and back 54 times an inference, 8 times with them).
 *
 * <p>ONNX values are named after the TensorFlow tensors ({@code node:index}); the graph's inputs and outputs carry
 * the model's endpoint names, so predictors feed and read arrays by the same names as with TensorFlow.
 */
final class OnnxConverter {
  /** Part of the cache entry's name; bumped whenever the conversion changes, so older conversions are not reused. */
  static final String VERSION = "onnx4";
  private static final long[] TO_NCHW = {0, 3, 1, 2};
  private static final long[] TO_NHWC = {0, 2, 3, 1};
  /** TensorFlow's element-wise ops (NumPy broadcasting) and their ONNX names. */
  static final Map<String, String> ELEMENTWISE = Map.ofEntries(
      Map.entry("Add", "Add"), Map.entry("AddV2", "Add"), Map.entry("BiasAdd", "Add"), Map.entry("Sub", "Sub"),
      Map.entry("Mul", "Mul"), Map.entry("RealDiv", "Div"), Map.entry("Maximum", "Max"),
      Map.entry("Minimum", "Min"), Map.entry("AddN", "Sum"), Map.entry("Neg", "Neg"), Map.entry("Relu", "Relu"),
      Map.entry("Sigmoid", "Sigmoid"), Map.entry("Tanh", "Tanh"), Map.entry("Elu", "Elu"),
      Map.entry("Identity", "Identity"), Map.entry("Exp", "Exp"), Map.entry("Sqrt", "Sqrt"));

  private final Path json;
  private final OnnxModel onnx;
  private final Map<String, NodeDef> consts = new HashMap<>();
  private final Set<String> emittedConsts = new HashSet<>();
  /** TensorFlow tensor names that are graph inputs, by the ONNX name they have there. */
  private final Map<String, String> renamed = new HashMap<>();
  private final StaticShapes shapes = new StaticShapes(consts::get);
  /** The nodes reading each node's outputs (data inputs only), once per read. */
  private final Map<String, List<NodeDef>> consumers = new HashMap<>();
  /** Nodes whose work another ONNX node does (a bias, a hard-swish's inner ops, the scaling before a resize). */
  private final Set<String> fused = new HashSet<>();
  /** Resizes of a per-channel scaling, by the name of the ResizeBilinear: resized first, then scaled. */
  private final Map<String, ScaledResize> scaledResizes = new HashMap<>();
  /** Hard-swishes, by the name of the Mul whose output they are. */
  private final Map<String, HardSwish> hardSwish = new HashMap<>();
  /** Every node, by name. */
  private final Map<String, NodeDef> producers = new HashMap<>();
  /** Nodes whose outputs are the model's outputs: never fused away. */
  private final Set<String> endpoints = new HashSet<>();

  private OnnxConverter(Path json) {
    this.json = json;
    this.onnx = new OnnxModel(json.getFileName().toString());
  }

  /** The ONNX model for {@code graph}, the rewritten graph of {@code source}. */
  static OnnxModel convert(TfjsModel source, GraphDef graph) throws ModelFormatException {
    return new OnnxConverter(source.json()).run(source, graph);
  }

  private OnnxModel run(TfjsModel source, GraphDef graph) throws ModelFormatException {
    for (NodeDef node : graph.getNodeList()) {
      if (node.getOp().equals("Const")) {
        consts.put(node.getName(), node);
      }
    }
    for (NodeDef node : graph.getNodeList()) {
      producers.put(node.getName(), node);
      for (String in : dataInputs(node)) {
        consumers.computeIfAbsent(TfjsModel.nodeName(in), k -> new ArrayList<>()).add(node);
      }
    }
    source.outputs().forEach(out -> endpoints.add(TfjsModel.nodeName(out.tensor())));
    for (TfjsModel.Endpoint in : source.inputs()) {
      renamed.put(value(in.tensor()), in.name());
      shapes.input(in.tensor(), in.shape());
      long[] dims = in.shape().getUnknownRank() ? new long[] {-1, -1, -1, -1} : dims(in.shape());
      onnx.input(in.name(), elementType(in.dtype(), in.name()), dims);
    }
    List<NodeDef> order = topological(graph);
    order.forEach(node -> shapes.infer(node, dataInputs(node), this::constValues));
    order.forEach(this::findHardSwish);
    order.forEach(this::findScaledResize);
    for (NodeDef node : order) {
      if (!fused.contains(node.getName())) {
        convert(node);
      }
    }
    for (TfjsModel.Endpoint out : source.outputs()) {
      onnx.node("Identity", out.name() + "/output", List.of(input(out.tensor())), List.of(out.name()));
      onnx.output(out.name(), elementType(out.dtype(), out.name()));
    }
    return onnx;
  }

  private void convert(NodeDef node) throws ModelFormatException {
    String op = node.getOp();
    String out = node.getName() + ":0";
    List<String> data = dataInputs(node);
    HardSwish swish = hardSwish.get(node.getName());
    if (swish != null) {
      long[] shape = shapes.of(swish.x());
      if (shape != null && shape.length == 4 && shape[3] > 0) {
        gatedHardSwish(node, swish, shape[3], out);
      } else if (swish.factor() == 1) {
        onnx.node("HardSwish", node.getName(), List.of(input(swish.x())), List.of(out));
      } else {
        onnx.node("HardSwish", node.getName() + "/_swish", List.of(input(swish.x())), List.of(out + "/_swish"));
        constant(node.getName() + "/_factor", swish.factor());
        onnx.node("Mul", node.getName(), List.of(out + "/_swish", node.getName() + "/_factor"), List.of(out));
      }
      return;
    }
    switch (op) {
      case "Const", "Placeholder", "NoOp" -> { }
      case "Relu6" -> {
        constant(node.getName() + "/_zero", 0f);
        constant(node.getName() + "/_six", 6f);
        onnx.node("Clip", node.getName(), List.of(input(data.get(0)), node.getName() + "/_zero",
            node.getName() + "/_six"), List.of(out));
      }
      case "LeakyRelu" -> onnx.node("LeakyRelu", node.getName(), List.of(input(data.get(0))), List.of(out),
          OnnxModel.Attr.of("alpha", node.getAttrOrDefault("alpha", AttrValue.newBuilder().setF(0.2f).build())
              .getF()));
      case "Conv2D" -> conv(node, data, false);
      case "DepthwiseConv2dNative" -> conv(node, data, true);
      case "Conv2DBackpropInput" -> transposedConv(node, data);
      case "AvgPool", "MaxPool" -> pool(node, data);
      case "Pad" -> {
        long[] paddings = ints(node, data.get(1));
        long[] pads = new long[paddings.length];
        int rank = paddings.length / 2;
        for (int i = 0; i < rank; i++) {
          pads[i] = paddings[2 * i];
          pads[rank + i] = paddings[2 * i + 1];
        }
        String name = node.getName() + "/_pads";
        onnx.int64Initializer(name, new long[] {pads.length}, pads);
        onnx.node("Pad", node.getName(), List.of(input(data.get(0)), name), List.of(out));
      }
      case "ResizeBilinear" -> resize(node, data);
      case "Reshape" -> {
        long[] shape = ints(node, data.get(1));
        String name = node.getName() + "/_shape";
        onnx.int64Initializer(name, new long[] {shape.length}, shape);
        onnx.node("Reshape", node.getName(), List.of(input(data.get(0)), name), List.of(out));
      }
      case "ConcatV2" -> {
        long axis = ints(node, data.get(data.size() - 1))[0];
        onnx.node("Concat", node.getName(), data.subList(0, data.size() - 1).stream().map(this::input)
            .toList(), List.of(out), OnnxModel.Attr.of("axis", axis));
      }
      case "MatMul" -> {
        String a = maybeTranspose(node, data.get(0), "transpose_a", "/_a");
        String b = maybeTranspose(node, data.get(1), "transpose_b", "/_b");
        onnx.node("MatMul", node.getName(), List.of(a, b), List.of(out));
      }
      default -> {
        if (op.equals("Mul") && channelScaling(node, data, out)) {
          return;
        }
        String onnxOp = ELEMENTWISE.get(op);
        if (onnxOp == null) {
          throw new ModelFormatException(json, "op '" + op + "' (node '" + node.getName()
              + "') has no ONNX conversion; use --engine tensorflow for this model");
        }
        onnx.node(onnxOp, node.getName(), data.stream().map(this::input).toList(), List.of(out));
      }
    }
  }

  /**
   * ResizeBilinear(x, size) as Resize. By a whole factor from an input size the graph fixes, the scales are a
   * constant; otherwise Resize wants all four output sizes: batch and channels from the input's shape at run time
   * (ONNX Runtime folds them to constants when the input shape is known), height and width from the constant.
   */
  private void resize(NodeDef node, List<String> data) throws ModelFormatException {
    String name = node.getName();
    ScaledResize scaled = scaledResizes.get(name);
    String out = scaled == null ? name + ":0" : name + "/_unscaled";
    long[] size = ints(node, data.get(1));
    String x = input(scaled == null ? data.get(0) : scaled.x());
    boolean alignCorners = node.getAttrOrDefault("align_corners", AttrValue.getDefaultInstance()).getB();
    boolean halfPixel = node.getAttrOrDefault("half_pixel_centers", AttrValue.getDefaultInstance()).getB();
    OnnxModel.Attr[] attrs = {OnnxModel.Attr.of("mode", "linear"), OnnxModel.Attr.of(
        "coordinate_transformation_mode", alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric")};
    long[] in = shapes.of(data.get(0));
    if (in != null && in.length == 4 && in[1] > 0 && in[2] > 0 && size[0] % in[1] == 0 && size[1] % in[2] == 0) {
      onnx.floatInitializer(name + "/_scales", new long[] {4},
          new float[] {1, (float) (size[0] / in[1]), (float) (size[1] / in[2]), 1});
      onnx.node("Resize", name, List.of(x, "", name + "/_scales"), List.of(out), attrs);
    } else {
      onnx.int64Initializer(name + "/_hw", new long[] {2}, size);
      onnx.int64Initializer(name + "/_n", new long[] {1}, new long[] {0});
      onnx.int64Initializer(name + "/_c", new long[] {1}, new long[] {3});
      onnx.node("Shape", name + "/_shape", List.of(x), List.of(name + "/_shape"));
      onnx.node("Gather", name + "/_batch", List.of(name + "/_shape", name + "/_n"), List.of(name + "/_batch"));
      onnx.node("Gather", name + "/_channels", List.of(name + "/_shape", name + "/_c"),
          List.of(name + "/_channels"));
      onnx.node("Concat", name + "/_sizes", List.of(name + "/_batch", name + "/_hw", name + "/_channels"),
          List.of(name + "/_sizes"), OnnxModel.Attr.of("axis", 0L));
      onnx.node("Resize", name, List.of(x, "", "", name + "/_sizes"), List.of(out), attrs);
    }
    if (scaled != null) {
      spreadProduct(name + "/_scale", out, input(scaled.scale()), size[0], size[1], name + ":0");
    }
  }

  /**
   * Marks {@code mul} as a hard-swish when it multiplies {@code x}, {@code relu6(x + 3)} and constants whose product
   * is 1/6, in any grouping of two Muls (Keras' MobileNetV3 writes {@code (x * 1/6) * relu6(x + 3)}), and the inner
   * ops are read by nothing else: they are then not converted. A product that float16 weights made slightly other
   * than 1/6 is kept exactly, as the factor of the gate ({@link #gatedHardSwish}), or by a Mul after a HardSwish
   * where the channels are not known.
   */
  private void findHardSwish(NodeDef mul) {
    if (!mul.getOp().equals("Mul") || endpoints.contains(mul.getName())) {
      return;
    }
    List<NodeDef> inner = new ArrayList<>();
    List<String> factors = new ArrayList<>();
    double scale = 1;
    for (String operand : dataInputs(mul)) {
      NodeDef m = onlyUse(operand, "Mul");
      if (m != null) {
        inner.add(m);
      }
      for (String part : m == null ? List.of(operand) : dataInputs(m)) {
        Float c = scalar(part);
        if (c != null) {
          scale *= c;
        } else {
          factors.add(part);
        }
      }
    }
    if (factors.size() != 2 || Math.abs(scale * 6 - 1) > 1e-3) {
      return;
    }
    for (int i = 0; i < 2; i++) {
      NodeDef relu6 = onlyUse(factors.get(i), "Relu6");
      NodeDef add = relu6 == null ? null : onlyUse(dataInputs(relu6).get(0), "AddV2", "Add");
      List<String> addIn = add == null ? List.of() : dataInputs(add);
      for (int k = 0; k < addIn.size(); k++) {
        Float three = scalar(addIn.get(1 - k));
        String x = value(addIn.get(k));
        if (three != null && three == 3f && x.equals(value(factors.get(1 - i)))) {
          hardSwish.put(mul.getName(), new HardSwish(x, (float) (scale * 6)));
          fused.addAll(List.of(relu6.getName(), add.getName()));
          inner.forEach(n -> fused.add(n.getName()));
          return;
        }
      }
    }
  }

  /**
   * Marks a ResizeBilinear of {@code x * s}, {@code s} one value per channel (a squeeze-and-excitation block's
   * output, [1, 1, 1, C]) and the Mul read by nothing else, to be converted as {@code resize(x) * s}: the same
   * values (bilinear weights sum to one), but ONNX Runtime keeps a Resize of a convolution's output in its blocked
   * layout, and in selfie's decoder the plain Resize of the Mul took 0.3 ms, a tenth of the whole inference.
   */
  private void findScaledResize(NodeDef resize) {
    if (!resize.getOp().equals("ResizeBilinear")) {
      return;
    }
    NodeDef mul = onlyUse(dataInputs(resize).get(0), "Mul");
    if (mul == null || hardSwish.containsKey(mul.getName()) || dataInputs(mul).size() != 2) {
      return;
    }
    List<String> operands = dataInputs(mul);
    for (int i = 0; i < 2; i++) {
      long[] x = shapes.of(operands.get(1 - i));
      if (scalesChannels(shapes.of(operands.get(i)), x) && x[1] != 1 && x[2] != 1) {
        scaledResizes.put(resize.getName(), new ScaledResize(operands.get(1 - i), operands.get(i)));
        fused.add(mul.getName());
        return;
      }
    }
  }

  /** A resize of {@code x * scale}, done as {@code resize(x) * scale}. */
  private record ScaledResize(String x, String scale) { }

  /**
   * {@code factor * hardswish(x)} as {@code x * clip(x * factor / 6 + factor / 2, 0, factor)}, the gate a depthwise
   * 1x1 convolution with a clip: ONNX Runtime fuses the clip into the convolution and keeps it and the product in its
   * blocked layout. A HardSwish runs there as HardSigmoid, which that layout lacks, and a Mul: both reordered the
   * tensor out of the layout and back around every hard-swish.
   */
  private void gatedHardSwish(NodeDef node, HardSwish swish, long channels, String out) {
    String name = node.getName();
    float[] weights = new float[(int) channels];
    float[] bias = new float[(int) channels];
    java.util.Arrays.fill(weights, swish.factor() / 6);
    java.util.Arrays.fill(bias, swish.factor() / 2);
    onnx.floatInitializer(name + "/_gate_weights", new long[] {channels, 1, 1, 1}, weights);
    onnx.floatInitializer(name + "/_gate_bias", new long[] {channels}, bias);
    constant(name + "/_zero", 0f);
    constant(name + "/_max", swish.factor());
    String x = input(swish.x());
    onnx.node("Conv", name + "/_gate_linear", List.of(toNchw(node, x), name + "/_gate_weights",
        name + "/_gate_bias"), List.of(name + "/_gate_linear"), OnnxModel.Attr.ints("kernel_shape", 1, 1),
        OnnxModel.Attr.of("group", channels));
    onnx.node("Clip", name + "/_gate", List.of(name + "/_gate_linear", name + "/_zero", name + "/_max"),
        List.of(name + "/_gate"));
    toNhwc(node, name + "/_gate", name + "/_gate_nhwc");
    onnx.node("Mul", name, List.of(x, name + "/_gate_nhwc"), List.of(out));
  }

  /**
   * A Mul of an image [1, H, W, C] by one computed value per channel [1, 1, 1, C] (a squeeze-and-excitation block)
   * as a Mul of two images, the scaling spread over H x W by a nearest-neighbour Resize: ONNX Runtime's blocked
   * layout has element-wise ops only on tensors of one shape, so a broadcast Mul reordered both out of it and the
   * product back. A constant scaling is left alone: ONNX Runtime folds that into the convolution before it.
   */
  private boolean channelScaling(NodeDef node, List<String> data, String out) {
    if (data.size() != 2) {
      return false;
    }
    for (int i = 0; i < 2; i++) {
      long[] x = shapes.of(data.get(1 - i));
      if (!consts.containsKey(TfjsModel.nodeName(data.get(i))) && scalesChannels(shapes.of(data.get(i)), x)
          && x[1] > 0 && x[2] > 0 && x[1] * x[2] > 1) {
        spreadProduct(node.getName(), input(data.get(1 - i)), input(data.get(i)), x[1], x[2], out);
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} is [1, 1, 1, C] and {@code x} [N, H, W, C]: one value of {@code s} per channel of x. */
  private static boolean scalesChannels(long[] s, long[] x) {
    return s != null && x != null && s.length == 4 && x.length == 4 && s[0] == 1 && s[1] == 1 && s[2] == 1
        && s[3] == x[3];
  }

  /** {@code out = x * scale}, x [N, height, width, C] and scale [1, 1, 1, C], as two tensors of x's shape. */
  private void spreadProduct(String name, String x, String scale, long height, long width, String out) {
    onnx.floatInitializer(name + "/_spread_scales", new long[] {4}, new float[] {1, height, width, 1});
    onnx.node("Resize", name + "/_spread", List.of(scale, "", name + "/_spread_scales"), List.of(name + "/_spread"),
        OnnxModel.Attr.of("mode", "nearest"), OnnxModel.Attr.of("coordinate_transformation_mode", "asymmetric"),
        OnnxModel.Attr.of("nearest_mode", "floor"));
    onnx.node("Mul", name, List.of(x, name + "/_spread"), List.of(out));
  }

  /** A hard-swish of {@code x}, times {@code factor} (1 but for rounded weights). */
  private record HardSwish(String x, float factor) { }

  /** The node producing {@code tensor} if it is one of {@code ops}, read once and not an endpoint; else null. */
  private NodeDef onlyUse(String tensor, String... ops) {
    String name = TfjsModel.nodeName(tensor);
    List<NodeDef> readers = consumers.getOrDefault(name, List.of());
    NodeDef producer = producers.get(name);
    if (producer == null || readers.size() != 1 || endpoints.contains(name) || !value(tensor).equals(name + ":0")) {
      return null;
    }
    return List.of(ops).contains(producer.getOp()) ? producer : null;
  }

  /** The value of a float constant of rank 0 or 1 with one element, or null. */
  private Float scalar(String tensor) {
    NodeDef c = consts.get(TfjsModel.nodeName(tensor));
    if (c == null || dims(c).length > 1 || count(dims(c)) != 1
        || c.getAttrOrThrow("value").getTensor().getDtype() != DataType.DT_FLOAT) {
      return null;
    }
    return floats(c)[0];
  }

  /**
   * The ONNX inputs of a convolution: its input, its weights and, where a BiasAdd or Add of a constant with one
   * value per output channel is the only reader of its output, that constant as its bias; that op is then not
   * converted. Each bias value is written {@code repeat} times in a row, for a convolution with that many output
   * channels for each of the TensorFlow op's.
   */
  private ConvInputs convInputs(NodeDef conv, String nchw, String weights, long channels, int repeat) {
    ConvInputs plain = new ConvInputs(List.of(nchw, weights), conv.getName() + ":0");
    List<NodeDef> readers = consumers.getOrDefault(conv.getName(), List.of());
    if (endpoints.contains(conv.getName()) || readers.size() != 1
        || !List.of("BiasAdd", "Add", "AddV2").contains(readers.get(0).getOp())) {
      return plain;
    }
    NodeDef add = readers.get(0);
    List<String> in = dataInputs(add);
    if (in.size() != 2) {
      return plain;
    }
    int mine = value(in.get(0)).equals(plain.output()) ? 0 : 1;
    NodeDef c = consts.get(TfjsModel.nodeName(in.get(1 - mine)));
    if ((mine == 1 && add.getOp().equals("BiasAdd")) || c == null || !perChannel(dims(c), channels)
        || c.getAttrOrThrow("value").getTensor().getDtype() != DataType.DT_FLOAT) {
      return plain;
    }
    fused.add(add.getName());
    String bias = add.getName() + "/_bias";
    float[] values = floats(c);
    float[] repeated = new float[values.length * repeat];
    for (int i = 0; i < repeated.length; i++) {
      repeated[i] = values[i / repeat];
    }
    onnx.floatInitializer(bias, new long[] {repeated.length}, repeated);
    return new ConvInputs(List.of(nchw, weights, bias), add.getName() + ":0");
  }

  /** A convolution's ONNX inputs, and the TensorFlow tensor its output stands for. */
  private record ConvInputs(List<String> inputs, String output) { }

  /** Whether a constant of these dimensions adds one value per channel of an NHWC tensor ([C] up to [1, 1, 1, C]). */
  private static boolean perChannel(long[] dims, long channels) {
    if (dims.length == 0 || dims.length > 4 || dims[dims.length - 1] != channels) {
      return false;
    }
    for (int i = 0; i < dims.length - 1; i++) {
      if (dims[i] != 1) {
        return false;
      }
    }
    return true;
  }

  /** Conv2D ([kh, kw, in, out] filter) or depthwise ([kh, kw, in, multiplier]) as an NCHW Conv between transposes. */
  private void conv(NodeDef node, List<String> data, boolean depthwise) throws ModelFormatException {
    checkNhwc(node);
    NodeDef filter = constNode(node, data.get(1));
    long[] d = dims(filter);
    float[] w = floats(filter);
    int kh = (int) d[0];
    int kw = (int) d[1];
    int in = (int) d[2];
    int outer = (int) d[3];
    // ONNX weights are [M, C / group, kh, kw]; a depthwise filter's output channel is input * multiplier + m.
    float[] t = depthwise ? permute(w, d, 2, 3, 0, 1) : permute(w, d, 3, 2, 0, 1);
    String weights = node.getName() + "/_weights";
    onnx.floatInitializer(weights, depthwise ? new long[] {(long) in * outer, 1, kh, kw}
        : new long[] {outer, in, kh, kw}, t);
    String nchw = toNchw(node, input(data.get(0)));
    String result = node.getName() + "/_nchw";
    ConvInputs inputs = convInputs(node, nchw, weights, depthwise ? (long) in * outer : outer, 1);
    onnx.node("Conv", node.getName(), inputs.inputs(), List.of(result), withPadding(node,
        OnnxModel.Attr.ints("kernel_shape", kh, kw), OnnxModel.Attr.ints("strides", spatial(node, "strides")),
        OnnxModel.Attr.ints("dilations", spatial(node, "dilations")),
        OnnxModel.Attr.of("group", depthwise ? in : 1)));
    toNhwc(node, result, inputs.output());
  }

  /**
   * Conv2DBackpropInput(input_sizes, filter [kh, kw, out, in], x) as ConvTranspose. TensorFlow crops the full
   * transposed convolution to {@code input_sizes}, taking the floor half of the excess from the top and left, as
   * its forward convolution pads; the pads here say the same explicitly (ONNX's SAME modes for ConvTranspose have
   * differed between versions). A kernel that moves by its own size, with nothing to crop, goes to
   * {@link #blocksToSpace}.
   */
  private void transposedConv(NodeDef node, List<String> data) throws ModelFormatException {
    checkNhwc(node);
    long[] sizes = ints(node, data.get(0));
    NodeDef filter = constNode(node, data.get(1));
    long[] d = dims(filter);
    float[] w = floats(filter);
    int kh = (int) d[0];
    int kw = (int) d[1];
    int outC = (int) d[2];
    int inC = (int) d[3];
    long[] strides = spatial(node, "strides");
    long[] dilations = spatial(node, "dilations");
    boolean same = padding(node).equals("SAME");
    long[] k = {kh, kw};
    long[] pads = new long[4];
    long[] outputPadding = new long[2];
    for (int i = 0; i < 2; i++) {
      long out = sizes[1 + i];
      long s = strides[i];
      long in = same ? (out + s - 1) / s : (out - k[i]) / s + 1;
      long total = s * (in - 1) + k[i] - out;
      if (total >= 0) {
        pads[i] = same ? total / 2 : 0;
        pads[2 + i] = total - pads[i];
      } else {
        outputPadding[i] = -total;
      }
    }
    String nchw = toNchw(node, input(data.get(2)));
    String result = node.getName() + "/_nchw";
    if (kh > 1 && kh == kw && strides[0] == kh && strides[1] == kw && dilations[0] == 1 && dilations[1] == 1
        && java.util.Arrays.equals(pads, new long[4]) && java.util.Arrays.equals(outputPadding, new long[2])) {
      blocksToSpace(node, w, d, nchw, result);
      return;
    }
    String weights = node.getName() + "/_weights";
    onnx.floatInitializer(weights, new long[] {inC, outC, kh, kw}, permute(w, d, 3, 2, 0, 1));
    ConvInputs inputs = convInputs(node, nchw, weights, outC, 1);
    onnx.node("ConvTranspose", node.getName(), inputs.inputs(), List.of(result),
        OnnxModel.Attr.ints("kernel_shape", kh, kw), OnnxModel.Attr.ints("strides", strides),
        OnnxModel.Attr.ints("dilations", dilations), OnnxModel.Attr.ints("pads", pads),
        OnnxModel.Attr.ints("output_padding", outputPadding));
    toNhwc(node, result, inputs.output());
  }

  /**
   * A transposed convolution whose k x k kernel moves by k (selfie's and meet's last layer) writes each output pixel
   * from one input pixel: a 1x1 convolution to {@code out * k * k} channels, one per output channel and place in its
   * k x k block, whose values a transposed convolution with a kernel of ones and zeros then puts in their places. ONNX
   * Runtime runs the 1x1 convolution in its blocked layout and reorders only its few channels out of it, where the
   * one transposed convolution (which the layout lacks) had all its input reordered first: selfie's 16 channels at
   * 128x128, 0.19 ms of a 3.9 ms inference. (ONNX's DepthToSpace does the placing too, but ONNX Runtime's took
   * 0.15 ms for a 256x256 output.)
   *
   * @param w the TensorFlow filter, {@code dims} [k, k, out, in]
   */
  private void blocksToSpace(NodeDef node, float[] w, long[] dims, String nchw, String result) {
    int k = (int) dims[0];
    int out = (int) dims[2];
    int in = (int) dims[3];
    // [out * k * k, in, 1, 1]: output channel (o * k + y) * k + x, the order the placing kernel below reads
    String weights = node.getName() + "/_weights";
    onnx.floatInitializer(weights, new long[] {(long) out * k * k, in, 1, 1}, permute(w, dims, 2, 0, 1, 3));
    ConvInputs inputs = convInputs(node, nchw, weights, out, k * k);
    String blocks = node.getName() + "/_blocks";
    onnx.node("Conv", blocks, inputs.inputs(), List.of(blocks), OnnxModel.Attr.ints("kernel_shape", 1, 1));
    float[] place = new float[out * k * k * out * k * k]; // [out * k * k, out, k, k]: channel (o, y, x) to its place
    for (int o = 0; o < out; o++) {
      for (int b = 0; b < k * k; b++) {
        place[((o * k * k + b) * out + o) * k * k + b] = 1;
      }
    }
    onnx.floatInitializer(node.getName() + "/_place", new long[] {(long) out * k * k, out, k, k}, place);
    onnx.node("ConvTranspose", node.getName(), List.of(blocks, node.getName() + "/_place"), List.of(result),
        OnnxModel.Attr.ints("kernel_shape", k, k), OnnxModel.Attr.ints("strides", k, k));
    toNhwc(node, result, inputs.output());
  }

  /**
   * A 4-D tensor's values with its axes reordered: axis {@code i} of the result is axis {@code order[i]} of
   * {@code w}, whose dimensions are {@code dims} (TensorFlow's filter layouts into ONNX's, once per conversion).
   */
  static float[] permute(float[] w, long[] dims, int... order) {
    long[] stride = {dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1};
    float[] t = new float[w.length];
    int n = 0;
    for (long a = 0; a < dims[order[0]]; a++) {
      for (long b = 0; b < dims[order[1]]; b++) {
        for (long c = 0; c < dims[order[2]]; c++) {
          for (long e = 0; e < dims[order[3]]; e++) {
            t[n++] = w[(int) (a * stride[order[0]] + b * stride[order[1]] + c * stride[order[2]]
                + e * stride[order[3]])];
          }
        }
      }
    }
    return t;
  }

  private void pool(NodeDef node, List<String> data) throws ModelFormatException {
    checkNhwc(node);
    String nchw = toNchw(node, input(data.get(0)));
    String result = node.getName() + "/_nchw";
    // AvgPool: count_include_pad defaults to 0, like TensorFlow, which averages over the real pixels only.
    onnx.node(node.getOp().equals("AvgPool") ? "AveragePool" : "MaxPool", node.getName(), List.of(nchw),
        List.of(result), withPadding(node, OnnxModel.Attr.ints("kernel_shape", spatial(node, "ksize")),
            OnnxModel.Attr.ints("strides", spatial(node, "strides"))));
    toNhwc(node, result, node.getName() + ":0");
  }

  /** TensorFlow's SAME puts the odd pixel of padding at the end, as ONNX's SAME_UPPER does. */
  private OnnxModel.Attr[] withPadding(NodeDef node, OnnxModel.Attr... attrs) throws ModelFormatException {
    OnnxModel.Attr[] all = java.util.Arrays.copyOf(attrs, attrs.length + 1);
    String padding = padding(node);
    switch (padding) {
      case "SAME" -> all[attrs.length] = OnnxModel.Attr.of("auto_pad", "SAME_UPPER");
      case "VALID" -> all[attrs.length] = OnnxModel.Attr.of("auto_pad", "VALID");
      case "EXPLICIT" -> {
        List<Long> p = node.getAttrOrThrow("explicit_paddings").getList().getIList();
        all[attrs.length] = OnnxModel.Attr.ints("pads", p.get(2), p.get(4), p.get(3), p.get(5));
      }
      default -> throw new ModelFormatException(json, node.getOp() + " node '" + node.getName()
          + "' has padding '" + padding + "'");
    }
    return all;
  }

  private String toNchw(NodeDef node, String nhwc) {
    String name = node.getName() + "/_to_nchw";
    onnx.node("Transpose", name, List.of(nhwc), List.of(name), OnnxModel.Attr.ints("perm", TO_NCHW));
    return name;
  }

  private void toNhwc(NodeDef node, String nchw, String output) {
    onnx.node("Transpose", node.getName() + "/_to_nhwc", List.of(nchw), List.of(output),
        OnnxModel.Attr.ints("perm", TO_NHWC));
  }

  private String maybeTranspose(NodeDef node, String tensor, String attr, String suffix) {
    String in = input(tensor);
    if (!node.getAttrOrDefault(attr, AttrValue.getDefaultInstance()).getB()) {
      return in;
    }
    String name = node.getName() + suffix;
    onnx.node("Transpose", name, List.of(in), List.of(name), OnnxModel.Attr.ints("perm", 1, 0));
    return name;
  }

  /** An op's input: a Const becomes an initializer the first time an op reads it as a tensor. */
  private String input(String tensor) {
    String node = TfjsModel.nodeName(tensor);
    NodeDef c = consts.get(node);
    String v = value(tensor);
    if (c != null && emittedConsts.add(node)) {
      long[] dims = dims(c);
      switch (c.getAttrOrThrow("value").getTensor().getDtype()) {
        case DT_INT32 -> onnx.int32Initializer(v, dims, java.util.Arrays.stream(values(c)).mapToInt(x -> (int) x)
            .toArray());
        case DT_INT64 -> onnx.int64Initializer(v, dims, values(c));
        default -> onnx.floatInitializer(v, dims, floats(c));
      }
    }
    return renamed.getOrDefault(v, v);
  }

  private static List<String> dataInputs(NodeDef node) {
    return node.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
  }

  /** A constant tensor's integer values, or null for a computed tensor. */
  private long[] constValues(String tensor) {
    NodeDef c = consts.get(TfjsModel.nodeName(tensor));
    return c == null ? null : values(c);
  }

  private void constant(String name, float value) {
    onnx.floatInitializer(name, new long[0], new float[] {value});
  }

  /** The ONNX value of a TensorFlow input string: {@code node}, {@code node:0} and {@code node:1} as written. */
  static String value(String tensor) {
    return tensor.contains(":") ? tensor : tensor + ":0";
  }

  private void checkNhwc(NodeDef node) throws ModelFormatException {
    AttrValue format = node.getAttrOrDefault("data_format", null);
    if (format != null && !format.getS().toStringUtf8().equals("NHWC")) {
      throw new ModelFormatException(json, node.getOp() + " node '" + node.getName() + "' has data_format "
          + format.getS().toStringUtf8() + "; only NHWC converts to ONNX");
    }
  }

  static String padding(NodeDef node) {
    return node.getAttrOrDefault("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("VALID")).build())
        .getS().toStringUtf8();
  }

  /** Elements 1 and 2 of an NHWC attribute list (strides, ksize, dilations); 1, 1 when absent. */
  static long[] spatial(NodeDef node, String attr) {
    AttrValue v = node.getAttrOrDefault(attr, null);
    if (v == null || v.getList().getICount() != 4) {
      return new long[] {1, 1};
    }
    return new long[] {v.getList().getI(1), v.getList().getI(2)};
  }

  private NodeDef constNode(NodeDef user, String tensor) throws ModelFormatException {
    NodeDef c = consts.get(TfjsModel.nodeName(tensor));
    if (c == null) {
      throw new ModelFormatException(json, user.getOp() + " node '" + user.getName() + "' reads '" + tensor
          + "', which is not a constant; only constant filters, sizes and paddings convert to ONNX");
    }
    return c;
  }

  private long[] ints(NodeDef user, String tensor) throws ModelFormatException {
    return values(constNode(user, tensor));
  }

  static long[] dims(NodeDef c) {
    return dims(c.getAttrOrThrow("value").getTensor().getTensorShape());
  }

  /** A shape's dimensions, -1 for one left open. */
  static long[] dims(TensorShapeProto shape) {
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  private static int count(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** A float constant's values, whether stored as bytes or as a (possibly single, broadcast) value list. */
  private static float[] floats(NodeDef c) {
    TensorProto t = c.getAttrOrThrow("value").getTensor();
    float[] out = new float[count(dims(c))];
    if (!t.getTensorContent().isEmpty()) {
      t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatVal(Math.min(i, t.getFloatValCount() - 1));
    }
    return out;
  }

  /** An integer constant's values (int32 or int64, bytes or value list). */
  private static long[] values(NodeDef c) {
    TensorProto t = c.getAttrOrThrow("value").getTensor();
    long[] out = new long[count(dims(c))];
    boolean int64 = t.getDtype() == DataType.DT_INT64;
    if (!t.getTensorContent().isEmpty()) {
      var bytes = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < out.length; i++) {
        out[i] = int64 ? bytes.getLong() : bytes.getInt();
      }
      return out;
    }
    int n = int64 ? t.getInt64ValCount() : t.getIntValCount();
    for (int i = 0; i < out.length; i++) {
      int j = Math.min(i, n - 1);
      out[i] = int64 ? t.getInt64Val(j) : t.getIntVal(j);
    }
    return out;
  }

  private int elementType(DataType dtype, String name) throws ModelFormatException {
    return switch (dtype) {
      case DT_FLOAT -> OnnxModel.FLOAT;
      case DT_INT32 -> OnnxModel.INT32;
      case DT_INT64 -> OnnxModel.INT64;
      default -> throw new ModelFormatException(json, "endpoint '" + name + "' has type " + dtype
          + ", which does not convert to ONNX");
    };
  }

  /** The nodes in an order where every node comes after its inputs, as ONNX requires (TF.js does not). */
  private List<NodeDef> topological(GraphDef graph) throws ModelFormatException {
    List<NodeDef> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (NodeDef root : graph.getNodeList()) {
      ArrayDeque<NodeDef> stack = new ArrayDeque<>();
      if (!done.contains(root.getName())) {
        stack.push(root);
      }
      while (!stack.isEmpty()) {
        NodeDef n = stack.peek();
        if (done.contains(n.getName())) {
          stack.pop();
          continue;
        }
        visiting.add(n.getName());
        boolean ready = true;
        for (String in : n.getInputList()) {
          NodeDef dep = producers.get(TfjsModel.nodeName(in));
          if (dep == null) {
            throw new ModelFormatException(json, "node '" + n.getName() + "' reads '" + in + "', which is not in "
                + "the graph");
          }
          if (!done.contains(dep.getName())) {
            if (visiting.contains(dep.getName())) {
              throw new ModelFormatException(json, "the graph has a cycle through '" + dep.getName() + "'");
            }
            stack.push(dep);
            ready = false;
          }
        }
        if (ready) {
          stack.pop();
          visiting.remove(n.getName());
          done.add(n.getName());
          order.add(n);
        }
      }
    }
    return order;
  }
}
