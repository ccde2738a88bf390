package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import io.github.vbackcam.core.Step;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Puts the person (the frame's mask) in front of the background, in place. The background can be swapped while
 * frames flow: the swap takes effect on the next frame, on the stage's own thread, and the old one is closed there.
 */
public final class CompositeStage implements Stage {

  private final AtomicReference<Background> pending = new AtomicReference<>();
  private final Hologram hologram;
  private final Blend blend = new Blend();
  private Background background;

  public CompositeStage(Background background, boolean hologram) {
    this.background = background;
    this.hologram = hologram ? new Hologram() : null;
  }

  /** Uses {@code next} from the next frame on; this stage closes the one it replaces. */
  public void setBackground(Background next) {
    Background unused = pending.getAndSet(next);
    if (unused != null) {
      unused.close();
    }
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    Background next = pending.getAndSet(null);
    if (next != null) {
      background.close();
      background = next;
    }
    long start = System.nanoTime();
    Mat bg = background.render(in);
    if (hologram != null) {
      hologram.apply(in.image());
    }
    blend.over(in.image(), bg, in.mask());
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
    Background next = pending.getAndSet(null);
    if (next != null) {
      next.close();
    }
    if (hologram != null) {
      hologram.close();
    }
    blend.close();
  }
}
