package io.github.vbackcam.core.tfjs;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs an ONNX Runtime model from its one image input to one of its image outputs with no per-frame buffers: the
 * input tensor is a view of the caller's matrix (the preprocessing writes the model input there, in one pass) and the
 * output is bound to a matrix this object keeps (ONNX Runtime writes it there, and the caller reads it in one pass);
 * the model's other outputs are not computed. DJL 0.28's OnnxRuntime adapter cannot do this: each run computes every
 * output, copies each into a new heap buffer and wraps every array in new objects, so this goes to the session.
 *
 * <p>Input views are cached by address and shape: a frame's model input comes from a pool of a few matrices, so
 * after the first frames no tensor is created. A new input size (BodyPix follows the frame's) binds a new output.
 * One per pipeline thread, like a predictor.
 */
public final class InPlaceRun implements AutoCloseable {
  /** More than the matrices a pipeline keeps in flight; a view not used for this many frames is dropped. */
  private static final int VIEWS = 8;

  private final OrtSession session;
  private final String inputName;
  private final String outputName;
  private final Map<String, OnnxTensor> inputs = new HashMap<>(2);
  private final Map<String, OnnxValue> outputs = new HashMap<>(2);
  private final View[] views = new View[VIEWS];
  /** The frame each view was last used for (0: never). */
  private final long[] lastUsed = new long[VIEWS];
  private final Mat output = new Mat();
  /** Only this output is computed: a model's other heads (BodyPix's pose outputs) are skipped. */
  private final Set<String> wanted;
  private OnnxTensor boundOutput;
  /** The input size the bound output was made for. */
  private int boundRows;
  private int boundCols;
  private long frames;

  /** A tensor over a matrix's memory, valid while that matrix holds that memory at that shape. */
  private record View(long address, int rows, int cols, OnnxTensor tensor) {}

  InPlaceRun(OrtSession session, String inputName, String outputName) {
    this.session = Objects.requireNonNull(session, "session");
    this.inputName = inputName;
    this.outputName = outputName;
    this.wanted = Set.of(outputName);
  }

  /**
   * Runs the model on {@code input} (continuous CV_32FC(n), the image rows x cols x channels of a batch of one) and
   * returns its output as a CV_32FC(channels) matrix of the output's height and width, owned by this object and
   * valid until the next run.
   */
  public Mat run(Mat input) throws OrtException {
    if (!input.isContinuous() || input.depth() != opencv_core.CV_32F) {
      throw new IllegalArgumentException("model input must be a continuous float matrix");
    }
    inputs.put(inputName, view(input));
    if (boundOutput != null && (input.rows() != boundRows || input.cols() != boundCols)) {
      unbind(); // a new input size (BodyPix follows the frame's) makes a new output size
    }
    if (boundOutput == null) {
      // The output's height and width are only known from a run: this one lets ONNX Runtime allocate it.
      try (OrtSession.Result result = session.run(inputs, wanted)) {
        OnnxTensor produced = (OnnxTensor) result.get(outputName).orElseThrow(
            () -> new IllegalStateException("the model has no output " + outputName));
        bind(produced.getInfo().getShape(), input);
        viewOf(output).put(produced.getFloatBuffer());
      }
      return output;
    }
    try (OrtSession.Result ignored = session.run(inputs, outputs)) { // only the bound output is computed
      return output; // the bound output is not the result's to close
    }
  }

  private void bind(long[] shape, Mat input) throws OrtException {
    if (shape.length != 4 || shape[0] != 1) {
      throw new IllegalStateException("model output " + outputName + " has shape " + Arrays.toString(shape)
          + ", expected [1, height, width, channels]");
    }
    output.create((int) shape[1], (int) shape[2], opencv_core.CV_32FC((int) shape[3]));
    boundOutput = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), viewOf(output), shape);
    boundRows = input.rows();
    boundCols = input.cols();
    outputs.put(outputName, boundOutput);
  }

  private void unbind() {
    outputs.clear();
    boundOutput.close();
    boundOutput = null;
  }

  private OnnxTensor view(Mat input) throws OrtException {
    frames++;
    long address = input.data().address();
    int victim = 0;
    for (int i = 0; i < views.length; i++) {
      View v = views[i];
      if (v != null && v.address() == address && v.rows() == input.rows() && v.cols() == input.cols()) {
        lastUsed[i] = frames;
        return v.tensor();
      }
      if (lastUsed[i] < lastUsed[victim]) {
        victim = i; // an empty slot has never been used: it goes first
      }
    }
    if (views[victim] != null) {
      views[victim].tensor().close();
    }
    OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), viewOf(input),
        new long[] {1, input.rows(), input.cols(), input.channels()});
    views[victim] = new View(address, input.rows(), input.cols(), tensor);
    lastUsed[victim] = frames;
    return tensor;
  }

  /** The matrix's memory as a direct buffer in native order (what ONNX Runtime uses without copying). */
  private static FloatBuffer viewOf(Mat mat) {
    long bytes = mat.total() * mat.channels() * Float.BYTES;
    return mat.data().capacity(bytes).limit(bytes).asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Override
  public void close() {
    for (int i = 0; i < views.length; i++) {
      if (views[i] != null) {
        views[i].tensor().close();
        views[i] = null;
      }
    }
    if (boundOutput != null) {
      unbind();
    }
    output.close();
  }
}
