package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.StageSlot;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompositeStageTest {

  @AfterEach
  void noFrameLeaks() {
    assertEquals(0, FrameLeakDetector.liveFrames());
  }

  @Test
  void colourReplacesBackgroundAndKeepsThePerson() throws Exception {
    try (CompositeStage stage = new CompositeStage(new ColorBackground(0x00ff80), false);
         Frame frame = Frames.solid(64, 48, 10, 20, 30)) {
      Frames.paintPerson(frame, 20, 10, 20, 30, 200, 100, 50);
      assertSame(frame, stage.apply(frame), "compositing works in place");
      assertArrayEquals(new int[] {0x80, 0xff, 0x00}, Frames.pixel(frame.image(), 2, 2), "background pixel");
      assertArrayEquals(new int[] {200, 100, 50}, Frames.pixel(frame.image(), 30, 20), "person pixel");
    }
  }

  @Test
  void aMaskAtTheModelsResolutionComposesAsTheSameMaskScaledToTheFrame() throws Exception {
    // What the segment stage hands on: the mask at the model's resolution, soft-edged. Blended while scaled (a
    // colour), and through the mask at frame size (a blur needs it): both as OpenCV's resize of it would give.
    for (Background background : new Background[] {new ColorBackground(0x2040ff), new BlurBackground(9)}) {
      try (CompositeStage stage = new CompositeStage(background, false);
           Frame coarseFrame = Frames.solid(160, 90, 10, 200, 30);
           Frame scaledFrame = Frames.solid(160, 90, 10, 200, 30);
           Rect block = new Rect(8, 20, 30, 40); Scalar white = new Scalar(255, 255, 255, 0)) {
        for (Frame frame : new Frame[] {coarseFrame, scaledFrame}) {
          try (Mat region = new Mat(frame.image(), block)) {
            region.put(white); // something in the background for the blur to spread
          }
        }
        Mat coarse = coarseFrame.coarseMaskForWriting(9, 16);
        try (UByteIndexer c = coarse.createIndexer()) {
          for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 16; x++) {
              c.put(y, x, x < 5 ? 0 : x < 7 ? 40 * (x - 4) + y : x < 12 ? 255 : 20 * y);
            }
          }
        }
        try (Size size = new Size(160, 90)) {
          resize(coarse, scaledFrame.maskForWriting(), size, 0, 0, INTER_LINEAR);
        }
        stage.apply(coarseFrame);
        stage.apply(scaledFrame);
        try (Mat difference = new Mat()) {
          absdiff(coarseFrame.image(), scaledFrame.image(), difference);
          double[] most = new double[1];
          minMaxLoc(difference.reshape(1), null, most, null, null, null);
          assertTrue(most[0] <= 1, background.describe() + ": differs by " + most[0]);
        }
        if (background instanceof ColorBackground) {
          assertArrayEquals(new int[] {0xff, 0x40, 0x20}, Frames.pixel(coarseFrame.image(), 3, 3), "background");
        }
        assertArrayEquals(new int[] {10, 200, 30}, Frames.pixel(coarseFrame.image(), 90, 45), "the person");
      }
    }
  }

  @Test
  void halfAlphaMixesEvenly() throws Exception {
    try (CompositeStage stage = new CompositeStage(new ColorBackground(0x000000), false);
         Frame frame = Frames.solid(8, 8, 200, 100, 0)) {
      frame.maskForWriting().put(new org.bytedeco.opencv.opencv_core.Scalar(128));
      stage.apply(frame);
      assertArrayEquals(new int[] {100, 50, 0}, Frames.pixel(frame.image(), 3, 3));
    }
  }

  @Test
  void imageBackgroundIsScaledToCoverAndCentreCropped() throws Exception {
    Path hubble = TestData.file("data/backgrounds/hubble_deep_field_1000x872.jpg");
    try (CompositeStage stage = new CompositeStage(new ImageBackground(hubble), false);
         Frame frame = Frames.solid(320, 180, 0, 0, 0);
         Mat original = Images.readImage(hubble);
         Mat expected = new Mat(180, 320, opencv_core.CV_8UC3)) {
      Frames.paintPerson(frame, 100, 50, 60, 100, 1, 2, 3);
      stage.apply(frame);
      Images.cover(original, expected);
      assertArrayEquals(Frames.pixel(expected, 10, 10), Frames.pixel(frame.image(), 10, 10));
      assertArrayEquals(Frames.pixel(expected, 300, 170), Frames.pixel(frame.image(), 300, 170));
      assertArrayEquals(new int[] {1, 2, 3}, Frames.pixel(frame.image(), 120, 100));
    }
  }

  @Test
  void blurLeavesNoHaloAroundThePerson() throws Exception {
    // A white person on a black background. A plain blur would smear white around the person; ours must not.
    try (CompositeStage stage = new CompositeStage(new BlurBackground(25), false);
         Frame frame = Frames.solid(320, 240, 0, 0, 0)) {
      Frames.paintPerson(frame, 120, 60, 80, 120, 255, 255, 255);
      stage.apply(frame);
      for (int x : new int[] {100, 110, 115, 205, 210, 220}) {
        int[] p = Frames.pixel(frame.image(), x, 120);
        assertTrue(p[0] <= 3 && p[1] <= 3 && p[2] <= 3, "pixel at x=" + x + " next to the person is " + p[0]);
      }
      assertArrayEquals(new int[] {255, 255, 255}, Frames.pixel(frame.image(), 160, 120));
    }
  }

  @Test
  void blurActuallyBlursTheBackground() throws Exception {
    try (CompositeStage stage = new CompositeStage(new BlurBackground(15), false);
         Frame frame = Frames.solid(200, 100, 0, 0, 0)) {
      // Vertical stripes, 4 px wide, no person.
      try (UByteIndexer idx = frame.image().createIndexer()) {
        for (int y = 0; y < 100; y++) {
          for (int x = 0; x < 200; x++) {
            int v = (x / 4) % 2 == 0 ? 255 : 0;
            idx.put(y, x, 0, v).put(y, x, 1, v).put(y, x, 2, v);
          }
        }
      }
      frame.maskForWriting().put(new org.bytedeco.opencv.opencv_core.Scalar(0));
      stage.apply(frame);
      for (int x = 40; x < 160; x++) {
        int v = Frames.pixel(frame.image(), x, 50)[0];
        assertTrue(v > 90 && v < 165, "stripes averaged out to grey, got " + v + " at x=" + x);
      }
    }
  }

  @Test
  void backgroundSwapTakesEffectOnTheNextFrame() throws Exception {
    try (StageSlot slot = new StageSlot("composite")) {
      slot.replace(new CompositeStage(new ColorBackground(0xff0000), false));
      try (Frame a = Frames.solid(16, 16, 0, 0, 0)) {
        Frames.paintPerson(a, 0, 0, 1, 1, 0, 0, 0);
        slot.apply(a);
        assertArrayEquals(new int[] {0, 0, 255}, Frames.pixel(a.image(), 8, 8));
      }
      CompositeStage blue = new CompositeStage(new ColorBackground(0x0000ff), false);
      slot.replace(blue);
      try (Frame b = Frames.solid(16, 16, 0, 0, 0)) {
        Frames.paintPerson(b, 0, 0, 1, 1, 0, 0, 0);
        slot.apply(b);
        assertArrayEquals(new int[] {255, 0, 0}, Frames.pixel(b.image(), 8, 8));
      }
      assertEquals("color #0000ff", blue.describe());
    }
  }

  @Test
  void hologramTintsThePersonBlue() throws Exception {
    try (CompositeStage stage = new CompositeStage(new ColorBackground(0x000000), true);
         Frame frame = Frames.solid(64, 64, 0, 0, 0)) {
      Frames.paintPerson(frame, 0, 0, 64, 64, 128, 128, 128);
      stage.apply(frame);
      int[] p = Frames.pixel(frame.image(), 32, 32);
      assertTrue(p[0] > p[2], "blue exceeds red in the hologram: " + java.util.Arrays.toString(p));
    }
  }

  @Test
  void badBackgroundsFailWithMessagesNamingThem(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.jpg");
    assertThrows(NoSuchFileException.class, () -> new ImageBackground(missing));
    Path corrupt = dir.resolve("corrupt.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6});
    IOException e = assertThrows(IOException.class, () -> new ImageBackground(corrupt));
    assertTrue(e.getMessage().contains("corrupt.png") && e.getMessage().contains("corrupt"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Effect.Color.parse("red"));
    assertThrows(IllegalArgumentException.class, () -> new Effect.Blur(0, false));
    IOException v = assertThrows(IOException.class, () -> new VideoBackground(corrupt));
    assertTrue(v.getMessage().contains("corrupt.png"), v.getMessage());
  }
}
