package io.github.vbackcam.core.tfjs;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX model under construction, and its serialisation. We write the handful of ONNX messages we need with
 * protobuf-java's {@link CodedOutputStream} rather than compiling all of {@code onnx.proto}: that needs protoc in
 * the build for six messages. The field numbers below are those of {@code onnx/onnx.proto} (IR version 8, opset
 * 14), named after the fields they encode, and the whole output is checked by ONNX Runtime loading it in the tests.
 */
final class OnnxModel {
  /** IR version 8, which ONNX Runtime 1.17 and later read. */
  static final long IR_VERSION = 8;
  /**
   * Opset 14: the first with HardSwish; its Resize is Resize-13 (the next changed at 18). ONNX Runtime moves only the
   * Resize of opsets 10-13 into its blocked layout, so under 18 every Resize ran in plain NCHW with its tensor
   * reordered out and back (selfie's three took 0.57 ms of its 3.4).
   */
  static final long OPSET = 14;

  /** TensorProto.DataType values. */
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;

  // onnx.proto field numbers, by message.
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int OPSET_VERSION = 2;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_I = 3;
  private static final int ATTR_S = 4;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  private static final int ATTR_TYPE_FLOAT = 1;
  private static final int ATTR_TYPE_INT = 2;
  private static final int ATTR_TYPE_STRING = 3;
  private static final int ATTR_TYPE_INTS = 7;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int VALUE_INFO_NAME = 1;
  private static final int VALUE_INFO_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  /** A node attribute: exactly one of the value kinds is set. */
  record Attr(String name, Float f, Long i, String s, long[] ints) {
    static Attr of(String name, float f) {
      return new Attr(name, f, null, null, null);
    }

    static Attr of(String name, long i) {
      return new Attr(name, null, i, null, null);
    }

    static Attr of(String name, String s) {
      return new Attr(name, null, null, s, null);
    }

    static Attr ints(String name, long... ints) {
      return new Attr(name, null, null, null, ints);
    }
  }

  private final String name;
  private final List<ByteString> nodes = new ArrayList<>();
  private final List<String> opTypes = new ArrayList<>();
  private final List<ByteString> initializers = new ArrayList<>();
  private final List<ByteString> inputs = new ArrayList<>();
  private final List<ByteString> outputs = new ArrayList<>();

  OnnxModel(String name) {
    this.name = name;
  }

  /** Adds a node; an empty input name is an omitted optional input. */
  void node(String opType, String nodeName, List<String> in, List<String> out, Attr... attrs) {
    opTypes.add(opType);
    nodes.add(message(o -> {
      for (String s : in) {
        o.writeString(NODE_INPUT, s);
      }
      for (String s : out) {
        o.writeString(NODE_OUTPUT, s);
      }
      o.writeString(NODE_NAME, nodeName);
      o.writeString(NODE_OP_TYPE, opType);
      for (Attr a : attrs) {
        o.writeBytes(NODE_ATTRIBUTE, attribute(a));
      }
    }));
  }

  /** The op type of every node so far, in order. */
  List<String> opTypes() {
    return List.copyOf(opTypes);
  }

  void floatInitializer(String tensorName, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    initializer(tensorName, dims, FLOAT, raw);
  }

  void int64Initializer(String tensorName, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    initializer(tensorName, dims, INT64, raw);
  }

  void int32Initializer(String tensorName, long[] dims, int[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asIntBuffer().put(values);
    initializer(tensorName, dims, INT32, raw);
  }

  private void initializer(String tensorName, long[] dims, int dataType, ByteBuffer raw) {
    initializers.add(message(o -> {
      for (long d : dims) {
        o.writeInt64(TENSOR_DIMS, d);
      }
      o.writeInt32(TENSOR_DATA_TYPE, dataType);
      o.writeString(TENSOR_NAME, tensorName);
      o.writeBytes(TENSOR_RAW_DATA, ByteString.copyFrom(raw.array()));
    }));
  }

  /** A graph input; a negative dimension is unknown and named {@code <value>_<axis>}. */
  void input(String valueName, int elemType, long[] dims) {
    inputs.add(valueInfo(valueName, elemType, dims));
  }

  /** A graph output of unknown shape. */
  void output(String valueName, int elemType) {
    outputs.add(valueInfo(valueName, elemType, null));
  }

  void writeTo(OutputStream out) throws IOException {
    ByteString graph = message(o -> {
      for (ByteString n : nodes) {
        o.writeBytes(GRAPH_NODE, n);
      }
      o.writeString(GRAPH_NAME, name);
      for (ByteString t : initializers) {
        o.writeBytes(GRAPH_INITIALIZER, t);
      }
      for (ByteString v : inputs) {
        o.writeBytes(GRAPH_INPUT, v);
      }
      for (ByteString v : outputs) {
        o.writeBytes(GRAPH_OUTPUT, v);
      }
    });
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeInt64(MODEL_IR_VERSION, IR_VERSION);
    o.writeString(MODEL_PRODUCER_NAME, "vbackcam");
    o.writeBytes(MODEL_GRAPH, graph);
    o.writeBytes(MODEL_OPSET_IMPORT, message(s -> s.writeInt64(OPSET_VERSION, OPSET))); // default domain
    o.flush();
  }

  private static ByteString attribute(Attr a) {
    return message(o -> {
      o.writeString(ATTR_NAME, a.name());
      if (a.f() != null) {
        o.writeFloat(ATTR_F, a.f());
        o.writeEnum(ATTR_TYPE, ATTR_TYPE_FLOAT);
      } else if (a.i() != null) {
        o.writeInt64(ATTR_I, a.i());
        o.writeEnum(ATTR_TYPE, ATTR_TYPE_INT);
      } else if (a.s() != null) {
        o.writeBytes(ATTR_S, ByteString.copyFromUtf8(a.s()));
        o.writeEnum(ATTR_TYPE, ATTR_TYPE_STRING);
      } else {
        for (long v : a.ints()) {
          o.writeInt64(ATTR_INTS, v);
        }
        o.writeEnum(ATTR_TYPE, ATTR_TYPE_INTS);
      }
    });
  }

  private static ByteString valueInfo(String valueName, int elemType, long[] dims) {
    ByteString tensorType = message(t -> {
      t.writeInt32(TENSOR_TYPE_ELEM_TYPE, elemType);
      if (dims != null) {
        t.writeBytes(TENSOR_TYPE_SHAPE, message(shape -> {
          for (int i = 0; i < dims.length; i++) {
            long d = dims[i];
            int axis = i;
            shape.writeBytes(SHAPE_DIM, message(dim -> {
              if (d >= 0) {
                dim.writeInt64(DIM_VALUE, d);
              } else {
                dim.writeString(DIM_PARAM, valueName + "_" + axis);
              }
            }));
          }
        }));
      }
    });
    return message(o -> {
      o.writeString(VALUE_INFO_NAME, valueName);
      o.writeBytes(VALUE_INFO_TYPE, message(type -> type.writeBytes(TYPE_TENSOR_TYPE, tensorType)));
    });
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Fields fields) {
    ByteString.Output bytes = ByteString.newOutput();
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      fields.write(out);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteString();
  }
}
