/**
 * Finding the person: {@link io.github.vbackcam.core.segment.Segmenter}s for each model family, the
 * {@link io.github.vbackcam.core.segment.ModelCatalog} that opens them by name, and the mask refinement
 * (threshold, smoothing, feather) that turns a probability into alpha.
 */
package io.github.vbackcam.core.segment;
