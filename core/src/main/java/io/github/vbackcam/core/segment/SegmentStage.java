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

  @Override
  public void close() {
    refiner.close();
    segmenter.close();
  }
}
