package io.github.vbackcam.core.tfjs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.proto.framework.AttrValue;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.TensorShapeProto;

/**
 * The shapes of a TensorFlow graph's tensors where the graph fixes them, inferred node by node in topological order
 * from the inputs' declared shapes: NHWC, -1 for a dimension the graph leaves open, no entry where an op is not
 * covered. {@link OnnxConverter} needs them for its resizes: to give a {@code ResizeBilinear} its scale as a
 * constant ({@code Resize} with {@code scales}), which ONNX Runtime runs in its blocked layout, where a {@code sizes}
 * input makes it reorder the tensor out of that layout and back (selfie's three Resizes took 0.57 ms of its 3.4),
 * and to tell a per-channel scaling ([1, 1, 1, C]) before one.
 */
final class StaticShapes {
  private final Map<String, long[]> shapes = new HashMap<>();
  /** The Const node of a tensor name, or null for a computed tensor. */
  private final Function<String, NodeDef> consts;

  StaticShapes(Function<String, NodeDef> consts) {
    this.consts = consts;
  }

  /** Declares a graph input's shape; an unknown rank is not recorded. */
  void input(String tensor, TensorShapeProto shape) {
    if (!shape.getUnknownRank()) {
      shapes.put(OnnxConverter.value(tensor), OnnxConverter.dims(shape));
    }
  }

  /** The tensor's shape, or null when the graph does not fix its rank. */
  long[] of(String tensor) {
    NodeDef c = consts.apply(TfjsModel.nodeName(tensor));
    return c != null ? OnnxConverter.dims(c) : shapes.get(OnnxConverter.value(tensor));
  }

  /**
   * Records the shape of {@code node}'s first output, where its op is covered and its inputs' shapes are known.
   *
   * @param constValues a constant tensor's integer values (sizes, paddings, axes), or null for a computed one
   */
  void infer(NodeDef node, List<String> data, Function<String, long[]> constValues) {
    long[] out = switch (node.getOp()) {
      case "Conv2D", "DepthwiseConv2dNative", "AvgPool", "MaxPool" -> window(node, data);
      case "Conv2DBackpropInput" -> constValues.apply(data.get(0));
      case "ResizeBilinear" -> {
        long[] in = of(data.get(0));
        long[] size = constValues.apply(data.get(1));
        yield in == null || in.length != 4 || size == null || size.length != 2 ? null
            : new long[] {in[0], size[0], size[1], in[3]};
      }
      case "Reshape" -> reshape(of(data.get(0)), constValues.apply(data.get(1)));
      case "MatMul" -> {
        long[] a = of(data.get(0));
        long[] b = of(data.get(1));
        if (a == null || b == null || a.length != 2 || b.length != 2) {
          yield null;
        }
        boolean ta = node.getAttrOrDefault("transpose_a", AttrValue.getDefaultInstance()).getB();
        boolean tb = node.getAttrOrDefault("transpose_b", AttrValue.getDefaultInstance()).getB();
        yield new long[] {ta ? a[1] : a[0], tb ? b[0] : b[1]};
      }
      case "ConcatV2" -> {
        long[] axis = constValues.apply(data.get(data.size() - 1));
        yield axis == null ? null : concat(data, axis[0]);
      }
      case "Pad" -> {
        long[] in = of(data.get(0));
        long[] pads = constValues.apply(data.get(1));
        if (in == null || pads == null || pads.length != 2 * in.length) {
          yield null;
        }
        long[] r = in.clone();
        for (int i = 0; i < r.length; i++) {
          r[i] = r[i] < 0 ? -1 : r[i] + pads[2 * i] + pads[2 * i + 1];
        }
        yield r;
      }
      case "Relu6", "LeakyRelu" -> broadcast(data);
      default -> OnnxConverter.ELEMENTWISE.containsKey(node.getOp()) ? broadcast(data) : null;
    };
    if (out != null) {
      shapes.put(node.getName() + ":0", out);
    }
  }

  /** Convolutions and pools: TensorFlow's output size for SAME, VALID and EXPLICIT padding. */
  private long[] window(NodeDef node, List<String> data) {
    long[] in = of(data.get(0));
    if (in == null || in.length != 4) {
      return null;
    }
    long channels = in[3];
    long[] k;
    String op = node.getOp();
    if (op.endsWith("Pool")) {
      k = OnnxConverter.spatial(node, "ksize");
    } else {
      long[] filter = of(data.get(1));
      if (filter == null || filter.length != 4) {
        return null;
      }
      k = new long[] {filter[0], filter[1]};
      channels = op.equals("Conv2D") ? filter[3] : filter[2] * filter[3];
    }
    String padding = OnnxConverter.padding(node);
    List<Long> explicit = node.getAttrOrDefault("explicit_paddings", AttrValue.getDefaultInstance()).getList()
        .getIList();
    long[] strides = OnnxConverter.spatial(node, "strides");
    long[] dilations = OnnxConverter.spatial(node, "dilations");
    long[] out = {in[0], -1, -1, channels};
    for (int i = 0; i < 2; i++) {
      long size = in[1 + i];
      long stride = strides[i];
      long extent = (k[i] - 1) * dilations[i] + 1;
      if (size < 0 || stride < 1 || padding.equals("EXPLICIT") && explicit.size() != 8) {
        continue;
      }
      out[1 + i] = switch (padding) {
        case "SAME" -> (size + stride - 1) / stride;
        case "VALID" -> size < extent ? -1 : (size - extent) / stride + 1;
        case "EXPLICIT" -> (size + explicit.get(2 + 2 * i) + explicit.get(3 + 2 * i) - extent) / stride + 1;
        default -> -1;
      };
    }
    return out;
  }

  /** A Reshape to a constant shape; its one -1 is worked out where the input's size is known. */
  private static long[] reshape(long[] in, long[] target) {
    if (target == null) {
      return null;
    }
    long[] r = target.clone();
    int open = -1;
    long known = 1;
    for (int i = 0; i < r.length; i++) {
      if (r[i] < 0) {
        open = i;
      } else {
        known *= r[i];
      }
    }
    if (open >= 0) {
      long total = 1;
      for (long d : in == null ? new long[] {-1} : in) {
        total = d < 0 || total < 0 ? -1 : total * d;
      }
      r[open] = total < 0 || known == 0 ? -1 : total / known;
    }
    return r;
  }

  private long[] concat(List<String> data, long axisValue) {
    long[] first = of(data.get(0));
    if (first == null) {
      return null;
    }
    int axis = (int) (axisValue < 0 ? axisValue + first.length : axisValue);
    if (axis < 0 || axis >= first.length) {
      return null;
    }
    long[] r = first.clone();
    r[axis] = 0;
    for (String t : data.subList(0, data.size() - 1)) {
      long[] s = of(t);
      if (s == null || s.length != r.length) {
        return null;
      }
      r[axis] = r[axis] < 0 || s[axis] < 0 ? -1 : r[axis] + s[axis];
    }
    return r;
  }

  /** NumPy broadcasting, as TensorFlow's element-wise ops do it; an open dimension stays open. */
  private long[] broadcast(List<String> data) {
    long[] r = new long[0];
    for (String t : data) {
      long[] s = of(t);
      if (s == null) {
        return null;
      }
      long[] wider = new long[Math.max(r.length, s.length)];
      for (int i = 1; i <= wider.length; i++) {
        long a = i <= r.length ? r[r.length - i] : 1;
        long b = i <= s.length ? s[s.length - i] : 1;
        wider[wider.length - i] = a == 1 ? b : b == 1 ? a : a == b ? a : -1;
      }
      r = wider;
    }
    return r;
  }
}
