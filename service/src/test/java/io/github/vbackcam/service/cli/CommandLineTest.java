package io.github.vbackcam.service.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.source.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real program, run as a user would, on real images and video. */
class CommandLineTest {

  @TempDir
  Path dir;

  private static int[] bgr(Mat image, int x, int y) {
    try (UByteIndexer idx = image.createIndexer()) {
      return new int[] {idx.get(y, x, 0), idx.get(y, x, 1), idx.get(y, x, 2)};
    }
  }

  @Test
  void renderReplacesTheBackgroundOfAPortraitAndKeepsTheFace() {
    Path out = dir.resolve("green.png");
    Cli r = Cli.run("render", "--input", Cli.shared("data/portraits_unlabeled/grace_hopper_512x600.jpg").toString(),
        "--color", "#00ff00", "--output", out.toString());
    assertEquals(0, r.status(), r.err());
    try (Mat image = imread(out.toString(), IMREAD_UNCHANGED);
         Mat original = imread(Cli.shared("data/portraits_unlabeled/grace_hopper_512x600.jpg").toString())) {
      assertEquals(512, image.cols());
      assertEquals(600, image.rows());
      assertTrue(isGreen(bgr(image, 10, 10)), "top-left corner is background");
      assertTrue(isGreen(bgr(image, 500, 20)), "top-right corner is background");
      int[] face = bgr(image, 256, 200);
      int[] was = bgr(original, 256, 200);
      for (int c = 0; c < 3; c++) {
        assertEquals(was[c], face[c], 3, "the face is kept as it was");
      }
    }
  }

  private static boolean isGreen(int[] p) {
    return p[0] < 30 && p[1] > 225 && p[2] < 30;
  }

  @Test
  void noneIsAPassThrough() {
    Path out = dir.resolve("same.png");
    Path in = Cli.shared("data/portraits_unlabeled/astronaut_eileen_collins_512x512.png");
    Cli r = Cli.run("render", "--input", in.toString(), "--none", "--output", out.toString());
    assertEquals(0, r.status(), r.err());
    try (Mat a = imread(in.toString()); Mat b = imread(out.toString()); Mat diff = new Mat()) {
      opencv_core.absdiff(a, b, diff);
      assertEquals(0, opencv_core.countNonZero(diff.reshape(1, 0)));
    }
  }

  @Test
  void renderWithDefaultsUsesTheBundledSampleModelAndBackground() throws IOException {
    Path out = dir.resolve("default.png");
    Cli r = Cli.run("render", "--output", out.toString());
    assertEquals(0, r.status(), r.err());
    try (Mat image = imread(out.toString())) {
      assertEquals(512, image.cols(), "the bundled astronaut portrait is 512x512");
    }
  }

  @Test
  void renderBlursAVideoAtTheRequestedSize() throws IOException {
    Path out = dir.resolve("blur.mp4");
    Cli r = Cli.run("render", "--input", Cli.shared("data/videos/davis2016_lucia_854x480_24fps.mp4").toString(),
        "--blur", "25", "--size", "640x360", "--frames", "24", "--output", out.toString());
    assertEquals(0, r.status(), r.err());
    int frames = 0;
    try (FrameSource back = Sources.open(out, null, false)) {
      Frame f;
      while ((f = back.read()) != null) {
        assertEquals(640, f.width());
        assertEquals(360, f.height());
        f.close();
        frames++;
      }
    }
    assertEquals(24, frames);
  }

