/**
 * {@code vbackcam models fetch}: downloading and checking the models that are not bundled.
 */
package io.github.vbackcam.service.models;
