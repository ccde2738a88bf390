package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.internal.FrameLeakDetector;
import java.util.List;

/**
 * Runs stages as a black box, after GStreamer's {@code GstHarness}: a frame in, a frame out, on the test's own
 * thread, with the pipeline's contract checks ({@link Pipeline#applyChecked}). Closing the harness closes the
 * stages and asserts that no frame made since it was created is still alive.
 */
public final class StageHarness implements AutoCloseable {

  private final List<Stage> stages;
  private final long liveFramesBefore = FrameLeakDetector.liveFrames();

  private StageHarness(List<Stage> stages) {
    this.stages = stages;
  }

  /** A harness owning {@code stages}, run in this order. */
  public static StageHarness of(Stage... stages) {
    return new StageHarness(List.of(stages));
  }

  /** A harness over the chain's stages: closing the harness frees what the chain holds. */
  public static StageHarness of(EffectChain chain) {
    return new StageHarness(chain.stages());
  }

  /** Pushes {@code in} (owned by the harness from now on) through every stage; the caller owns the result. */
  public Frame push(Frame in) throws PipelineException {
    Frame frame = in;
    for (Stage stage : stages) {
      frame = Pipeline.applyChecked(stage, frame);
      if (frame == Frame.DROPPED) {
        return frame;
      }
    }
    return frame;
  }

  @Override
  public void close() throws Exception {
    for (Stage stage : stages) {
      stage.close();
    }
    assertEquals(liveFramesBefore, FrameLeakDetector.liveFrames(),
        () -> "frames left alive: " + FrameLeakDetector.liveAllocations());
  }
}