  @Test
  void segmentWritesAnEightBitMaskPerImageThatFindsThePerson() throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Path images = Cli.shared("data/person_masks/davis2016_lucia/images");
    for (String n : List.of("00000.jpg", "00030.jpg", "00060.jpg")) {
      Files.copy(images.resolve(n), in.resolve(n));
    }
    Path masks = dir.resolve("masks");
    Cli r = Cli.run("segment", "--input", in.toString(), "--output", masks.toString());
    assertEquals(0, r.status(), r.err());
    try (Stream<Path> written = Files.list(masks)) {
      assertEquals(List.of("00000.png", "00030.png", "00060.png"),
          written.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Path truth = Cli.shared("data/person_masks/davis2016_lucia/masks/00030.png");
    try (Mat mask = imread(masks.resolve("00030.png").toString(), IMREAD_UNCHANGED);
         Mat expected = imread(truth.toString(), IMREAD_UNCHANGED)) {
      assertEquals(1, mask.channels());
      assertEquals(opencv_core.CV_8U, mask.depth());
      assertEquals(854, mask.cols());
      assertEquals(480, mask.rows());
      long inter = 0;
      long union = 0;
      try (UByteIndexer m = mask.createIndexer(); UByteIndexer t = expected.createIndexer()) {
        for (int y = 0; y < 480; y++) {
          for (int x = 0; x < 854; x++) {
            boolean a = m.get(y, x) >= 128;
            boolean b = t.get(y, x) >= 128;
            inter += a && b ? 1 : 0;
            union += a || b ? 1 : 0;
          }
        }
      }
      assertTrue((double) inter / union > 0.7, "IoU " + (double) inter / union);
    }
  }

  @Test
  void benchWritesTheNumbersAsJson() throws IOException {
    Path json = dir.resolve("bench.json");
    Cli r = Cli.run("bench", "--input", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--size", "320x180", "--frames", "300", "--rss-every", "100", "--json", json.toString());
    assertEquals(0, r.status(), r.err());
    String text = Files.readString(json);
    assertTrue(text.contains("\"frames\": 300,"), text);
    assertTrue(text.contains("\"size\": \"320x180\""), text);
    for (String key : List.of("fps", "cpuMsPerFrame", "peakRssMb", "decode", "preprocess", "inference",
        "postprocess", "composite", "encode", "\"100\"", "\"300\"")) {
      assertTrue(text.contains(key), key + " in " + text);
    }
  }

  @Test
  void badInputsGetOneClearLineAndANonZeroStatus() throws IOException {
    Path out = dir.resolve("o.png");
    Path portrait = Cli.shared("data/portraits_unlabeled/grace_hopper_512x600.jpg");

    Cli missing = Cli.run("render", "--input", dir.resolve("nope.mp4").toString(), "--output", out.toString());
    assertEquals(1, missing.status());
    assertEquals("vbackcam render: " + dir.resolve("nope.mp4") + ": no such file\n", missing.err());

    Path corrupt = dir.resolve("corrupt.jpg");
    Files.write(corrupt, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});
    Cli bad = Cli.run("render", "--input", corrupt.toString(), "--output", out.toString());
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains(corrupt + ": not an image vbackcam reads, or its header is damaged"), bad.err());

    Cli badBackground = Cli.run("render", "--input", portrait.toString(), "--background", corrupt.toString(),
        "--output", out.toString());
    assertEquals(1, badBackground.status());
    assertTrue(badBackground.err().contains(corrupt + ": not an image vbackcam reads, or its header is damaged"),
        badBackground.err());

    Cli model = Cli.run("render", "--input", portrait.toString(), "--model", "bogus", "--output", out.toString());
    assertEquals(1, model.status());
    assertTrue(model.err().contains("bogus: unknown model"), model.err());
    Path noModel = out.resolveSibling("nowhere").resolve("model.json");
    Cli path = Cli.run("render", "--input", portrait.toString(), "--model", noModel.toString(), "--output",
        out.toString());
    assertEquals(1, path.status());
    assertTrue(path.err().contains(noModel + ": no such file"), path.err());

    Cli rvm = Cli.run("render", "--input", portrait.toString(), "--model", "rvm", "--output", out.toString());
    assertEquals(1, rvm.status());
    assertTrue(rvm.err().contains("model 'rvm' is not installed: run 'vbackcam models fetch rvm'"), rvm.err());

    Cli odd = Cli.run("render", "--input", portrait.toString(), "--size", "641x480", "--output", out.toString());
    assertEquals(2, odd.status());
    assertTrue(odd.err().contains("odd width"), odd.err());

    Cli colour = Cli.run("render", "--input", portrait.toString(), "--color", "purple", "--output", out.toString());
    assertEquals(2, colour.status());
    assertTrue(colour.err().contains("'purple'"), colour.err());

    Path model2 = dir.resolve("truncated");
    Files.createDirectories(model2);
    Path source = Cli.shared("models/bodypix/mobilenet-quant1-050-stride16");
    Files.copy(source.resolve("model-stride16.json"), model2.resolve("model-stride16.json"));
    byte[] shard = Files.readAllBytes(source.resolve("group1-shard1of1.bin"));
    Files.write(model2.resolve("group1-shard1of1.bin"), java.util.Arrays.copyOf(shard, shard.length / 2));
    Cli truncated = Cli.run("render", "--input", portrait.toString(), "--model",
        model2.resolve("model-stride16.json").toString(), "--output", out.toString());
    assertEquals(1, truncated.status());
    assertTrue(truncated.err().contains("group1-shard1of1.bin"), truncated.err());

    for (Cli c : List.of(missing, bad, badBackground, model, rvm, odd, colour, truncated)) {
      assertFalse(c.err().contains("\tat "), "no stack trace: " + c.err());
      assertFalse(Files.exists(out), "no output is left behind by a failed run");
    }
  }
}
