/**
 * Where frames come from: video and image files (once, looped or paced like a camera) and V4L2 cameras.
 */
package io.github.vbackcam.core.source;
