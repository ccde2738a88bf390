package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.BadValue;

/**
 * How a model's person probability becomes the alpha used for compositing.
 *
 * @param threshold probability at which a pixel counts as half person (0..1)
 * @param softness half-width of the ramp around the threshold; 0 gives a hard cut (0..0.5)
 * @param featherPx Gaussian blur of the mask edge, in output pixels (0: none; at most 50)
 * @param smoothing weight of the previous frame's probability 33.3 ms (one 30 fps frame) earlier; it decays with
 *     media time (0: none, for still images; below 1)
 */
public record MaskSettings(double threshold, double softness, double featherPx, double smoothing) {

  /** For video: a soft edge and light temporal smoothing against flicker. */
  public static final MaskSettings VIDEO = new MaskSettings(0.5, 0.15, 2.0, 0.3);
  /** For a still image: no temporal smoothing. */
  public static final MaskSettings STILL = new MaskSettings(0.5, 0.15, 2.0, 0.0);

  public MaskSettings {
    check("threshold", threshold, 0, 1);
    check("softness", softness, 0, 0.5);
    check("feather", featherPx, 0, 50);
    check("smoothing", smoothing, 0, 0.95);
  }

  public MaskSettings withSmoothing(double value) {
    return new MaskSettings(threshold, softness, featherPx, value);
  }

  public MaskSettings withThreshold(double value) {
    return new MaskSettings(value, softness, featherPx, smoothing);
  }

  public MaskSettings withFeather(double value) {
    return new MaskSettings(threshold, softness, value, smoothing);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static void check(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new BadValue(name, value, "out of range " + fmt(min) + "-" + fmt(max));
    }
  }
}
