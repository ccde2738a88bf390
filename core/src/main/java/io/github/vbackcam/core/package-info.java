/**
 * The engine's contracts and its two ways of running: {@link io.github.vbackcam.core.Frame} (owned, reference
 * counted), {@link io.github.vbackcam.core.Stage}, {@link io.github.vbackcam.core.Pipeline} (threads and handoffs,
 * the contract checks), {@link io.github.vbackcam.core.EffectChain} (prepare, segment, composite) and
 * {@link io.github.vbackcam.core.Render} (a file through the chain).
 *
 * <p>Imports point down the layers only:
 * <pre>
 *   live ──▶ root (EffectChain, Pipeline, Render) ──▶ segment, composite, source, sink, device ──▶ internal, tfjs
 * </pre>
 * The contracts in this package ({@code Frame}, {@code Stage}, {@code FrameSource}, {@code FrameSink}) are used by
 * every layer. Every reference is non-null unless documented otherwise.
 */
package io.github.vbackcam.core;
