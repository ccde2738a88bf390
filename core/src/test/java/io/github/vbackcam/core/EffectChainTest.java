package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain on the test's thread, frame by frame: a blue camera, a red background, a fake model. */
class EffectChainTest {

  private static final MaskSettings SMOOTHED = MaskSettings.STILL.withSmoothing(0.9);

  private static int[] centre(StageHarness h) throws Exception {
    try (Frame out = h.push(Frames.solid(32, 32, 255, 0, 0))) {
      return Frames.pixel(out.image(), 16, 16);
    }
  }

  @Test
  void theStagesArePrepareSegmentCompositeInThatOrder() {
    try (EffectChain chain = new EffectChain(MaskSettings.STILL)) {
      assertEquals(List.of("prepare", "segment", "composite"), chain.stages().stream().map(Stage::name).toList());
    }
  }

  @Test
  void afterAResetTheNextFrameIsNotSmoothedWithTheMaskBeforeIt() throws Exception {
    EffectChain chain = new EffectChain(SMOOTHED);
    RecordingSegmenter model = new RecordingSegmenter("fake", 255);
    chain.useSegmenter(model);
    chain.useEffect(new Effect.Color(0xff0000, false));
    try (StageHarness h = StageHarness.of(chain)) {
      assertArrayEquals(new int[] {255, 0, 0}, centre(h), "all person: the camera's blue");
      model.person(0);
      assertArrayEquals(new int[] {255, 0, 0}, centre(h), "smoothing keeps 90 % of the old mask: still blue");
      chain.reset();
      assertArrayEquals(new int[] {0, 0, 255}, centre(h), "after a reset: no person, the red background");
      assertTrue(model.calls().contains("reset@" + Thread.currentThread().getName()), model.calls().toString());
    }
  }

  @Test
  void effectNonePassesFramesUntouchedAndNeedsNoModel() throws Exception {
    EffectChain chain = new EffectChain(SMOOTHED);
    chain.useEffect(new Effect.None());
    try (StageHarness h = StageHarness.of(chain)) {
      assertArrayEquals(new int[] {255, 0, 0}, centre(h));
    }
  }

  @Test
  void aNewModelIsUsedFromTheNextFrameAndTheOldOneIsClosedOnlyWhenNoStageHoldsIt() throws Exception {
    EffectChain chain = new EffectChain(MaskSettings.STILL);
    RecordingSegmenter first = new RecordingSegmenter("first", 255);
    RecordingSegmenter second = new RecordingSegmenter("second", 0);
    chain.useSegmenter(first);
    chain.useEffect(new Effect.Color(0xff0000, true));
    try (StageHarness h = StageHarness.of(chain)) {
      centre(h);
      chain.useSegmenter(second);
      // Only the prepare stage has seen the swap: the segment stage still holds the first model.
      Stage prepare = chain.stages().get(0);
      try (Frame f = Frames.solid(32, 32, 255, 0, 0)) {
        Pipeline.applyChecked(prepare, f.retain());
        f.close();
      }
      assertFalse(first.closed(), "closed while the segment stage still uses it");
      assertArrayEquals(new int[] {0, 0, 255}, centre(h), "the second model finds no person: red");
      assertTrue(first.closed());
    }
    assertTrue(second.closed());
  }
}
