package io.github.vbackcam.core.internal.pipewire;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds the two SPA POD objects a raw video source hands PipeWire: the format it offers and the buffers it needs.
 * A POD is a 32-bit size and type followed by the body, each value padded to 8 bytes (SPA's {@code spa/pod/pod.h});
 * libspa's own builder is header-only C, so the few shapes used here are written out.
 */
final class SpaPod {
  private static final int TYPE_ID = 3;
  private static final int TYPE_INT = 4;
  private static final int TYPE_RECTANGLE = 10;
  private static final int TYPE_FRACTION = 11;
  private static final int TYPE_OBJECT = 15;
  private static final int TYPE_CHOICE = 19;
  private static final int CHOICE_RANGE = 1;

  private static final int OBJECT_FORMAT = 0x40003;
  private static final int OBJECT_PARAM_BUFFERS = 0x40004;
  private static final int PARAM_ENUM_FORMAT = 3;
  private static final int PARAM_BUFFERS = 5;

  private static final int FORMAT_MEDIA_TYPE = 1;
  private static final int FORMAT_MEDIA_SUBTYPE = 2;
  private static final int FORMAT_VIDEO_FORMAT = 0x20001;
  private static final int FORMAT_VIDEO_SIZE = 0x20003;
  private static final int FORMAT_VIDEO_FRAMERATE = 0x20004;
  private static final int MEDIA_TYPE_VIDEO = 2;
  private static final int MEDIA_SUBTYPE_RAW = 1;
  /** {@code SPA_VIDEO_FORMAT_YUY2}: packed 4:2:2, what v4l2loopback gets too. */
  static final int VIDEO_FORMAT_YUY2 = 4;

  private static final int BUFFERS_BUFFERS = 1;
  private static final int BUFFERS_BLOCKS = 2;
  private static final int BUFFERS_SIZE = 3;
  private static final int BUFFERS_STRIDE = 4;

  private final ByteBuffer bytes = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

  private SpaPod() {}

  /** {@code EnumFormat}: raw video in {@code videoFormat}, exactly this size and frame rate. */
  static Memory enumFormat(int videoFormat, int width, int height, int rateNum, int rateDenom) {
    SpaPod pod = new SpaPod();
    int object = pod.beginObject(OBJECT_FORMAT, PARAM_ENUM_FORMAT);
    pod.property(FORMAT_MEDIA_TYPE).id(MEDIA_TYPE_VIDEO);
    pod.property(FORMAT_MEDIA_SUBTYPE).id(MEDIA_SUBTYPE_RAW);
    pod.property(FORMAT_VIDEO_FORMAT).id(videoFormat);
    pod.property(FORMAT_VIDEO_SIZE).pair(TYPE_RECTANGLE, width, height);
    pod.property(FORMAT_VIDEO_FRAMERATE).pair(TYPE_FRACTION, rateNum, rateDenom);
    return pod.end(object);
  }

  /** {@code Buffers}: one block of {@code size} bytes per buffer, between 2 and 8 buffers (4 preferred). */
  static Memory buffers(int size, int stride) {
    SpaPod pod = new SpaPod();
    int object = pod.beginObject(OBJECT_PARAM_BUFFERS, PARAM_BUFFERS);
    pod.property(BUFFERS_BUFFERS).intRange(4, 2, 8);
    pod.property(BUFFERS_BLOCKS).integer(1);
    pod.property(BUFFERS_SIZE).integer(size);
    pod.property(BUFFERS_STRIDE).integer(stride);
    return pod.end(object);
  }

  private int beginObject(int objectType, int id) {
    int start = bytes.position();
    bytes.putInt(0).putInt(TYPE_OBJECT).putInt(objectType).putInt(id);
    return start;
  }

  private SpaPod property(int key) {
    bytes.putInt(key).putInt(0);
    return this;
  }

  private void id(int value) {
    bytes.putInt(4).putInt(TYPE_ID).putInt(value).putInt(0);
  }

  private void integer(int value) {
    bytes.putInt(4).putInt(TYPE_INT).putInt(value).putInt(0);
  }

  private void pair(int type, int a, int b) {
    bytes.putInt(8).putInt(type).putInt(a).putInt(b);
  }

  private void intRange(int preferred, int min, int max) {
    // body: choice type, flags, then the child pod's size and type, then the values; 28 bytes, padded to 32
    bytes.putInt(28).putInt(TYPE_CHOICE).putInt(CHOICE_RANGE).putInt(0).putInt(4).putInt(TYPE_INT)
        .putInt(preferred).putInt(min).putInt(max).putInt(0);
  }

  private Memory end(int object) {
    int length = bytes.position() - object;
    bytes.putInt(object, length - 8);
    Memory memory = new Memory(length);
    memory.write(0, bytes.array(), object, length);
    return memory;
  }
}
