package io.github.vbackcam.core.tfjs;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.framework.AttrValue;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.GraphDef;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.OpDef;
import org.tensorflow.proto.framework.TensorProto;

/**
 * Turns a TF.js graph into one TensorFlow 2.10's CPU kernels run with the same results as TF.js:
 *
 * <ul>
 *   <li>Const nodes get their weights;
 *   <li>the fused ops the TF.js converter emits ({@code _FusedConv2D}, {@code FusedDepthwiseConv2dNative},
 *       {@code _FusedMatMul}) are split into the base op followed by each fused op, the last one keeping the fused
 *       node's name so consumers still find it;
 *   <li>{@code Prelu}, which TF lacks, becomes {@code relu(x) - alpha * relu(-x)};
 *   <li>dilated convolutions get a zero-dilated filter: TF.js reads {@code dilations} as rates from elements 1 and 2
 *       (BodyPix stores {@code [2,2,1,1]}, meaning rate 2 down and 1 across), while TF's CPU depthwise kernel has no
 *       dilation at all. A filter with {@code rate - 1} zeros between taps has the same effective size, so the SAME
 *       padding and every output are identical;
 *   <li>each node is checked against the op registry of the loaded TensorFlow: unknown ops fail, attrs TF does not
 *       declare (TF.js leftovers) are dropped, declared defaults are filled in.
 * </ul>
 */
final class GraphRewriter {
  private static final Logger LOG = LoggerFactory.getLogger(GraphRewriter.class);
  private static final Set<String> FUSION_ATTRS = Set.of("fused_ops", "num_args", "epsilon", "leakyrelu_alpha");
  private static final Set<String> UNARY = Set.of("Relu", "Relu6", "Elu", "Sigmoid", "Tanh");

  private final Path json;
  private final OpRegistry registry;
  private final Map<String, TensorProto> consts = new HashMap<>();
  private final Map<String, NodeDef> added = new LinkedHashMap<>();
  private final List<NodeDef> out = new ArrayList<>();

  private GraphRewriter(Path json, OpRegistry registry) {
    this.json = json;
    this.registry = registry;
  }

  static GraphDef rewrite(TfjsModel model, OpRegistry registry) throws ModelFormatException {
    return new GraphRewriter(model.json(), registry).run(model);
  }

  /**
   * The same rewrite without the check against TensorFlow's registry, for the ONNX converter (which refuses ops it
   * cannot convert itself): ONNX Runtime then runs without TensorFlow's natives ever being loaded.
   */
  static GraphDef rewriteForOnnx(TfjsModel model) throws ModelFormatException {
    return new GraphRewriter(model.json(), null).run(model);
  }

  private GraphDef run(TfjsModel model) throws ModelFormatException {
    List<NodeDef> filled = new ArrayList<>();
    Map<String, TensorProto> weights = model.weights();
    for (NodeDef node : model.graph().getNodeList()) {
      TensorProto weight = weights.get(node.getName());
      if ("Const".equals(node.getOp()) && weight != null) {
        node = node.toBuilder()
            .putAttr("value", AttrValue.newBuilder().setTensor(weight).build())
            .putAttr("dtype", AttrValue.newBuilder().setType(weight.getDtype()).build())
            .build();
      }
      if ("Const".equals(node.getOp())) {
        consts.put(node.getName(), node.getAttrOrThrow("value").getTensor());
      }
      filled.add(node);
    }
    for (NodeDef node : filled) {
      switch (node.getOp()) {
        case "_FusedConv2D":
          splitFused(node, "Conv2D");
          break;
        case "FusedDepthwiseConv2dNative":
          splitFused(node, "DepthwiseConv2dNative");
          break;
        case "_FusedMatMul":
          splitFused(node, "MatMul");
          break;
        case "Prelu":
          prelu(node.getName(), node.getInput(0), node.getInput(1), type(node), controls(node));
          break;
        default:
          emit(node.toBuilder());
      }
    }
    GraphDef.Builder graph = model.graph().toBuilder().clearNode();
    for (NodeDef node : out) {
      graph.addNode(checkAgainstRegistry(node));
    }
    for (NodeDef node : added.values()) {
      graph.addNode(checkAgainstRegistry(node));
    }
    return graph.build();
  }

