package io.github.vbackcam.core.tfjs;

import java.util.Arrays;

/**
 * One entry of a TF.js weightsManifest group: where a Const's values sit in the group's concatenated shards and how
 * they are encoded.
 *
 * @param name the Const node the values belong to
 * @param shape the tensor's shape
 * @param dtype the tensor's TF.js dtype: float32, int32 or bool
 * @param quantization how the stored bytes encode the values, or null when they are stored as {@code dtype}
 * @param group index of the weightsManifest group holding the bytes
 * @param offset byte offset inside the group's concatenated shards
 */
public record WeightSpec(String name, long[] shape, String dtype, Quantization quantization, int group, long offset) {

  /**
   * TF.js weight quantization: uint8/uint16 store {@code value = min + scale * q}; float16 stores IEEE halves.
   *
   * @param dtype the stored element type: uint8, uint16 or float16
   */
  public record Quantization(String dtype, double min, double scale) {}

  public WeightSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Bytes the weight takes in the shards. */
  public long byteLength() {
    return elementCount() * storedElementBytes();
  }

  int storedElementBytes() {
    String stored = quantization == null ? dtype : quantization.dtype();
    switch (stored) {
      case "float32":
      case "int32":
        return 4;
      case "uint16":
      case "float16":
        return 2;
      case "uint8":
      case "bool":
        return 1;
      default:
        throw new IllegalStateException("unvalidated dtype " + stored);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape) && dtype.equals(w.dtype)
        && java.util.Objects.equals(quantization, w.quantization) && group == w.group && offset == w.offset;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + " " + dtype + (quantization == null ? "" : " as " + quantization.dtype());
  }
}
