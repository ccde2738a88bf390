package io.github.vbackcam.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The transparent grey of a greyscale PNG with a {@code tRNS} colour key (colour type 0): every pixel of that one
 * grey is fully transparent, the rest opaque. OpenCV's PNG reader turns a colour key into alpha for palette and RGB
 * images but not for grey ones, which it returns as a single channel, so the transparent grey would show. The key
 * is given as OpenCV decodes the image: scaled up to 8 bits for depths 1, 2 and 4 (0/255, times 85, times 17), as
 * is for 8 and 16 bits.
 */
final class GreyColourKey {

  private static final int MAX_CHUNKS = 100_000;

  private GreyColourKey() {}

  /** The transparent grey of the PNG at {@code path} as decoded, or empty when it has none (or is no such PNG). */
  static OptionalInt of(Path path) throws IOException {
    try (FileChannel file = FileChannel.open(path)) {
      ByteBuffer head = read(file, 0, 33);
      if (head.getLong(0) != 0x89504e470d0a1a0aL || !type(head, 12).equals("IHDR") || head.get(25) != 0) {
        return OptionalInt.empty();
      }
      int depth = head.get(24);
      long at = 33;
      for (int i = 0; i < MAX_CHUNKS && at + 8 <= file.size(); i++) {
        ByteBuffer chunk = read(file, at, 10);
        long length = Integer.toUnsignedLong(chunk.getInt(0));
        String type = type(chunk, 4);
        if (type.equals("tRNS") && length >= 2) {
          int key = chunk.getShort(8) & 0xffff;
          return depth < 8 ? OptionalInt.of(key * (255 / ((1 << depth) - 1))) : OptionalInt.of(key);
        }
        if (type.equals("IDAT") || type.equals("IEND")) {
          return OptionalInt.empty(); // tRNS must come before the image data
        }
        at += 12 + length;
      }
      return OptionalInt.empty();
    }
  }

  private static String type(ByteBuffer b, int at) {
    byte[] t = new byte[4];
    b.get(at, t);
    return new String(t, StandardCharsets.ISO_8859_1);
  }

  private static ByteBuffer read(FileChannel file, long position, int n) throws IOException {
    return ByteBuffer.wrap(FileChecks.readAt(file, position, n));
  }
}
