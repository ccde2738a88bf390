package io.github.vbackcam.core.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How many frames an animated image holds, read from its structure without decoding a pixel: a GIF's image
 * descriptors, an APNG's {@code acTL} frame count, an animated WebP's {@code ANMF} chunks. Decoders draw every frame
 * onto the full canvas, so a small file of many tiny frames on a large canvas (an 11 KB GIF of 400 1x1 frames on a
 * 5000x5000 screen: 1.3 GB decoded) is known to be too large before any of it is decoded.
 */
public final class AnimationHeader {

  private AnimationHeader() {}

  /** The number of frames in the image at {@code path}; -1 when it is not a GIF, APNG or WebP, or is damaged. */
  public static int frames(Path path) throws IOException {
    try (FileChannel file = FileChannel.open(path); DataInputStream in = stream(file)) {
      byte[] head = new byte[12];
      in.readFully(head);
      String magic = new String(head, StandardCharsets.ISO_8859_1);
      if (magic.startsWith("GIF8")) {
        int[] delays = gif(head[10] & 0xff, in);
        return delays == null ? -1 : delays.length;
      }
      if ((head[0] & 0xff) == 0x89 && magic.startsWith("PNG", 1)) {
        return apng(in);
      }
      if (magic.startsWith("RIFF") && magic.startsWith("WEBP", 8)) {
        return webp(in);
      }
      return -1;
    } catch (EOFException e) {
      return -1;
    }
  }

  /**
   * Each frame's delay in milliseconds, for a GIF; null for any other file or a damaged GIF. A frame's delay is the
   * one of the Graphic Control Extension right before it, and 0 for a frame without one: a GCE applies to the one
   * image that follows it, as browsers read it (OpenCV's decoder instead gives such a frame 1 s, or the delay of the
   * frame before, and PIL writes frames without a GCE when their duration is 0).
   */
  public static int[] gifDelays(Path path) throws IOException {
    try (FileChannel file = FileChannel.open(path); DataInputStream in = stream(file)) {
      byte[] head = new byte[12];
      in.readFully(head);
      return new String(head, 0, 4, StandardCharsets.ISO_8859_1).equals("GIF8") ? gif(head[10] & 0xff, in) : null;
    } catch (EOFException e) {
      return null;
    }
  }

  private static DataInputStream stream(FileChannel file) {
    return new DataInputStream(new BufferedInputStream(Channels.newInputStream(file), 1 << 16));
  }

  /**
   * After the first 12 bytes (the signature and the screen descriptor up to its background colour, {@code flags}
   * among them): the aspect ratio, the global colour table, then the blocks. Returns each whole frame's delay in
   * milliseconds (see {@link #gifDelays}), or null when there is no whole frame.
   */
  private static int[] gif(int flags, DataInputStream in) throws IOException {
    in.skipNBytes(1);
    skipColourTable(in, flags);
    List<Integer> delays = new ArrayList<>();
    int pending = 0; // the delay a Graphic Control Extension gave the next image
    while (true) {
      int block;
      try {
        block = in.readUnsignedByte();
      } catch (EOFException e) {
        block = -1; // cut short: decoders show the frames before the cut
      }
      switch (block) {
        case 0x2c -> { // an image: position and size, flags, an optional local colour table, then its data
          try {
            in.skipNBytes(8);
            skipColourTable(in, in.readUnsignedByte());
            in.skipNBytes(1); // the LZW minimum code size
            skipSubBlocks(in);
          } catch (EOFException e) {
            return whole(delays); // a frame cut short is not counted
          }
          delays.add(pending);
          pending = 0;
        }
        case 0x21 -> { // an extension: its label, then sub-blocks
          if (in.readUnsignedByte() == 0xf9) {
            pending = graphicControlDelay(in);
          }
          skipSubBlocks(in);
        }
        default -> { // the trailer (0x3b), or damaged or cut after the last whole frame: decoders stop there too
          return whole(delays);
        }
      }
    }
  }

  /** The delay in a Graphic Control Extension's first sub-block (packed fields, delay in 1/100 s, colour index). */
  private static int graphicControlDelay(DataInputStream in) throws IOException {
    int size = in.readUnsignedByte();
    if (size < 3) {
      in.skipNBytes(size);
      return 0;
    }
    in.skipNBytes(1);
    int delay = in.readUnsignedByte() | in.readUnsignedByte() << 8;
    in.skipNBytes(size - 3);
    return delay * 10;
  }

  private static int[] whole(List<Integer> delays) {
    return delays.isEmpty() ? null : delays.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void skipColourTable(DataInputStream in, int flags) throws IOException {
    if ((flags & 0x80) != 0) {
      in.skipNBytes(3L << ((flags & 7) + 1));
    }
  }

  private static void skipSubBlocks(DataInputStream in) throws IOException {
    for (int size = in.readUnsignedByte(); size != 0; size = in.readUnsignedByte()) {
      in.skipNBytes(size);
    }
  }

  /** After the signature and 4 bytes of IHDR's length: the chunks up to acTL (1 frame when there is none). */
  private static int apng(DataInputStream in) throws IOException {
    in.skipNBytes(4 + 13 + 4); // IHDR's type, data and CRC
    while (true) {
      long length = Integer.toUnsignedLong(in.readInt());
      byte[] type = new byte[4];
      in.readFully(type);
      String name = new String(type, StandardCharsets.ISO_8859_1);
      if (name.equals("acTL")) {
        int frames = in.readInt();
        return frames > 0 ? frames : -1;
      }
      if (name.equals("IDAT") || name.equals("IEND")) {
        return 1;
      }
      in.skipNBytes(length + 4);
    }
  }

  /** After "RIFF", the size and "WEBP": each chunk, counting the frames of an animation (1 for a still). */
  private static int webp(InputStream in) throws IOException {
    int frames = 0;
    boolean still = false;
    byte[] header = new byte[8];
    while (in.readNBytes(header, 0, 8) == 8) {
      String name = new String(header, 0, 4, StandardCharsets.ISO_8859_1);
      long length = Integer.toUnsignedLong(ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
      if (name.equals("ANMF")) {
        frames++;
      } else if (name.startsWith("VP8")) {
        still |= !name.equals("VP8X");
      }
      in.skipNBytes(length + (length & 1));
    }
    return frames > 0 ? frames : still ? 1 : -1;
  }
}
