/**
 * The commands that run the engine on files: render, segment, bench and models.
 */
package io.github.vbackcam.service.cli;
