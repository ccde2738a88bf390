/**
 * The {@code vbackcam} program: its entry point, where the installed data is, and how errors read.
 */
package io.github.vbackcam.service;
