package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import io.github.vbackcam.core.Step;

/** Attaches the person mask to each frame: the model's probability, refined into alpha. */
public final class SegmentStage implements Stage {

  private final Segmenter segmenter;
  private final MaskRefiner refiner;

  public SegmentStage(Segmenter segmenter, MaskSettings settings) {
    this.segmenter = segmenter;
    this.refiner = new MaskRefiner(settings);
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    segmenter.segment(in);
    long start = System.nanoTime();
    refiner.refine(in.mask());
    in.addStepNanos(Step.POSTPROCESS, System.nanoTime() - start);
    return in;
  }

  @Override
  public String name() {
    return "segment";
  }

  public Segmenter segmenter() {
    return segmenter;
  }

  @Override
  public void close() {
    refiner.close();
    segmenter.close();
  }
}
