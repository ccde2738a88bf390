package io.github.vbackcam.core.segment;

import java.io.IOException;

/**
 * Opens segmenters by model name: the {@link ModelCatalog} in real use, a fake in tests and under CPU emulation.
 * Throws with a message naming the model when it is unknown or broken.
 */
@FunctionalInterface
public interface SegmenterFactory {
  Segmenter open(String model) throws IOException;
}
