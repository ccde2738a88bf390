/**
 * Where frames come from: video and image files (once, looped or paced like a camera) and V4L2 cameras. Every frame
 * carries its presentation time: FFmpeg's for a file (continued across loops), the monotonic clock for a camera or a
 * file standing in for one. Videos come out upright, their display rotation applied.
 */
package io.github.vbackcam.core.source;
