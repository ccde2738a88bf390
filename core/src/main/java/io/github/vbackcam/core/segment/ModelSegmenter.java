package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Step;
import io.github.vbackcam.core.tfjs.GraphModel;
import io.github.vbackcam.core.tfjs.InPlaceRun;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A segmenter backed by a TF.js graph model. Each frame's arrays live in a child scope that closes when the frame
 * is done, so native memory does not grow with the number of frames.
 */
abstract class ModelSegmenter implements Segmenter {

  protected final GraphModel model;
  private final Predictor<NDList, NDList> predictor;
  private final String description;
  /** The model run in place, for one-image models in an engine that allows it; else null, and DJL arrays it is. */
  private InPlaceRun inPlace;

  ModelSegmenter(GraphModel model, String description) {
    this.model = model;
    this.predictor = model.newPredictor();
    this.description = description;
  }

  /**
   * Runs the model in place from now on where its engine allows it ({@link GraphModel#inPlaceRun}): the frame's
   * model input is the input tensor and {@link #decode(Mat, Mat)} reads {@code output} where the engine wrote it
   * (the model's other outputs are not computed). For subclasses whose model has one image input and reads one image
   * output; call from the constructor.
   */
  final void runInPlace(String input, String output) {
    inPlace = model.inPlaceRun(input, output).orElse(null);
  }

  @Override
  public final void prepare(Frame frame) {
    long start = System.nanoTime();
    Size size = inputSize(frame.width(), frame.height());
    Mat input = frame.modelInputForWriting(this, size.height(), size.width(), CV_32FC3);
    size.close();
    // The prepare stage and, for unprepared frames, the segment stage share the scratch buffers.
    synchronized (this) {
      preprocess(frame.image(), input);
    }
    frame.addStepNanos(Step.PREPROCESS, System.nanoTime() - start);
  }

  @Override
  public final Mat segment(Frame frame) throws Exception {
    if (frame.modelInput(this) == null) {
      prepare(frame);
    }
    if (inPlace != null) {
      long t1 = System.nanoTime();
      Mat output = inPlace.run(frame.modelInput(this));
      long t2 = System.nanoTime();
      Mat probability = decode(output, frame.image());
      frame.addStepNanos(Step.INFERENCE, t2 - t1);
      frame.addStepNanos(Step.POSTPROCESS, System.nanoTime() - t2);
      return probability;
    }
    try (NDManager scope = model.manager().newSubManager()) {
      long t0 = System.nanoTime();
      NDList inputs = inputs(frame.modelInput(this), scope);
      long t1 = System.nanoTime();
      NDList outputs = predictor.predict(inputs);
      outputs.attach(scope);
      long t2 = System.nanoTime();
      Mat probability = decode(outputs, frame.image());
      long t3 = System.nanoTime();
      frame.addStepNanos(Step.PREPROCESS, t1 - t0);
      frame.addStepNanos(Step.INFERENCE, t2 - t1);
      frame.addStepNanos(Step.POSTPROCESS, t3 - t2);
      return probability;
    }
  }

  /** The size of the model's image input for a frame of this size. */
  abstract Size inputSize(int frameWidth, int frameHeight);

  /** Fills {@code input} (CV_32FC3, {@link #inputSize}) with the normalised model input for this BGR image. */
  abstract void preprocess(Mat image, Mat input);

  /** The model's inputs, created in {@code scope}, from a prepared image input. */
  abstract NDList inputs(Mat input, NDManager scope);

  /** The person probability (CV_8UC1) covering the whole image, from the model's outputs; see {@link #segment}. */
  abstract Mat decode(NDList outputs, Mat image);

  /** {@link #decode(NDList, Mat)} from the model's one output, run in place; only called after {@link #runInPlace}. */
  Mat decode(Mat output, Mat image) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run in place");
  }

  @Override
  public String describe() {
    return description;
  }

  /** Frees per-segmenter scratch buffers; the model and predictor are closed by {@link #close()}. */
  abstract void closeBuffers();

  @Override
  public final void close() {
    if (inPlace != null) {
      inPlace.close();
    }
    closeBuffers();
    predictor.close();
    model.close();
  }
}
