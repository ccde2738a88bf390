package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.vbackcam.core.tfjs.GraphModel;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Robust Video Matting: a recurrent matting network. Each frame's recurrent outputs ({@code r1o}..{@code r4o}) are
 * fed back as the next frame's inputs, so the model remembers the scene; {@link #reset()} starts it afresh. It
 * returns an alpha matte (with hair detail) rather than a probability.
 */
final class RvmSegmenter extends ModelSegmenter {

  private static final String[] STATE_IN = {"r1i", "r2i", "r3i", "r4i"};
  private static final String[] STATE_OUT = {"r1o", "r2o", "r3o", "r4o"};

  /** Long side of the frame the network sees; its own downsampling then halves that internally. */
  private static final int INPUT_LONG_SIDE = 512;
  private static final float DOWNSAMPLE_RATIO = 0.5f;

  private final NDManager stateScope;
  private NDArray[] state;
  /** The recurrent state's size follows the input's, so a new input size restarts the memory. */
  private int inputWidth;
  private int inputHeight;
  private final Shrink shrink = new Shrink();
  private final Mat resized = new Mat();
  private final Mat rgb = new Mat();
  private final Mat alpha = new Mat();
  private final Mat alpha8 = new Mat();

  RvmSegmenter(GraphModel model, String description) {
    super(model, description);
    this.stateScope = model.manager().newSubManager();
  }

  @Override
  Size inputSize(int frameWidth, int frameHeight) {
    double scale = Math.min(1.0, (double) INPUT_LONG_SIDE / Math.max(frameWidth, frameHeight));
    return new Size(Math.max(16, (int) Math.round(frameWidth * scale / 16) * 16),
        Math.max(16, (int) Math.round(frameHeight * scale / 16) * 16));
  }

  @Override
  void preprocess(Mat image, Mat input) {
    shrink.apply(image, resized, input.cols(), input.rows());
    cvtColor(resized, rgb, COLOR_BGR2RGB);
    rgb.convertTo(input, CV_32FC3, 1 / 255.0, 0);
  }

  @Override
  NDList inputs(Mat input, NDManager scope) {
    int w = input.cols();
    int h = input.rows();
    if (w != inputWidth || h != inputHeight) {
      reset();
      inputWidth = w;
      inputHeight = h;
    }
    NDList inputs = new NDList(Tensors.input(input, scope, "src"));
    NDArray ratio = scope.create(DOWNSAMPLE_RATIO);
    ratio.setName("downsample_ratio");
    inputs.add(ratio);
    for (int i = 0; i < STATE_IN.length; i++) {
      NDArray r = state != null ? state[i] : scope.zeros(new Shape(1, 1, 1, 1));
      r.setName(STATE_IN[i]);
      inputs.add(r);
    }
    return inputs;
  }

  @Override
  Mat decode(NDList outputs, Mat image) {
    NDArray[] next = new NDArray[STATE_OUT.length];
    for (int i = 0; i < STATE_OUT.length; i++) {
      next[i] = outputs.get(STATE_OUT[i]);
      next[i].attach(stateScope);
    }
    closeState();
    state = next;
    Tensors.output(outputs.get("pha"), alpha);
    alpha.convertTo(alpha8, CV_8U, 255, 0);
    return alpha8;
  }

  @Override
  public void reset() {
    closeState();
  }

  private void closeState() {
    if (state != null) {
      for (NDArray r : state) {
        r.close();
      }
      state = null;
    }
  }

  @Override
  void closeBuffers() {
    closeState();
    stateScope.close();
    for (Mat m : new Mat[] {resized, rgb, alpha, alpha8}) {
      m.close();
    }
    shrink.close();
  }
}
