package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.vbackcam.core.tfjs.GraphModel;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Models that take the whole frame at a fixed size, RGB in [0, 1], and return a person map at that size: MediaPipe
 * selfie (a probability), Google Meet (two-class logits), and other models of that shape.
 */
final class ImageSegmenter extends ModelSegmenter {

  /** How the model's output encodes the person. */
  enum Output {
    /** One channel, already a probability (the graph ends in a sigmoid). */
    PROBABILITY,
    /** One channel of logits. */
    LOGIT,
    /** Two channels of logits, background and person: softmax over them. */
    TWO_CLASS_LOGITS
  }

  private final String inputName;
  private final String outputName;
  private final int width;
  private final int height;
  private final Output output;
  private final Shrink shrink = new Shrink();
  private final Mat resized = new Mat();
  private final Mat rgb = new Mat();
  private final Mat raw = new Mat();
  private final Mat person = new Mat();
  private final Mat background = new Mat();
  private final Mat probability8 = new Mat();

  ImageSegmenter(GraphModel model, String description, int width, int height, Output output) {
    super(model, description);
    this.inputName = model.inputNames().get(0);
    this.outputName = model.outputNames().get(0);
    this.width = width;
    this.height = height;
    this.output = output;
    runInPlace(inputName, outputName);
  }

  @Override
  Size inputSize(int frameWidth, int frameHeight) {
    return new Size(width, height);
  }

  @Override
  void preprocess(Mat image, Mat input) {
    shrink.apply(image, resized, width, height);
    cvtColor(resized, rgb, COLOR_BGR2RGB);
    rgb.convertTo(input, CV_32FC3, 1 / 255.0, 0);
  }

  @Override
  NDList inputs(Mat input, NDManager scope) {
    return new NDList(Tensors.input(input, scope, inputName));
  }

  @Override
  Mat decode(NDList outputs, Mat image) {
    Tensors.output(outputs.get(outputName), raw);
    return decode(raw, image);
  }

  @Override
  Mat decode(Mat modelOutput, Mat image) {
    Mat p = switch (output) {
      case PROBABILITY -> modelOutput; // read once, by the conversion below
      case LOGIT -> {
        Activations.sigmoid(modelOutput, person);
        yield person;
      }
      case TWO_CLASS_LOGITS -> {
        // softmax([b, p])[1] = sigmoid(p - b)
        extractChannel(modelOutput, person, 1);
        extractChannel(modelOutput, background, 0);
        subtract(person, background, person);
        Activations.sigmoid(person, person);
        yield person;
      }
    };
    p.convertTo(probability8, CV_8U, 255, 0);
    return probability8;
  }

  @Override
  void closeBuffers() {
    for (Mat m : new Mat[] {resized, rgb, raw, person, background, probability8}) {
      m.close();
    }
    shrink.close();
  }
}
