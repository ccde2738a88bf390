package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vbackcam render} never costs the user a file: not the input, not an earlier output, not on Ctrl-C. */
class RenderSafetyTest {

  @TempDir
  Path dir;

  /**
   * The clip played eight times over (80 s, 1920 frames): a render of the 10 s clip alone can end (ONNX Runtime
   * renders it in about 3 s) before a loaded machine's SIGINT arrives, and the Ctrl-C tests would race the end.
   */
  private static Path longClip;

  @BeforeAll
  static void makeTheLongClip(@TempDir Path shared) throws IOException {
    longClip = shared.resolve("long.mkv");
    try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(
        Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toFile())) {
      in.start();
      try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(longClip.toFile(), in.getImageWidth(),
          in.getImageHeight())) {
        out.setFormat("matroska");
        out.setVideoCodecName("mpeg4");
        out.setVideoQuality(5);
        out.setFrameRate(in.getFrameRate());
        out.start();
        for (int pass = 0; pass < 8; pass++) {
          in.setFrameNumber(0);
          for (Frame f; (f = in.grabImage()) != null; ) {
            out.record(f);
          }
        }
      }
    }
  }

  private Path copyOfTheClip(String name) throws IOException {
    Path clip = dir.resolve(name);
    Files.copy(Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4"), clip);
    return clip;
  }

  @Test
  void anOutputThatIsTheInputIsRefusedByNameSymbolicLinkAndHardLink() throws IOException {
    Path input = copyOfTheClip("a.mp4");
    byte[] before = Files.readAllBytes(input);
    Path symlink = Files.createSymbolicLink(dir.resolve("link.mp4"), input);
    Path hardlink = Files.createLink(dir.resolve("hard.mp4"), input);
    for (Path out : List.of(input, dir.resolve("./a.mp4"), symlink, hardlink)) {
      Cli r = Cli.run("render", "-i", input.toString(), "--color", "#00ff00", "-o", out.toString());
      assertEquals(1, r.status(), out + ": " + r.err());
      assertTrue(r.err().contains("is the input file"), r.err());
      assertArrayEquals(before, Files.readAllBytes(input), "the input changed when rendering to " + out);
    }
    assertTrue(Files.isSymbolicLink(symlink));
    assertLeftNoTemporaryFile();
  }

  @Test
  void aFailedRenderLeavesTheEarlierOutputUntouched() throws IOException {
    Path out = dir.resolve("out.mp4");
    byte[] earlier = "an earlier render the user wants to keep".getBytes(StandardCharsets.UTF_8);
    Files.write(out, earlier);
    Cli r = Cli.run("render", "-i", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--model", dir.resolve("no-such-model.json").toString(), "-o", out.toString());
    assertEquals(1, r.status(), r.err());
    assertArrayEquals(earlier, Files.readAllBytes(out));
    assertLeftNoTemporaryFile();
  }

  @Test
  void aCompletedRenderReplacesTheEarlierOutput() throws IOException {
    Path out = dir.resolve("out.y4m");
    Files.writeString(out, "old");
    Cli r = Cli.run("render", "-i", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--color", "#00ff00", "--frames", "3", "--size", "64x36", "-o", out.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(3, frameCount(out));
    assertLeftNoTemporaryFile();
  }

  @Test
  void ctrlCStopsWithinASecondSaysHowManyFramesAndLeavesTheOutputAsItWas() throws Exception {
    Path out = dir.resolve("out.y4m");
    Files.writeString(out, "old");
    Interrupted run = interrupt(out, false);
    assertEquals(130, run.status, run.log);
    assertTrue(run.stopMillis < 1000, "took " + run.stopMillis + " ms to stop after SIGINT");
    assertTrue(run.log.matches("(?s).*Stopped by Ctrl-C after \\d+ frames?;.*left as it was.*"), run.log);
    assertEquals("old", Files.readString(out));
    assertLeftNoTemporaryFile();
  }

  @Test
  void ctrlCWithKeepPartialKeepsWholeFrames() throws Exception {
    Path out = dir.resolve("partial.y4m");
    Interrupted run = interrupt(out, true);
    assertEquals(130, run.status, run.log);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("after (\\d+) frame").matcher(run.log);
    assertTrue(m.find(), run.log);
    long said = Long.parseLong(m.group(1));
    assertNotEquals(0, said, run.log);
    assertEquals(said, frameCount(out), "frames in the kept output");
    assertLeftNoTemporaryFile();
  }

  private record Interrupted(int status, long stopMillis, String log) {}

  /** Renders in a child JVM (SIGINT must reach a real process) and interrupts it once frames flow. */
  private Interrupted interrupt(Path out, boolean keepPartial) throws Exception {
    Path log = dir.resolve("render.log");
    // A build started in the background by a non-interactive shell (CI, nohup ... &) runs with SIGINT ignored, and
    // the child would inherit that: env resets it, as a terminal's Ctrl-C finds it.
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.github.vbackcam.service.Main", "render", "-i",
        longClip.toString(), "--blur", "10", "-o", out.toString()));
    if (keepPartial) {
      cmd.add("--keep-partial");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (temporaryFiles().isEmpty() || Files.size(temporaryFiles().get(0)) < 640 * 360 * 3) {
      assertTrue(p.isAlive(), "render ended before it could be interrupted: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no frames written within 120 s: " + Files.readString(log));
      Thread.sleep(20);
    }
    long start = System.nanoTime();
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still rendering 10 s after SIGINT");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    return new Interrupted(p.exitValue(), millis, Files.readString(log));
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(".vbackcam-")).toList();
    }
  }

  private void assertLeftNoTemporaryFile() throws IOException {
    assertEquals(List.of(), temporaryFiles());
  }

  /** Whole frames in a Y4M file: every FRAME marker followed by a full I420 picture of the header's size. */
  private static long frameCount(Path y4m) throws IOException {
    byte[] all = Files.readAllBytes(y4m);
    String header = new String(all, 0, Math.min(200, all.length), StandardCharsets.US_ASCII);
    int at = header.indexOf('\n') + 1;
    java.util.regex.Matcher size = java.util.regex.Pattern.compile(" W(\\d+) H(\\d+)").matcher(header);
    assertTrue(at > 0 && size.find(), "no Y4M header in " + y4m);
    int frame = "FRAME\n".length() + Integer.parseInt(size.group(1)) * Integer.parseInt(size.group(2)) * 3 / 2;
    assertEquals(0, (all.length - at) % frame, "a partial frame at the end of " + y4m);
    return (all.length - at) / frame;
  }
}