  private void splitFused(NodeDef node, String baseOp) throws ModelFormatException {
    String name = node.getName();
    List<String> data = dataInputs(node);
    List<String> controls = controls(node);
    if (data.size() < 2) {
      throw new ModelFormatException(json, node.getOp() + " node '" + name + "' has fewer than 2 inputs");
    }
    List<String> args = data.subList(2, data.size());
    List<String> fusedOps = new ArrayList<>();
    for (ByteString s : node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList()) {
      fusedOps.add(s.toStringUtf8());
    }
    DataType t = type(node);
    NodeDef.Builder base = node.toBuilder().setOp(baseOp).clearInput().addInput(data.get(0)).addInput(data.get(1))
        .addAllInput(controls).setName(fusedOps.isEmpty() ? name : name + "/_" + baseOp);
    FUSION_ATTRS.forEach(base::removeAttr);
    emit(base);
    String current = base.getName();
    int arg = 0;
    for (int i = 0; i < fusedOps.size(); i++) {
      String op = fusedOps.get(i);
      String stepName = i == fusedOps.size() - 1 ? name : name + "/_" + op;
      int needs = op.equals("BiasAdd") || op.equals("Prelu") ? 1 : op.startsWith("FusedBatchNorm") ? 4 : 0;
      if (arg + needs > args.size()) {
        throw new ModelFormatException(json, node.getOp() + " node '" + name + "' fuses " + fusedOps + " but has only "
            + args.size() + " extra inputs");
      }
      NodeDef.Builder step = NodeDef.newBuilder().setName(stepName).putAttr("T", typeAttr(t));
      if (op.equals("BiasAdd")) {
        step.setOp("BiasAdd").addInput(current).addInput(args.get(arg));
        if (node.containsAttr("data_format")) {
          step.putAttr("data_format", node.getAttrOrThrow("data_format"));
        }
      } else if (UNARY.contains(op)) {
        step.setOp(op).addInput(current);
      } else if (op.equals("LeakyRelu")) {
        float alpha = node.getAttrOrDefault("leakyrelu_alpha", AttrValue.newBuilder().setF(0.2f).build()).getF();
        step.setOp("LeakyRelu").addInput(current).putAttr("alpha", AttrValue.newBuilder().setF(alpha).build());
      } else if (op.equals("Prelu")) {
        prelu(stepName, current, args.get(arg), t, List.of());
        arg += needs;
        current = stepName;
        continue;
      } else if (op.startsWith("FusedBatchNorm")) {
        step.setOp("FusedBatchNormV3").addInput(current).addAllInput(args.subList(arg, arg + 4))
            .putAttr("U", typeAttr(DataType.DT_FLOAT))
            .putAttr("epsilon", node.getAttrOrDefault("epsilon", AttrValue.newBuilder().setF(1e-3f).build()))
            .putAttr("is_training", AttrValue.newBuilder().setB(false).build());
        if (node.containsAttr("data_format")) {
          step.putAttr("data_format", node.getAttrOrThrow("data_format"));
        }
      } else {
        throw new ModelFormatException(json, node.getOp() + " node '" + name + "' fuses unsupported op '" + op + "'");
      }
      arg += needs;
      emit(step);
      current = stepName;
    }
  }

  /** {@code prelu(x) = relu(x) - alpha * relu(-x)}, the last node named {@code name}. */
  private void prelu(String name, String x, String alpha, DataType t, List<String> controls)
      throws ModelFormatException {
    AttrValue type = typeAttr(t);
    emit(NodeDef.newBuilder().setName(name + "/_pos").setOp("Relu").addInput(x).addAllInput(controls)
        .putAttr("T", type));
    emit(NodeDef.newBuilder().setName(name + "/_neg").setOp("Neg").addInput(x).addAllInput(controls)
        .putAttr("T", type));
    emit(NodeDef.newBuilder().setName(name + "/_negrelu").setOp("Relu").addInput(name + "/_neg").putAttr("T", type));
    emit(NodeDef.newBuilder().setName(name + "/_scaled").setOp("Mul").addInput(alpha).addInput(name + "/_negrelu")
        .putAttr("T", type));
    emit(NodeDef.newBuilder().setName(name).setOp("Sub").addInput(name + "/_pos").addInput(name + "/_scaled")
        .putAttr("T", type));
  }

