/**
 * {@code vbackcamctl}: a thin client of the D-Bus interface; it never runs the engine.
 */
package io.github.vbackcam.service.ctl;
