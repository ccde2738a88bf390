package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.COLORMAP_WINTER;
import static org.bytedeco.opencv.global.opencv_imgproc.applyColorMap;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The "hologram" look for the person, as the original project had it: a blue tint, dark scan lines, and a faint
 * double image. Applied to the person before blending.
 */
final class Hologram implements AutoCloseable {
  private static final int BAND = 2;
  private static final int GAP = 3;
  private final Mat tinted = new Mat();
  private final Mat ghost = new Mat();
  private final Mat shift = new Mat(2, 3, opencv_core.CV_64F);

  void apply(Mat image) {
    applyColorMap(image, tinted, COLORMAP_WINTER);
    for (int y = 0; y < tinted.rows(); y += BAND + GAP) {
      try (Mat band = tinted.rowRange(y, Math.min(tinted.rows(), y + BAND))) {
        band.convertTo(band, -1, 0.25, 0);
      }
    }
    int offset = Math.max(2, image.cols() / 200);
    try (org.bytedeco.javacpp.indexer.DoubleIndexer m = shift.createIndexer();
         Size size = new Size(image.cols(), image.rows())) {
      m.put(0, 0, 1, 0, offset);
      m.put(1, 0, 0, 1, offset);
      warpAffine(tinted, ghost, shift, size);
    }
    addWeighted(tinted, 0.7, ghost, 0.3, 0, tinted);
    addWeighted(image, 0.5, tinted, 0.6, 0, image);
  }

  @Override
  public void close() {
    tinted.close();
    ghost.close();
    shift.close();
  }
}
