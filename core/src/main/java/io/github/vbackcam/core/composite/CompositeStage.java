package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import io.github.vbackcam.core.Step;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Puts the person (the frame's mask) in front of the background, in place, optionally drawn as a hologram. A
 * frame without a mask has no person to place and passes untouched (for one frame while an effect is switched back
 * on, the segment stage may still have been in passthrough). To change the background, replace the whole stage in
 * its {@link io.github.vbackcam.core.StageSlot}.
 */
public final class CompositeStage implements Stage {

  private final Background background;
  private final Hologram hologram;
  private final Blend blend = new Blend();

  /** Takes ownership of {@code background}. */
  public CompositeStage(Background background, boolean hologram) {
    this.background = background;
    this.hologram = hologram ? new Hologram() : null;
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    if (!in.hasMask()) {
      return in;
    }
    long start = System.nanoTime();
    Mat bg = background.render(in);
    if (hologram != null) {
      hologram.apply(in.image());
    }
    Mat mask = in.scaledMask(); // made already (a blurred background needs it), or written at frame size
    if (mask != null) {
      blend.over(in.image(), bg, mask);
    } else {
      blend.overScaled(in.image(), bg, in.coarseMask());
    }
    in.addStepNanos(Step.COMPOSITE, System.nanoTime() - start);
    return in;
  }

  @Override
  public String name() {
    return "composite";
  }

  public String describe() {
    return background.describe() + (hologram != null ? " + hologram" : "");
  }

  @Override
  public void close() {
    background.close();
    if (hologram != null) {
      hologram.close();
    }
  }
}
