package io.github.vbackcam.core.internal.v4l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Frames;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.sink.LoopbackSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loopback sink writes each frame's pixels as one YUYV buffer of the negotiated size. */
class LoopbackSinkTest {

  @Test
  void aRedFrameIsWrittenAsYuyvRed() throws Exception {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenReturn(3);
    doAnswer(inv -> {
      byte[] name = V4l2.LOOPBACK_DRIVER.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, (byte[]) inv.getArgument(2), 0, name.length);
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_QUERYCAP), any());
    List<byte[]> writes = new ArrayList<>();
    when(k.write(eq(3), any(), anyInt())).thenAnswer(inv -> {
      writes.add(Arrays.copyOf((byte[]) inv.getArgument(1), (int) inv.getArgument(2)));
      return inv.getArgument(2);
    });
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30);
         Frame red = Frames.solid(6, 4, 0, 0, 255)) {
      sink.write(red);
      try (Frame wrong = Frames.solid(8, 4, 0, 0, 255)) {
        IOException e = assertThrows(IOException.class, () -> sink.write(wrong));
        assertTrue(e.getMessage().contains("set up for 6x4, got a 8x4 frame"), e.getMessage());
      }
    }
    assertEquals(1, writes.size());
    byte[] yuyv = writes.get(0);
    assertEquals(6 * 4 * 2, yuyv.length);
    for (int i = 0; i < yuyv.length; i += 4) {
      assertEquals(82, yuyv[i] & 0xff, 1);
      assertEquals(90, yuyv[i + 1] & 0xff, 1);
      assertEquals(82, yuyv[i + 2] & 0xff, 1);
      assertEquals(240, yuyv[i + 3] & 0xff, 1);
    }
  }

  @Test
  void appsAreToldTheRateFramesReallyArriveAt() throws Exception {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenReturn(3);
    doAnswer(inv -> {
      byte[] name = V4l2.LOOPBACK_DRIVER.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, (byte[]) inv.getArgument(2), 0, name.length);
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_QUERYCAP), any());
    when(k.write(eq(3), any(), anyInt())).thenAnswer(inv -> inv.getArgument(2));
    List<int[]> declared = new ArrayList<>();
    doAnswer(inv -> {
      byte[] parm = inv.getArgument(2);
      assertEquals(V4l2.BUF_TYPE_VIDEO_OUTPUT, parm[0]);
      declared.add(V4l2.timePerFrame(parm));
      return null;
    }).when(k).ioctl(eq(3), eq(V4l2.VIDIOC_S_PARM), any());
    try (LoopbackSink sink = new LoopbackSink(k, "/dev/video20", new VideoSize(6, 4), 30)) {
      long t = 0;
      for (int i = 0; i < 30; i++, t += 33_333) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(30, sink.declaredFps(), "a camera at its configured 30 fps");
      for (int i = 0; i < 30; i++, t += 66_667) {
        try (Frame f = Frames.solidAt(6, 4, t, 0, 0, 255)) {
          sink.write(f);
        }
      }
      assertEquals(15, sink.declaredFps(), "the camera dropped to 15 fps in low light");
    }
    assertEquals(2, declared.size(), "declared once at the start and once for the change");
    assertEquals(List.of(1, 30), List.of(declared.get(0)[0], declared.get(0)[1]));
    assertEquals(List.of(1, 15), List.of(declared.get(1)[0], declared.get(1)[1]));
  }

  @Test
  void streamParmIsTheOutputTimePerFrameOfTheKernelHeader() {
    assertEquals(0xC0CC5615L, V4l2.VIDIOC_G_PARM);
    assertEquals(0xC0CC5616L, V4l2.VIDIOC_S_PARM);
    byte[] parm = V4l2.outputTimePerFrame(1001, 30000);
    assertEquals(204, parm.length);
    assertEquals(List.of(1001, 30000), List.of(V4l2.timePerFrame(parm)[0], V4l2.timePerFrame(parm)[1]));
  }
}
