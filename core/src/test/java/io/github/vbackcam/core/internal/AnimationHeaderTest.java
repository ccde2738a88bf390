package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.Clips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames are counted from the file's structure, as the decoders would find them, without decoding any. */
class AnimationHeaderTest {

  @TempDir
  Path dir;

  @Test
  void framesAreCountedInGifApngAndWebp() throws Exception {
    Clips.Shot[] shots = {new Clips.Shot(Clips.RED, 0), new Clips.Shot(Clips.GREEN, 50),
        new Clips.Shot(Clips.BLUE, 75)};
    assertEquals(3, AnimationHeader.frames(Clips.write(dir.resolve("a.gif"), 32, 16, 100, 90, 0, shots)));
    assertEquals(3, AnimationHeader.frames(Clips.write(dir.resolve("a.png"), 32, 16, 100, 90, 0, shots)));
    try (Mat still = Clips.solid(32, 16, Clips.RED)) {
      for (String ext : new String[] {"png", "webp", "gif"}) {
        Path file = dir.resolve("still." + ext);
        opencv_imgcodecs.imwrite(file.toString(), still);
        assertEquals(1, AnimationHeader.frames(file), ext);
      }
      Path jpeg = dir.resolve("still.jpg");
      opencv_imgcodecs.imwrite(jpeg.toString(), still);
      assertEquals(-1, AnimationHeader.frames(jpeg), "not an animation format");
    }
  }

  @Test
  void aGifBombIsCountedWithoutDecodingAndADamagedOneCountsItsWholeFrames() throws IOException {
    byte[] bomb = Clips.gifOfPixels(5000, 5000, 400);
    assertEquals(400, AnimationHeader.frames(Files.write(dir.resolve("bomb.gif"), bomb)));
    byte[] cut = Arrays.copyOf(bomb, bomb.length - 100); // the trailer and 99 bytes: 4 frames of 23 and a part
    assertEquals(395, AnimationHeader.frames(Files.write(dir.resolve("cut.gif"), cut)));
    assertEquals(-1, AnimationHeader.frames(Files.write(dir.resolve("short.gif"), Arrays.copyOf(bomb, 20))));
  }
}