  private void emit(NodeDef.Builder node) throws ModelFormatException {
    if (node.getOp().equals("Conv2D") || node.getOp().equals("DepthwiseConv2dNative")) {
      undilate(node);
    }
    out.add(node.build());
  }

  /** Replaces TF.js-style dilation rates by a zero-dilated constant filter; see the class comment. */
  private void undilate(NodeDef.Builder node) throws ModelFormatException {
    AttrValue dilations = node.getAttrOrDefault("dilations", null);
    if (dilations == null || dilations.getList().getICount() != 4) {
      return;
    }
    int rateH = Math.toIntExact(dilations.getList().getI(1));
    int rateW = Math.toIntExact(dilations.getList().getI(2));
    node.putAttr("dilations", ints(1, 1, 1, 1));
    if (rateH == 1 && rateW == 1) {
      return;
    }
    String filter = node.getInput(1);
    TensorProto weights = consts.get(TfjsModel.nodeName(filter));
    if (weights == null || weights.getDtype() != DataType.DT_FLOAT || weights.getTensorContent().isEmpty()
        || weights.getTensorShape().getDimCount() != 4) {
      throw new ModelFormatException(json, node.getOp() + " node '" + node.getName() + "' is dilated ("
          + dilations.getList().getIList() + ") but its filter is not a float32 constant");
    }
    String dilatedName = TfjsModel.nodeName(filter) + "/_dilated_" + rateH + "x" + rateW;
    if (!added.containsKey(dilatedName)) {
      TensorProto dilated = dilate(weights, rateH, rateW);
      added.put(dilatedName, NodeDef.newBuilder().setName(dilatedName).setOp("Const")
          .putAttr("dtype", typeAttr(DataType.DT_FLOAT))
          .putAttr("value", AttrValue.newBuilder().setTensor(dilated).build()).build());
    }
    node.setInput(1, dilatedName);
  }

  static TensorProto dilate(TensorProto filter, int rateH, int rateW) {
    long[] d = filter.getTensorShape().getDimList().stream().mapToLong(x -> x.getSize()).toArray();
    int kh = (int) d[0];
    int kw = (int) d[1];
    int inner = (int) (d[2] * d[3]);
    int dkh = (kh - 1) * rateH + 1;
    int dkw = (kw - 1) * rateW + 1;
    FloatBuffer src = filter.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] dst = new float[dkh * dkw * inner];
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int c = 0; c < inner; c++) {
          dst[((y * rateH) * dkw + x * rateW) * inner + c] = src.get((y * kw + x) * inner + c);
        }
      }
    }
    ByteBuffer bytes = ByteBuffer.allocate(dst.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(dst);
    return filter.toBuilder()
        .setTensorShape(WeightDecoder.shape(new long[] {dkh, dkw, d[2], d[3]}))
        .setTensorContent(ByteString.copyFrom(bytes))
        .build();
  }

  private NodeDef checkAgainstRegistry(NodeDef node) throws ModelFormatException {
    if (registry == null) {
      return node;
    }
    OpDef op = registry.op(node.getOp()).orElseThrow(() -> new ModelFormatException(json, "op '" + node.getOp()
        + "' (node '" + node.getName() + "') is not available in this TensorFlow runtime"));
    NodeDef.Builder b = node.toBuilder().clearDevice();
    Set<String> declared = new java.util.HashSet<>();
    for (OpDef.AttrDef attr : op.getAttrList()) {
      declared.add(attr.getName());
      if (!b.containsAttr(attr.getName()) && attr.hasDefaultValue()) {
        b.putAttr(attr.getName(), attr.getDefaultValue());
      }
    }
    for (String attr : List.copyOf(b.getAttrMap().keySet())) {
      if (!declared.contains(attr)) {
        LOG.debug("{}: dropping attr {} of {} node {}", json, attr, node.getOp(), node.getName());
        b.removeAttr(attr);
      }
    }
    return b.build();
  }

  private static List<String> dataInputs(NodeDef node) {
    return node.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
  }

  private static List<String> controls(NodeDef node) {
    return node.getInputList().stream().filter(s -> s.startsWith("^")).toList();
  }

  private static DataType type(NodeDef node) {
    return node.getAttrOrDefault("T", typeAttr(DataType.DT_FLOAT)).getType();
  }

  private static AttrValue typeAttr(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  private static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return AttrValue.newBuilder().setList(list).build();
  }
}
