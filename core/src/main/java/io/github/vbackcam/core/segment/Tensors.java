package io.github.vbackcam.core.segment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Moves pixels between OpenCV matrices and DJL arrays with one copy each way. */
final class Tensors {
  private Tensors() {}

  /** A [1, rows, cols, channels] float array holding a continuous CV_32FC(n) matrix, named for the model input. */
  static NDArray input(Mat image, NDManager scope, String name) {
    if (!image.isContinuous() || image.depth() != opencv_core.CV_32F) {
      throw new IllegalArgumentException("model input must be a continuous float matrix");
    }
    FloatBuffer data = image.createBuffer();
    NDArray array = scope.create(data, new Shape(1, image.rows(), image.cols(), image.channels()));
    array.setName(name);
    return array;
  }

  /**
   * Copies a [1, rows, cols, channels] float output into {@code out} (CV_32FC(channels)), reallocating it if the
   * shape differs.
   */
  static void output(NDArray array, Mat out) {
    Shape shape = array.getShape();
    if (shape.dimension() != 4 || shape.get(0) != 1) {
      throw new IllegalStateException("model output " + array.getName() + " has shape " + shape
          + ", expected [1, height, width, channels]");
    }
    int rows = (int) shape.get(1);
    int cols = (int) shape.get(2);
    int channels = (int) shape.get(3);
    out.create(rows, cols, opencv_core.CV_32FC(channels));
    ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.nativeOrder());
    try (BytePointer dst = new BytePointer(out.data())) {
      long size = (long) rows * cols * channels * Float.BYTES;
      dst.capacity(size).limit(size);
      dst.asByteBuffer().put(bytes);
    }
  }
}
