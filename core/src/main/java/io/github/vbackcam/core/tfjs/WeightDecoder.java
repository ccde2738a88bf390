package io.github.vbackcam.core.tfjs;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.TensorProto;
import org.tensorflow.proto.framework.TensorShapeProto;

/**
 * Turns a weight's stored bytes into the TensorProto of its Const node, dequantizing the way TF.js's
 * {@code decodeWeights} does so both engines see the same numbers.
 */
final class WeightDecoder {
  private WeightDecoder() {}

  /** {@code group} holds the group's shards concatenated; the caller has checked that the weight fits. */
  static TensorProto decode(WeightSpec spec, ByteBuffer group) {
    int n = Math.toIntExact(spec.elementCount());
    ByteBuffer in = group.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    in.position(Math.toIntExact(spec.offset()));
    int width = "bool".equals(spec.dtype()) ? 1 : 4;
    ByteBuffer out = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
    WeightSpec.Quantization q = spec.quantization();
    boolean isInt = "int32".equals(spec.dtype());
    if (q == null) {
      in.limit(in.position() + n * width);
      out.put(in);
    } else if ("float16".equals(q.dtype())) {
      for (int i = 0; i < n; i++) {
        float v = Float16.toFloat(in.getShort());
        if (isInt) {
          out.putInt(Math.round(v));
        } else {
          out.putFloat(v);
        }
      }
    } else {
      boolean wide = "uint16".equals(q.dtype());
      for (int i = 0; i < n; i++) {
        int stored = wide ? in.getShort() & 0xffff : in.get() & 0xff;
        // TF.js computes in double and stores into a Float32Array (or rounds for int32).
        double v = stored * q.scale() + q.min();
        if (isInt) {
          out.putInt((int) Math.round(v));
        } else {
          out.putFloat((float) v);
        }
      }
    }
    out.flip();
    return TensorProto.newBuilder()
        .setDtype(dataType(spec.dtype()))
        .setTensorShape(shape(spec.shape()))
        .setTensorContent(ByteString.copyFrom(out))
        .build();
  }

  static DataType dataType(String tfjsDtype) {
    switch (tfjsDtype) {
      case "float32":
        return DataType.DT_FLOAT;
      case "int32":
        return DataType.DT_INT32;
      case "bool":
        return DataType.DT_BOOL;
      default:
        throw new IllegalArgumentException(tfjsDtype);
    }
  }

  static TensorShapeProto shape(long[] dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }
}
