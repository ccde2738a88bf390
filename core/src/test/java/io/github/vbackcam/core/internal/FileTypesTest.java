package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Pngs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTypesTest {

  @Test
  void tildeIsTheHomeDirectoryFromHome() {
    String home = System.getenv("HOME");
    assertEquals(home + "/x.png", FileTypes.expandHome("~/x.png"));
    assertEquals(home, FileTypes.expandHome("~"));
    assertEquals("~user/x.png", FileTypes.expandHome("~user/x.png"), "other users' homes are left alone");
    assertEquals("/a/~/b", FileTypes.expandHome("/a/~/b"));
    assertEquals("x.png", FileTypes.expandHome("x.png"));
  }

  @Test
  void stillPngsAndWebpsAreNotAnimatedAndGifsAre(@TempDir Path dir) throws Exception {
    Path still = Pngs.write(dir.resolve("still.png"), 2, 1, Pngs.RGBA, new byte[8], null, null);
    assertFalse(FileTypes.isAnimatedImage(still));
    Path webp = Files.write(dir.resolve("still.webp"), "RIFF\0\0\0\0WEBPVP8 ".getBytes());
    assertFalse(FileTypes.isAnimatedImage(webp));
    assertTrue(FileTypes.isAnimatedImage(dir.resolve("any.gif")));
    assertFalse(FileTypes.isAnimatedImage(dir.resolve("missing.png")));
  }
}
