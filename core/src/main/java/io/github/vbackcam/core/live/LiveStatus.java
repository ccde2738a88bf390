package io.github.vbackcam.core.live;

import io.github.vbackcam.core.composite.Effect;

/**
 * A snapshot of the live engine, for the service's properties and the log.
 *
 * @param state what the engine is doing
 * @param detail why, in words (the camera error while camera-lost, for instance); empty when nothing to add
 * @param fps frames written per second over the last second
 * @param latencyMs median time from capture to written over the recent frames
 * @param latencyP99Ms 99th percentile of the same
 * @param consumers apps reading the virtual camera, as the consumer monitor reports them
 * @param consumerMode how consumers are detected
 * @param framesWritten camera frames written since start (placeholders not counted)
 * @param drops frames dropped to keep latency low
 */
public record LiveStatus(LiveState state, String detail, double fps, double latencyMs, double latencyP99Ms,
                         int consumers, String consumerMode, long framesWritten, long drops, String camera,
                         String output, String model, Effect effect) {

  /** This snapshot with another state and detail, the figures kept. */
  public LiveStatus withState(LiveState newState, String newDetail) {
    return new LiveStatus(newState, newDetail, fps, latencyMs, latencyP99Ms, consumers, consumerMode, framesWritten,
        drops, camera, output, model, effect);
  }
}
