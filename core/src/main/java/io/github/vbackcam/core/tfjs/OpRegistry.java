package io.github.vbackcam.core.tfjs;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.framework.OpDef;
import org.tensorflow.proto.framework.OpList;

/**
 * The ops the loaded TensorFlow library registers, asked from the library itself (TF_GetAllOpList), so conversion
 * checks a graph against the real runtime rather than against a list of our own.
 */
final class OpRegistry {
  private static volatile OpRegistry instance;

  private final Map<String, OpDef> ops;

  private OpRegistry(Map<String, OpDef> ops) {
    this.ops = ops;
  }

  static OpRegistry get() {
    OpRegistry result = instance;
    if (result == null) {
      synchronized (OpRegistry.class) {
        result = instance;
        if (result == null) {
          instance = result = load();
        }
      }
    }
    return result;
  }

  Optional<OpDef> op(String name) {
    return Optional.ofNullable(ops.get(name));
  }

  private static OpRegistry load() {
    TfRuntime.start(); // loads the native library the C API below lives in
    TF_Buffer buffer = tensorflow.TF_GetAllOpList();
    try {
      OpList list = OpList.parseFrom(new BytePointer(buffer.data()).capacity(buffer.length()).asByteBuffer());
      Map<String, OpDef> ops = new HashMap<>();
      for (OpDef op : list.getOpList()) {
        ops.put(op.getName(), op);
      }
      return new OpRegistry(Map.copyOf(ops));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("TensorFlow returned an unreadable op list", e);
    } finally {
      tensorflow.TF_DeleteBuffer(buffer);
    }
  }
}
