package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import io.github.vbackcam.core.Step;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Attaches the person mask to each frame: the model's probability, refined into alpha at the model's resolution and
 * scaled to the frame.
 */
public final class SegmentStage implements Stage {

  private final Segmenter segmenter;
  private final MaskRefiner refiner;

  public SegmentStage(Segmenter segmenter, MaskSettings settings) {
    this.segmenter = segmenter;
    this.refiner = new MaskRefiner(settings);
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    Mat probability = segmenter.segment(in);
    long start = System.nanoTime();
    refiner.refine(probability, (double) probability.cols() / in.width());
    Segmenter.upscale(probability, in.maskForWriting());
    in.addStepNanos(Step.POSTPROCESS, System.nanoTime() - start);
    return in;
  }

  @Override
  public String name() {
    return "segment";
  }

  /**
   * A stage to put before this one that prepares each frame's model input (resize, normalise) on its own thread,
   * so inference never waits for it. Without it this stage prepares frames itself.
   */
  public Stage prepareStage() {
    return new Stage() {
      @Override
      public Frame apply(Frame in) {
        segmenter.prepare(in);
        return in;
      }

      @Override
      public String name() {
        return "prepare";
      }
    };
  }

  @Override
  public void close() {
    refiner.close();
    segmenter.close();
  }
}
