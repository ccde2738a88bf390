package io.github.vbackcam.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.BundledFFmpeg;
import io.github.vbackcam.core.Clips;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams that change size mid-way (MPEG-TS parts joined end to end, as {@code cat} joins them): each picture is
 * converted at its own size, and a part over the pixel limit ends the video with an error instead of crashing the
 * JVM in swscale (which read the refused size's worth of pixels out of the last small picture). The parts are MPEG-2
 * with B-frames, made by the bundled FFmpeg (its H.264 encoder, OpenH264, makes no B-frames and no picture over
 * 9.4 megapixels).
 */
class VideoSizeChangeTest {

  @Test
  @Timeout(120)
  void aStreamSwitchingToAPictureOverTheLimitFailsReadWithTheRefusalInsteadOfCrashingOrLooping(@TempDir Path dir)
      throws Exception {
    Path video = joined(dir.resolve("switch.ts"), part(dir, "red", 320, 240, 60), part(dir, "blue", 8208, 8208, 2));
    for (boolean loop : new boolean[] {false, true}) {
      try (VideoFileSource s = new VideoFileSource(video, null, loop)) {
        assertEquals(new VideoSize(320, 240), s.size());
        int read = 0;
        IOException failure = null;
        while (failure == null) {
          try (Frame f = s.read()) {
            assertNotNull(f, "the video ended without an error after " + read + " frames");
            assertEquals(320, f.width());
            assertTrue(read++ < 60, "the video looped instead of failing");
          } catch (IOException e) {
            failure = e;
          }
        }
        assertTrue(read >= 5, "only " + read + " of the small part's frames were read");
        String message = failure.getMessage();
        assertTrue(message.startsWith(video + ": the frame at "), message);
        assertTrue(message.contains(" could not be decoded, nor any after it: the decoder refused the stream's new"
            + " picture size (over the 64-megapixel limit?)"), message);
      }
    }
  }

  @Test
  @Timeout(120)
  void aStreamChangingSizeWithinTheLimitDecodesEachPictureAtItsOwnSize(@TempDir Path dir) throws Exception {
    Path video = joined(dir.resolve("change.ts"), part(dir, "red", 320, 240, 5), part(dir, "blue", 640, 480, 5),
        part(dir, "lime", 160, 90, 5));
    List<Character> colours = new ArrayList<>();
    try (VideoFileSource s = new VideoFileSource(video, new VideoSize(320, 240), false)) {
      Frame next;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          assertEquals(320, f.width());
          assertEquals(240, f.height());
          // Every pixel of the frame is its part's colour: a picture read at another part's size would not be.
          for (int[] xy : new int[][] {{0, 0}, {319, 0}, {0, 239}, {319, 239}, {160, 120}}) {
            colours.add(colourAt(f, xy[0], xy[1]));
          }
        }
      }
    }
    // Each frame wholly one part's colour, the parts in order. Joined MPEG-2 parts lose the last (delayed) picture
    // of every part but the last, in FFmpeg's own ffmpeg program too: 13 frames of 15.
    StringBuilder frames = new StringBuilder();
    for (int i = 0; i < colours.size(); i += 5) {
      assertEquals(List.of(colours.get(i), colours.get(i), colours.get(i), colours.get(i), colours.get(i)),
          colours.subList(i, i + 5), "frame " + i / 5);
      frames.append(colours.get(i));
    }
    assertTrue(frames.toString().matches("R{4,5}B{4,5}G{5}"), frames.toString());
  }

  @Test
  void aHdVideoReadOnOneThreadGivesEveryFrameAtItsOwnSize(@TempDir Path dir) throws Exception {
    Path video = part(dir, "blue", 1280, 720, 3);
    try (VideoFileSource s = new VideoFileSource(video, null, false, true)) {
      for (int i = 0; i < 3; i++) {
        try (Frame f = s.read()) {
          assertEquals(1280, f.width());
          assertEquals('B', colourAt(f, 640, 360));
          assertEquals(i, f.sequence());
        }
      }
      assertNull(s.read());
    }
  }

  private static char colourAt(Frame f, int x, int y) {
    int[] bgr = new int[3];
    for (int c = 0; c < 3; c++) {
      bgr[c] = f.image().ptr(y, x).get(c) & 0xFF;
    }
    return Clips.colourClass(bgr);
  }

  /**
   * {@code frames} frames of one colour at 25 fps, MPEG-2 in MPEG-TS; with B-frames, whose delayed pictures come out
   * after the decoder has taken the next part's size.
   */
  private static Path part(Path dir, String colour, int width, int height, int frames) throws Exception {
    Path out = dir.resolve(colour + "-" + width + "x" + height + ".ts");
    Process p = BundledFFmpeg.command("-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
        "color=c=" + colour + ":s=" + width + "x" + height + ":r=25", "-frames:v", Integer.toString(frames),
        "-c:v", "mpeg2video", "-bf", "2", "-pix_fmt", "yuv420p", "-y", out.toString())
        .inheritIO().start();
    assertEquals(0, p.waitFor(), "ffmpeg making " + out);
    return out;
  }

  private static Path joined(Path out, Path... parts) throws IOException {
    try (OutputStream o = Files.newOutputStream(out)) {
      for (Path part : parts) {
        Files.copy(part, o);
      }
    }
    return out;
  }
}
