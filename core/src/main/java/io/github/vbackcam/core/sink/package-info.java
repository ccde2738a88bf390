/**
 * Where frames go: video and image files, the v4l2loopback device, or nowhere (the benchmark); and how many apps
 * watch the virtual camera ({@link io.github.vbackcam.core.sink.ConsumerMonitor}).
 */
package io.github.vbackcam.core.sink;
