package io.github.vbackcam.core.internal.pipewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class LibPipeWireTest {

  @Test
  void aMissingLibraryIsOneLineThatSaysWhatToInstall() {
    IOException e = assertThrows(IOException.class, () -> LibPipeWire.load("libpipewire-0.3-absent.so.0"));
    assertTrue(e.getMessage().startsWith("PipeWire's library libpipewire-0.3-absent.so.0 cannot be loaded (install"
        + " pipewire-libs on Fedora, libpipewire-0.3-0 on Debian): "), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    // The reason, not JNA's header line ("Unable to load library '...':").
    assertTrue(e.getMessage().endsWith("libpipewire-0.3-absent.so.0: cannot open shared object file: No such file"
        + " or directory"), e.getMessage());
  }
}
