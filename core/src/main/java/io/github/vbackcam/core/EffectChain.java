package io.github.vbackcam.core;

import io.github.vbackcam.core.composite.Background;
import io.github.vbackcam.core.composite.CompositeStage;
import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.SegmentStage;
import io.github.vbackcam.core.segment.Segmenter;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The effect, as stages: the one place that knows what happens to a frame between source and sink, used alike by
 * {@link Render} (a file) and the live camera.
 *
 * <pre>
 *   source ──▶ prepare ──────▶ segment ─────────▶ composite ───────▶ sink
 *              (resize and      (model, mask:       (background,
 *               normalise the    threshold,          hologram, blend)
 *               model input)     smoothing, feather)
 *              └─────────── one {@link StageSlot} each: hot swap, passthrough, reset ───────────┘
 * </pre>
 *
 * <p>Each stage runs on its own pipeline thread. A new model or background is opened by the caller first (so a bad
 * one fails there and the old one stays) and swapped in on the next frame; effect {@code none} puts every slot in
 * passthrough, and no model is needed then. {@link #reset} makes the next frame start afresh, without the previous
 * mask or a recurrent model's memory: call it whenever the frames that follow do not continue the last ones.
 *
 * <p>The chain owns what it is given and frees it in {@link #close}, after the pipeline has stopped.
 */
public final class EffectChain implements AutoCloseable {

  private final MaskSettings mask;
  private final StageSlot prepare = new StageSlot("prepare");
  private final StageSlot segment = new StageSlot("segment");
  private final StageSlot composite = new StageSlot("composite");
  private final List<StageSlot> slots = List.of(prepare, segment, composite);

  public EffectChain(MaskSettings mask) {
    this.mask = mask;
  }

  /** The stages in pipeline order; the same slots for every pipeline the chain is put in. */
  public List<Stage> stages() {
    return List.copyOf(slots);
  }

  /** Adds the chain's stages to {@code pipeline}, between its source and sink. */
  public Pipeline.Builder addTo(Pipeline.Builder pipeline) {
    stages().forEach(pipeline::stage);
    return pipeline;
  }

  /** Uses {@code segmenter} (owned from now on) from the next frame, with a fresh mask history. */
  public void useSegmenter(Segmenter segmenter) {
    SegmentStage stage = new SegmentStage(segmenter, mask);
    prepare.replace(stage.prepareStage());
    segment.replace(stage);
  }

  /** Opens the effect's background now (a bad file throws here) and uses it from the next frame. */
  public void useEffect(Effect effect) throws IOException {
    useEffect(effect, effect instanceof Effect.None ? null : effect.open());
  }

  /**
   * Uses {@code background}, opened from {@code effect} by the caller (owned from now on; {@code null} for
   * {@link Effect.None}), from the next frame: the caller can open a slow file without holding its own locks.
   */
  public void useEffect(Effect effect, Background background) {
    boolean none = effect instanceof Effect.None;
    if (!none) {
      composite.replace(new CompositeStage(Objects.requireNonNull(background, "background"), effect.hologram()));
      if (segment.passthrough()) {
        reset(); // the segmenter has not seen the frames that passed while the effect was off
      }
    }
    slots.forEach(s -> s.passthrough(none));
  }

  /** The next frame starts afresh: no smoothing with the previous mask, no recurrent model memory. */
  public void reset() {
    slots.forEach(StageSlot::reset);
  }

  @Override
  public void close() {
    slots.forEach(StageSlot::close);
  }
}
