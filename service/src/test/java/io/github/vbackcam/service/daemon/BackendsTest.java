package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs that {@code vbackcam run} refuses before opening anything, with the line {@code doctor} gives too. */
class BackendsTest {

  @TempDir
  Path dir;

  @Test
  void aFolderIsRefusedAsAFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("videos"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Backends.output(folder.toString(), false, new VideoSize(64, 36), 30));
    assertEquals("output '" + folder + "' is a folder: name a .y4m file in it, a v4l2loopback device such as"
        + " /dev/video20, or pipewire", e.getMessage());
  }

  @Test
  void aFileWithoutTheY4mExtensionIsRefused() {
    Path text = dir.resolve("out.txt");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Backends.output(text.toString(), false, new VideoSize(64, 36), 30));
    assertEquals("output '" + text + "' is a regular file: give it the .y4m extension (the service writes Y4M to"
        + " files)", e.getMessage());
  }
}
