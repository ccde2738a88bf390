/**
 * The machine: where inference runs (GPU or CPU, and why) and which video devices are cameras.
 */
package io.github.vbackcam.core.device;
