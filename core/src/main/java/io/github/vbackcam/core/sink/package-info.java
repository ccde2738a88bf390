/**
 * Where frames go: video and image files, the v4l2loopback device, or nowhere (the benchmark); and how many apps
 * watch the virtual camera ({@link io.github.vbackcam.core.sink.ConsumerMonitor}).
 *
 * <p>Declared rates are true: files with timestamps keep each frame's time, constant-rate files are paced to the
 * rate they declare ({@code ConstantRate}), and the virtual camera and the PipeWire node report the rate frames
 * arrive at ({@code RateMeter}).
 */
package io.github.vbackcam.core.sink;
