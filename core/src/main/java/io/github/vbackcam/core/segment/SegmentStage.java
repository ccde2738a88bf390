package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import io.github.vbackcam.core.Step;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Attaches the person mask to each frame: the model's probability, refined into alpha at the model's resolution, as
 * the frame's {@linkplain Frame#coarseMask coarse mask}.
 *
 * <p>The segmenter is shared with the {@link #prepareStage()}, which runs on another thread: whichever of the two
 * stages is closed last closes the segmenter, so a model swap never frees it under a thread still using it.
 */
public final class SegmentStage implements Stage {

  private final Segmenter segmenter;
  private final MaskRefiner refiner;
  private final AtomicInteger holders = new AtomicInteger(1);

  /** Takes ownership of {@code segmenter}. */
  public SegmentStage(Segmenter segmenter, MaskSettings settings) {
    this.segmenter = segmenter;
    this.refiner = new MaskRefiner(settings);
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    Mat probability = segmenter.segment(in);
    long start = System.nanoTime();
    refiner.refine(probability, (double) probability.cols() / in.width(), in.ptsMicros());
    // Kept at the model's resolution: compositing scales it as it blends (Frame.mask() does for anyone else).
    probability.copyTo(in.coarseMaskForWriting(probability.rows(), probability.cols()));
    in.addStepNanos(Step.POSTPROCESS, System.nanoTime() - start);
    return in;
  }

  @Override
  public String name() {
    return "segment";
  }

  /** The next frame does not follow the last: neither the model's memory nor the previous mask applies to it. */
  @Override
  public void reset() {
    segmenter.reset();
    refiner.reset();
  }

  /**
   * A stage to put before this one that prepares each frame's model input (resize, normalise) on its own thread,
   * so inference never waits for it. Without it this stage prepares frames itself.
   */
  public Stage prepareStage() {
    holders.incrementAndGet();
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

      @Override
      public void close() {
        release();
      }
    };
  }

  @Override
  public void close() {
    refiner.close();
    release();
  }

  private void release() {
    if (holders.decrementAndGet() == 0) {
      segmenter.close();
    }
  }
}
