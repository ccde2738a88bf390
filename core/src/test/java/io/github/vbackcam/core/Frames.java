package io.github.vbackcam.core;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Builds test frames with known pixels. */
public final class Frames {
  private Frames() {}

  /** A frame filled with one BGR colour. */
  public static Frame solid(int width, int height, int b, int g, int r) {
    Frame f = Frame.allocate(width, height, 0, System.nanoTime());
    try (Scalar s = new Scalar(b, g, r, 0)) {
      f.image().put(s);
    }
    return f;
  }

  /** A frame filled with one BGR colour, presented at {@code ptsMicros}. */
  public static Frame solidAt(int width, int height, long ptsMicros, int b, int g, int r) {
    Frame f = Frame.allocate(width, height, 0, System.nanoTime(), ptsMicros);
    try (Scalar s = new Scalar(b, g, r, 0)) {
      f.image().put(s);
    }
    return f;
  }

  /** Fills a rectangle of the image with a colour and marks it as person (255) in the mask; 0 elsewhere. */
  public static void paintPerson(Frame f, int x, int y, int w, int h, int b, int g, int r) {
    try (Rect rect = new Rect(x, y, w, h); Mat roi = new Mat(f.image(), rect); Scalar s = new Scalar(b, g, r, 0)) {
      roi.put(s);
    }
    Mat mask = f.maskForWriting();
    try (Scalar zero = new Scalar(0); Scalar full = new Scalar(255); Rect rect = new Rect(x, y, w, h);
         Mat roi = new Mat(mask, rect)) {
      mask.put(zero);
      roi.put(full);
    }
  }

  /** The BGR pixel at (x, y) as {b, g, r}. */
  public static int[] pixel(Mat image, int x, int y) {
    try (UByteIndexer idx = image.createIndexer()) {
      return new int[] {idx.get(y, x, 0), idx.get(y, x, 1), idx.get(y, x, 2)};
    }
  }
}
