/**
 * The v4l2loopback device, spoken to directly: ioctls through a small native kernel interface, YUYV conversion,
 * and every errno turned into an action the user can take.
 */
package io.github.vbackcam.core.internal.v4l2;
