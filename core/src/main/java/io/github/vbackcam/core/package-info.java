/**
 * The engine's contracts and its two ways of running: {@link io.github.vbackcam.core.Frame} (owned, reference
 * counted), {@link io.github.vbackcam.core.Stage}, {@link io.github.vbackcam.core.Pipeline} (threads and handoffs,
 * the contract checks), {@link io.github.vbackcam.core.EffectChain} (prepare, segment, composite) and
 * {@link io.github.vbackcam.core.Render} (a file through the chain).
 *
 * <p>Imports point down the layers only:
 * <pre>
 *   live ──▶ EffectChain, Render ──▶ composite ──▶ source    (a video background is a looped file source)
 *                                ──▶ segment ───▶ tfjs, device
 *                                ──▶ sink
 *   every layer ──▶ internal, and the contracts here: Frame, Stage, FrameSource, FrameSink
 * </pre>
 * Every reference is non-null unless documented otherwise.
 */
package io.github.vbackcam.core;
