package io.github.vbackcam.core.internal;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.transpose;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An image's EXIF orientation (TIFF tag 274: 1 as stored, 2-8 the seven other turns and mirrors), read from a JPEG's
 * APP1 segment, a PNG's {@code eXIf} chunk or a WebP's {@code EXIF} chunk, and applied as OpenCV applies it to the
 * pictures it decodes in colour. OpenCV skips the orientation when it keeps an image's alpha channel
 * ({@code IMREAD_UNCHANGED}), so a transparent image would be shown as stored, sideways where a phone or an editor
 * recorded it turned; this reads the tag for those. Only the headers are read, in small pieces.
 */
public final class ExifOrientation {

  /** Stored as shown. */
  public static final int NORMAL = 1;

  private static final int TAG_ORIENTATION = 0x0112;
  /** How many PNG chunks or JPEG segments are passed over looking for the metadata before giving up. */
  private static final int MAX_ENTRIES = 100_000;

  private final FileChannel file;

  private ExifOrientation(FileChannel file) {
    this.file = file;
  }

  /** The orientation of the image file at {@code path} (1-8), or {@link #NORMAL} when it records none. */
  public static int read(Path path) throws IOException {
    try (FileChannel file = FileChannel.open(path)) {
      int o = new ExifOrientation(file).orientation();
      return o >= 1 && o <= 8 ? o : NORMAL;
    }
  }

  /**
   * Turns or mirrors {@code image} in place from the stored orientation {@code orientation} to the upright picture,
   * exactly as OpenCV's colour decoding does ({@code ExifTransform} in its {@code loadsave.cpp}).
   */
  public static void apply(int orientation, Mat image) {
    switch (orientation) {
      case 2 -> flip(image, image, 1);
      case 3 -> flip(image, image, -1);
      case 4 -> flip(image, image, 0);
      case 5 -> transpose(image, image);
      case 6 -> {
        transpose(image, image);
        flip(image, image, 1);
      }
      case 7 -> {
        transpose(image, image);
        flip(image, image, -1);
      }
      case 8 -> {
        transpose(image, image);
        flip(image, image, 0);
      }
      default -> {
        // 1, or a value no writer uses: as stored.
      }
    }
  }

  private int orientation() throws IOException {
    byte[] h = read(0, 16);
    if ((h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8) {
      return jpeg();
    }
    if ((h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
      return png();
    }
    if (ascii(h, 0, 4).equals("RIFF") && ascii(h, 8, 4).equals("WEBP")) {
      return webp();
    }
    return NORMAL;
  }

  /** APP1 segments up to the first start-of-frame or start-of-scan marker. */
  private int jpeg() throws IOException {
    long at = 2;
    for (int i = 0; i < MAX_ENTRIES; i++) {
      byte[] m = read(at, 4);
      if ((m[0] & 0xff) != 0xff) {
        return NORMAL;
      }
      int marker = m[1] & 0xff;
      int length = be(m).getShort(2) & 0xffff;
      if (marker == 0xda || marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
          && marker != 0xcc) {
        return NORMAL;
      }
      if (marker == 0xe1 && length > 8 && ascii(read(at + 4, 6), 0, 4).equals("Exif")) {
        return tiff(at + 10, length - 8);
      }
      at += 2 + length;
    }
    return NORMAL;
  }

  /** The {@code eXIf} chunk, wherever it is before the end (PNG 1.5 puts it before the image data). */
  private int png() throws IOException {
    long at = 8;
    for (int i = 0; i < MAX_ENTRIES && at + 8 <= file.size(); i++) {
      byte[] c = read(at, 8);
      long length = Integer.toUnsignedLong(be(c).getInt(0));
      String type = ascii(c, 4, 4);
      if (type.equals("eXIf")) {
        return tiff(at + 8, length);
      }
      if (type.equals("IEND")) {
        return NORMAL;
      }
      at += 12 + length;
    }
    return NORMAL;
  }

  /** The {@code EXIF} chunk of an extended WebP; some writers keep JPEG's "Exif\0\0" before the TIFF header. */
  private int webp() throws IOException {
    long at = 12;
    for (int i = 0; i < MAX_ENTRIES && at + 8 <= file.size(); i++) {
      byte[] c = read(at, 8);
      long length = Integer.toUnsignedLong(le(c).getInt(4));
      if (ascii(c, 0, 4).equals("EXIF")) {
        boolean prefixed = ascii(read(at + 8, 4), 0, 4).equals("Exif");
        return prefixed ? tiff(at + 14, length - 6) : tiff(at + 8, length);
      }
      at += 8 + length + (length & 1);
    }
    return NORMAL;
  }

  /** Tag 274 of the first image file directory of the TIFF structure at {@code start}. */
  private int tiff(long start, long length) throws IOException {
    byte[] h = read(start, 8);
    ByteOrder order;
    if (h[0] == 'I' && h[1] == 'I') {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (h[0] == 'M' && h[1] == 'M') {
      order = ByteOrder.BIG_ENDIAN;
    } else {
      return NORMAL;
    }
    long ifd = Integer.toUnsignedLong(ByteBuffer.wrap(h).order(order).getInt(4));
    if (ifd + 2 > length) {
      return NORMAL;
    }
    int entries = ByteBuffer.wrap(read(start + ifd, 2)).order(order).getShort(0) & 0xffff;
    ByteBuffer b = ByteBuffer.wrap(read(start + ifd + 2, Math.min(entries, 1000) * 12)).order(order);
    for (int e = 0; e < Math.min(entries, 1000); e++) {
      if ((b.getShort(e * 12) & 0xffff) == TAG_ORIENTATION) {
        return b.getShort(e * 12 + 8) & 0xffff;
      }
    }
    return NORMAL;
  }

  private byte[] read(long position, int n) throws IOException {
    return FileChecks.readAt(file, position, n);
  }

  private static String ascii(byte[] b, int from, int n) {
    return new String(b, from, n, StandardCharsets.ISO_8859_1);
  }

  private static ByteBuffer be(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }
}
