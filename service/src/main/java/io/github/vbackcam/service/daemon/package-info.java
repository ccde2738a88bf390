/**
 * The camera service ({@code vbackcam run}): settings loaded, outputs and cameras chosen, the live engine
 * started, and its controls offered on D-Bus.
 */
package io.github.vbackcam.service.daemon;
