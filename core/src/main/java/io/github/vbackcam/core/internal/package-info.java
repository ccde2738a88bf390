/**
 * Glue shared by the layers and not part of the engine's API: file types, image helpers, frame pools and handoffs,
 * the leak detector. May change without notice.
 */
package io.github.vbackcam.core.internal;
