package io.github.vbackcam.core.tfjs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Deterministic model inputs from a real photo: bilinear resize, RGB, HWC, then a linear value mapping. */
final class TestImages {
  private TestImages() {}

  /** {@code scale * rgb + offset} for every pixel of {@code image} resized to {@code height x width}. */
  static float[] rgb(Path image, int height, int width, float scale, float offset) throws IOException {
    BufferedImage src = ImageIO.read(image.toFile());
    if (src == null) {
      throw new IOException("not an image: " + image);
    }
    float[] out = new float[height * width * 3];
    float sy = (float) src.getHeight() / height;
    float sx = (float) src.getWidth() / width;
    for (int y = 0; y < height; y++) {
      float fy = Math.max(0, (y + 0.5f) * sy - 0.5f);
      int y0 = Math.min((int) fy, src.getHeight() - 1);
      int y1 = Math.min(y0 + 1, src.getHeight() - 1);
      float wy = fy - y0;
      for (int x = 0; x < width; x++) {
        float fx = Math.max(0, (x + 0.5f) * sx - 0.5f);
        int x0 = Math.min((int) fx, src.getWidth() - 1);
        int x1 = Math.min(x0 + 1, src.getWidth() - 1);
        float wx = fx - x0;
        int p00 = src.getRGB(x0, y0);
        int p01 = src.getRGB(x1, y0);
        int p10 = src.getRGB(x0, y1);
        int p11 = src.getRGB(x1, y1);
        for (int c = 0; c < 3; c++) {
          int shift = 16 - 8 * c;
          float top = ((p00 >> shift) & 0xff) * (1 - wx) + ((p01 >> shift) & 0xff) * wx;
          float bottom = ((p10 >> shift) & 0xff) * (1 - wx) + ((p11 >> shift) & 0xff) * wx;
          out[(y * width + x) * 3 + c] = (top * (1 - wy) + bottom * wy) * scale + offset;
        }
      }
    }
    return out;
  }
}
