package io.github.vbackcam.core.internal.v4l2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few V4L2 numbers and structs vbackcam uses, laid out for x86_64 Linux (checked with {@code offsetof} and
 * {@code sizeof} against the kernel's {@code linux/videodev2.h}). Structs are built as little-endian byte arrays so
 * tests can check them byte for byte.
 */
public final class V4l2 {

  /** {@code _IOR('V', 0, struct v4l2_capability)}: 104 bytes. */
  public static final long VIDIOC_QUERYCAP = 0x80685600L;
  /** {@code _IOWR('V', 5, struct v4l2_format)}: 208 bytes. */
  public static final long VIDIOC_S_FMT = 0xC0D05605L;
  /** {@code _IOW('V', 18, int)}. */
  public static final long VIDIOC_STREAMON = 0x40045612L;
  /** {@code _IOW('V', 19, int)}. */
  public static final long VIDIOC_STREAMOFF = 0x40045613L;
  /** {@code _IOWR('V', 21, struct v4l2_streamparm)}: 204 bytes. */
  public static final long VIDIOC_G_PARM = 0xC0CC5615L;
  /** {@code _IOWR('V', 22, struct v4l2_streamparm)}: 204 bytes. */
  public static final long VIDIOC_S_PARM = 0xC0CC5616L;
  /** {@code _IOR('V', 89, struct v4l2_event)}: 136 bytes. */
  public static final long VIDIOC_DQEVENT = 0x80885659L;
  /** {@code _IOW('V', 90, struct v4l2_event_subscription)}: 32 bytes. */
  public static final long VIDIOC_SUBSCRIBE_EVENT = 0x4020565AL;

  public static final int CAPABILITY_SIZE = 104;
  public static final int FORMAT_SIZE = 208;
  public static final int EVENT_SIZE = 136;
  public static final int STREAMPARM_SIZE = 204;
  /** {@code V4L2_CAP_TIMEPERFRAME}: the device takes a frame rate. */
  public static final int CAP_TIMEPERFRAME = 0x1000;
  public static final int SUBSCRIPTION_SIZE = 32;

  public static final int BUF_TYPE_VIDEO_CAPTURE = 1;
  public static final int BUF_TYPE_VIDEO_OUTPUT = 2;
  public static final int FIELD_NONE = 1;
  public static final int COLORSPACE_SRGB = 8;
  public static final int PIX_FMT_YUYV = fourcc("YUYV");

  /**
   * v4l2loopback's client-usage event: {@code V4L2_EVENT_PRIVATE_START (0x08000000) + 0x08E00000 + 1}, from
   * v4l2loopback 0.15.0's {@code v4l2loopback.c}. It is queued whenever a consumer starts or stops streaming, and on
   * subscription only when the subscription asks for it ({@link #EVENT_SUB_FL_SEND_INITIAL}); its payload (a
   * {@code __u32} at the start of the event's union) is non-zero while a consumer streams.
   */
  public static final int EVENT_PRI_CLIENT_USAGE = 0x08000000 + 0x08E00000 + 1;

  /**
   * {@code V4L2_EVENT_SUB_FL_SEND_INITIAL}: queue the current state on subscription. Without it a writer that
   * starts while a consumer already streams (the service restarted under an open call) hears nothing until that
   * consumer stops, and idles the whole time.
   */
  public static final int EVENT_SUB_FL_SEND_INITIAL = 1;

  /** The driver name v4l2loopback reports in {@code struct v4l2_capability}. */
  public static final String LOOPBACK_DRIVER = "v4l2 loopback";

  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final short POLLPRI = 0x2;

  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOTTY = 25;

  private V4l2() {}

  public static int fourcc(String code) {
    byte[] b = code.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  /** {@code struct v4l2_format} for a YUYV output of the given size; the width must be even. */
  public static byte[] yuyvOutputFormat(int width, int height) {
    if (width % 2 != 0) {
      throw new IllegalArgumentException("YUYV needs an even width, got " + width);
    }
    ByteBuffer b = ByteBuffer.allocate(FORMAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, BUF_TYPE_VIDEO_OUTPUT);
    int pix = 8; // struct v4l2_pix_format inside the 8-byte aligned union
    b.putInt(pix, width);
    b.putInt(pix + 4, height);
    b.putInt(pix + 8, PIX_FMT_YUYV);
    b.putInt(pix + 12, FIELD_NONE);
    b.putInt(pix + 16, width * 2);           // bytesperline
    b.putInt(pix + 20, width * height * 2);  // sizeimage
    b.putInt(pix + 24, COLORSPACE_SRGB);
    return b.array();
  }

  /**
   * {@code struct v4l2_streamparm} for an output whose frames come every {@code numerator}/{@code denominator}
   * seconds: the type, then {@code struct v4l2_outputparm} (capability, outputmode, timeperframe).
   */
  public static byte[] outputTimePerFrame(int numerator, int denominator) {
    ByteBuffer b = ByteBuffer.allocate(STREAMPARM_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, BUF_TYPE_VIDEO_OUTPUT);
    b.putInt(4, CAP_TIMEPERFRAME);
    b.putInt(12, numerator);
    b.putInt(16, denominator);
    return b.array();
  }

  /** The {@code timeperframe} of a {@code struct v4l2_streamparm} (capture or output: both sit at offset 12). */
  public static int[] timePerFrame(byte[] streamparm) {
    ByteBuffer b = ByteBuffer.wrap(streamparm).order(ByteOrder.LITTLE_ENDIAN);
    return new int[] {b.getInt(12), b.getInt(16)};
  }

  /**
   * {@code struct v4l2_event_subscription} for one event type ({@code type}, {@code id}, {@code flags}), asking for
   * the current state at once.
   */
  public static byte[] subscription(int type) {
    ByteBuffer b = ByteBuffer.allocate(SUBSCRIPTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, type);
    b.putInt(8, EVENT_SUB_FL_SEND_INITIAL);
    return b.array();
  }

  /** The {@code int} buffer type argument of STREAMON/STREAMOFF. */
  public static byte[] bufferType(int type) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type).array();
  }

  /** The driver name in a {@code struct v4l2_capability}. */
  public static String driver(byte[] capability) {
    int end = 0;
    while (end < 16 && capability[end] != 0) {
      end++;
    }
    return new String(capability, 0, end, StandardCharsets.US_ASCII);
  }

  /** Event type and payload of a dequeued {@code struct v4l2_event}. */
  public static int eventType(byte[] event) {
    return ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  public static int eventPayload(byte[] event) {
    return ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
  }

  /** A short name for an errno, for messages. */
  public static String errnoName(int errno) {
    return switch (errno) {
      case ENOENT -> "ENOENT";
      case EINTR -> "EINTR";
      case EIO -> "EIO";
      case ENXIO -> "ENXIO";
      case EAGAIN -> "EAGAIN";
      case EACCES -> "EACCES";
      case EBUSY -> "EBUSY";
      case ENODEV -> "ENODEV";
      case EINVAL -> "EINVAL";
      case ENOTTY -> "ENOTTY";
      default -> "errno " + errno;
    };
  }
}
