package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.source.VideoFileSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render} keeps every frame's presentation time and the video's duration, to the precision of the output
 * container's time base, whatever rate the input declares: also for times on no grid at all.
 */
class RenderTimingTest {

  /**
   * QA's inputs: millisecond times (as MediaRecorder writes them) 40 ms apart, then 150 ms apart with one at
   * 0.699 s, off any grid, then 20 ms apart, in an mp4 (FFmpeg says r_frame_rate 1000/1) and in Matroska; and a
   * phone's mp4 (timescale 30000: MPEG-4 part 2 takes no 90000) at 30 fps with +-4 ms of jitter. Before, the mp4 and mkv frames were spread evenly over a
   * grid of the average rate and the jitter flattened onto it, and mkv/webm outputs lost the last frame's duration.
   */
  @Test
  void everyFrameKeepsItsOwnTimeAndTheLastItsDurationInEveryContainer(@TempDir Path dir) throws Exception {
    List<Path> inputs = List.of(
        Clips.write(dir.resolve("ms.mp4"), 64, 36, 1000, 1580, 0, shots(millisecondTimes())),
        Clips.write(dir.resolve("ms.mkv"), 64, 36, 1000, 1580, 0, shots(millisecondTimes())),
        Clips.write(dir.resolve("phone.mp4"), 64, 36, 30_000, 40 * 1000, 0, shots(jitteredTicks())));
    for (Path input : inputs) {
      List<Long> in = times(input);
      long length = duration(input);
      for (String ext : new String[] {"mp4", "mov", "mkv", "webm"}) {
        Path out = dir.resolve(input.getFileName() + "-out." + ext);
        Render.run(new Render.Job(input, out, null, new Effect.None(), MaskSettings.VIDEO, "none", 0, false),
            model -> {
              throw new AssertionError("no model for --none");
            }, EngineListener.NONE);
        // A tick of the output's time base: 1 ms in Matroska, 1/90000 s or finer in mp4. Times are rounded to it;
        // the end too, and the last frame lasts at least one (the phone clip's last frame lasts 1/30000 s).
        long tick = ext.equals("mkv") || ext.equals("webm") ? 1000 : 12;
        List<Long> back = times(out);
        String what = input.getFileName() + " to " + ext + ": in " + in + ", out " + back;
        assertEquals(in.size(), back.size(), what);
        for (int i = 0; i < in.size(); i++) {
          assertEquals(in.get(i), back.get(i), tick / 2, "frame " + i + " of " + what);
        }
        assertEquals(length, duration(out), tick * 3 / 2, "duration of " + what);
      }
    }
  }

  /** 0-0.36 s 40 ms apart; 0.51, 0.699, 0.81, 0.96, 1.11; then 20 ms apart to 1.56 s (the clip ends at 1.58). */
  private static long[] millisecondTimes() {
    List<Long> ms = new ArrayList<>();
    for (long t = 0; t <= 360; t += 40) {
      ms.add(t);
    }
    ms.addAll(List.of(510L, 699L, 810L, 960L, 1110L));
    for (long t = 1130; t <= 1560; t += 20) {
      ms.add(t);
    }
    return ms.stream().mapToLong(Long::longValue).toArray();
  }

  /** 40 frames of a 30 fps phone clip in ticks of 1/30000 s, each up to 4 ms early or late. */
  private static long[] jitteredTicks() {
    long[] ticks = new long[40];
    for (int n = 0; n < ticks.length; n++) {
      ticks[n] = n * 1000L + (n == 0 ? 0 : Math.round(120 * Math.sin(n * 2.3)));
    }
    return ticks;
  }

  private static Clips.Shot[] shots(long[] ticks) {
    int[] colours = {Clips.RED, Clips.GREEN, Clips.BLUE};
    Clips.Shot[] shots = new Clips.Shot[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      shots[i] = new Clips.Shot(colours[i % colours.length], ticks[i]);
    }
    return shots;
  }

  private static List<Long> times(Path video) throws Exception {
    List<Long> times = new ArrayList<>();
    try (VideoFileSource s = new VideoFileSource(video, null, false)) {
      Frame next;
      while ((next = s.read()) != null) {
        try (Frame f = next) {
          times.add(f.ptsMicros());
        }
      }
    }
    return times;
  }

  private static long duration(Path video) throws Exception {
    try (VideoFileSource s = new VideoFileSource(video, null, false)) {
      return s.durationMicros();
    }
  }
}
