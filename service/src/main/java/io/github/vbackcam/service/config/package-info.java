/**
 * The service's settings: defaults, configuration files, remembered choices and the command line, checked by key.
 */
package io.github.vbackcam.service.config;
