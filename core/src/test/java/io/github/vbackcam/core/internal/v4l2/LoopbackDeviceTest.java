package io.github.vbackcam.core.internal.v4l2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyShort;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;

/** The v4l2loopback producer at the system-call seam: a mocked kernel, plus the real one on a regular file. */
class LoopbackDeviceTest {

  private static final int FD = 7;

  private Kernel loopbackKernel() throws ErrnoException {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenReturn(FD);
    doAnswer(inv -> {
      byte[] cap = inv.getArgument(2);
      byte[] name = V4l2.LOOPBACK_DRIVER.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, cap, 0, name.length);
      return null;
    }).when(k).ioctl(eq(FD), eq(V4l2.VIDIOC_QUERYCAP), any());
    when(k.write(eq(FD), any(), anyInt())).thenAnswer(inv -> inv.getArgument(2));
    return k;
  }

  @Test
  void ioctlNumbersMatchTheKernelHeaders() {
    // Values printed by a C program including linux/videodev2.h on x86_64.
    assertEquals(0xC0D05605L, V4l2.VIDIOC_S_FMT);
    assertEquals(0x40045612L, V4l2.VIDIOC_STREAMON);
    assertEquals(0x80685600L, V4l2.VIDIOC_QUERYCAP);
    assertEquals(0x80885659L, V4l2.VIDIOC_DQEVENT);
    assertEquals(0x4020565AL, V4l2.VIDIOC_SUBSCRIBE_EVENT);
    assertEquals(0x10E00001, V4l2.EVENT_PRI_CLIENT_USAGE);
    assertEquals(0x56595559, V4l2.PIX_FMT_YUYV);
  }

  @Test
  void formatStructIsYuyvOutputWithLineAndImageSizes() {
    byte[] f = V4l2.yuyvOutputFormat(1280, 720);
    assertEquals(208, f.length);
    ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, b.getInt(0), "type V4L2_BUF_TYPE_VIDEO_OUTPUT");
    assertEquals(0, b.getInt(4), "padding before the 8-aligned union");
    assertEquals(1280, b.getInt(8));
    assertEquals(720, b.getInt(12));
    assertEquals(V4l2.fourcc("YUYV"), b.getInt(16));
    assertEquals(1, b.getInt(20), "V4L2_FIELD_NONE");
    assertEquals(2560, b.getInt(24), "bytesperline");
    assertEquals(1280 * 720 * 2, b.getInt(28), "sizeimage");
    assertEquals(8, b.getInt(32), "V4L2_COLORSPACE_SRGB");
    for (int i = 36; i < 208; i++) {
      assertEquals(0, f[i], "byte " + i);
    }
  }

  @Test
  void oddWidthIsRefusedBeforeTouchingTheDevice() throws Exception {
    Kernel k = loopbackKernel();
    IOException e = assertThrows(IOException.class, () -> LoopbackDevice.open(k, "/dev/video20", 641, 480));
    assertTrue(e.getMessage().contains("even width"), e.getMessage());
    verify(k, never()).open(anyString(), anyInt());
  }

  @Test
  void setsTheFormatAndStreamsOnBeforeTheFirstWrite() throws Exception {
    Kernel k = loopbackKernel();
    try (LoopbackDevice d = LoopbackDevice.open(k, "/dev/video20", 640, 480)) {
      d.write(new byte[640 * 480 * 2]);
      InOrder order = inOrder(k);
      order.verify(k).open("/dev/video20", V4l2.O_RDWR);
      order.verify(k).ioctl(eq(FD), eq(V4l2.VIDIOC_QUERYCAP), any());
      order.verify(k).ioctl(FD, V4l2.VIDIOC_S_FMT, V4l2.yuyvOutputFormat(640, 480));
      order.verify(k).ioctl(FD, V4l2.VIDIOC_STREAMON, V4l2.bufferType(V4l2.BUF_TYPE_VIDEO_OUTPUT));
      order.verify(k).write(eq(FD), any(), eq(640 * 480 * 2));
    }
    verify(k).close(FD);
  }

  @Test
  void streamOnRefusedByABufferTokenDriverStillWrites() throws Exception {
    // v4l2loopback >= 0.14 answers EINVAL to STREAMON without REQBUFS; its write() streams on by itself.
    Kernel k = loopbackKernel();
    doThrow(new ErrnoException("ioctl", V4l2.EINVAL)).when(k).ioctl(eq(FD), eq(V4l2.VIDIOC_STREAMON), any());
    try (LoopbackDevice d = LoopbackDevice.open(k, "/dev/video20", 640, 480)) {
      d.write(new byte[640 * 480 * 2]);
    }
    verify(k).write(eq(FD), any(), eq(640 * 480 * 2));
  }

  @Test
  void missingDeviceSaysToLoadTheModule() throws Exception {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenThrow(new ErrnoException("open", V4l2.ENOENT));
    IOException e = assertThrows(IOException.class, () -> LoopbackDevice.open(k, "/dev/video20", 640, 480));
    assertEquals("/dev/video20 does not exist: is the v4l2loopback module loaded? (run 'vbackcam doctor')",
        e.getMessage());
  }

  @Test
  void busyDeviceSaysAnotherProgramWrites() throws Exception {
    Kernel k = loopbackKernel();
    doThrow(new ErrnoException("ioctl", V4l2.EBUSY)).when(k).ioctl(eq(FD), eq(V4l2.VIDIOC_S_FMT), any());
    IOException e = assertThrows(IOException.class, () -> LoopbackDevice.open(k, "/dev/video20", 640, 480));
    assertTrue(e.getMessage().startsWith("/dev/video20 is busy: another program is writing to it"),
        e.getMessage());
    verify(k).close(FD);
  }

  @Test
  void permissionDeniedSaysWhichGroup() throws Exception {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenThrow(new ErrnoException("open", V4l2.EACCES));
    IOException e = assertThrows(IOException.class, () -> LoopbackDevice.open(k, "/dev/video20", 640, 480));
    assertTrue(e.getMessage().contains("'video'"), e.getMessage());
  }

  @Test
  void aRealCameraIsNotTakenForTheLoopback() throws Exception {
    Kernel k = mock(Kernel.class);
    when(k.open(anyString(), anyInt())).thenReturn(FD);
    doAnswer(inv -> {
      byte[] cap = inv.getArgument(2);
      System.arraycopy("uvcvideo".getBytes(StandardCharsets.US_ASCII), 0, cap, 0, 8);
      return null;
    }).when(k).ioctl(eq(FD), eq(V4l2.VIDIOC_QUERYCAP), any());
    IOException e = assertThrows(IOException.class, () -> LoopbackDevice.open(k, "/dev/video0", 640, 480));
    assertTrue(e.getMessage().startsWith("/dev/video0 is driven by 'uvcvideo', not v4l2loopback"), e.getMessage());
    verify(k, never()).ioctl(eq(FD), eq(V4l2.VIDIOC_S_FMT), any());
    verify(k).close(FD);
  }

  @Test
  void aRegularFileIsNotAV4l2DeviceWithTheRealKernel(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-camera");
    Files.write(file, new byte[16]);
    IOException e = assertThrows(IOException.class,
        () -> LoopbackDevice.open(Kernel.system(), file.toString(), 640, 480));
    assertTrue(e.getMessage().startsWith(file + " is not a V4L2 device (VIDIOC_QUERYCAP: ENOTTY)"), e.getMessage());
  }

  @Test
  void clientUsageEventsAreSubscribedAndDecoded() throws Exception {
    Kernel k = loopbackKernel();
    when(k.poll(eq(FD), anyShort(), anyInt())).thenReturn(V4l2.POLLPRI, V4l2.POLLPRI, (short) 0);
    int[] payloads = {1, 0};
    int[] next = {0};
    doAnswer(inv -> {
      byte[] ev = inv.getArgument(2);
      ByteBuffer b = ByteBuffer.wrap(ev).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(0, V4l2.EVENT_PRI_CLIENT_USAGE);
      b.putInt(8, payloads[next[0]++]);
      return null;
    }).when(k).ioctl(eq(FD), eq(V4l2.VIDIOC_DQEVENT), any());
    try (LoopbackDevice d = LoopbackDevice.open(k, "/dev/video20", 640, 480)) {
      assertTrue(d.subscribeClientUsage());
      verify(k).ioctl(FD, V4l2.VIDIOC_SUBSCRIBE_EVENT, V4l2.subscription(0x10E00001));
      assertEquals(1, d.awaitClientUsage(100));
      assertEquals(0, d.awaitClientUsage(100));
      assertEquals(-1, d.awaitClientUsage(100), "timeout");
    }
  }

  @Test
  void anOldDriverWithoutTheEventFallsBack() throws Exception {
    Kernel k = loopbackKernel();
    doThrow(new ErrnoException("ioctl", V4l2.EINVAL)).when(k)
        .ioctl(eq(FD), eq(V4l2.VIDIOC_SUBSCRIBE_EVENT), any());
    try (LoopbackDevice d = LoopbackDevice.open(k, "/dev/video20", 640, 480)) {
      assertFalse(d.subscribeClientUsage());
    }
  }

  @Test
  void subscriptionStructCarriesTheType() {
    byte[] s = V4l2.subscription(V4l2.EVENT_PRI_CLIENT_USAGE);
    assertEquals(32, s.length);
    assertArrayEquals(new byte[] {1, 0, (byte) 0xE0, 0x10}, java.util.Arrays.copyOf(s, 4));
  }

  /**
   * The VM test's restart check found this: without V4L2_EVENT_SUB_FL_SEND_INITIAL v4l2loopback queues no event on
   * subscription, so a service started while a consumer already streams counted 0 consumers and idled.
   */
  @Test
  void subscriptionAsksForTheCurrentUsageAtOnce() {
    ByteBuffer s = ByteBuffer.wrap(V4l2.subscription(V4l2.EVENT_PRI_CLIENT_USAGE)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0, s.getInt(4), "id");
    assertEquals(1, s.getInt(8), "flags: V4L2_EVENT_SUB_FL_SEND_INITIAL");
    for (int off = 12; off < 32; off += 4) {
      assertEquals(0, s.getInt(off), "reserved at " + off);
    }
  }
}
