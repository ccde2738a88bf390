/**
 * The live camera: {@link io.github.vbackcam.core.live.LiveEngine} runs the effect chain from the webcam to the
 * virtual camera for as long as the service runs, opening the camera only while someone watches and nothing
 * holds a pause, with placeholders and retries when the camera is gone.
 */
package io.github.vbackcam.core.live;
