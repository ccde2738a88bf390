/**
 * PipeWire, spoken to through libpipewire-0.3's stream API over JNA: the binding, the SPA pod descriptions of
 * formats and buffers, and one stream connection that publishes a Video/Source node.
 */
package io.github.vbackcam.core.internal.pipewire;
