package io.github.vbackcam.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** Writes PNGs of the colour types encoders rarely pick (grey+alpha, palette with tRNS), byte by byte. */
public final class Pngs {
  private Pngs() {}

  public static final int GREY_ALPHA = 4;
  public static final int RGBA = 6;
  public static final int PALETTE = 3;
  public static final int GREY = 0;

  /**
   * An 8-bit PNG of {@code colourType} whose rows are given without filter bytes ({@code bytesPerPixel} each), with
   * optional PLTE and tRNS chunks (null to leave out).
   */
  public static Path write(Path file, int width, int height, int colourType, byte[] pixels, byte[] palette,
                           byte[] transparency) throws IOException {
    return write(file, width, height, colourType, 8, pixels, palette, transparency, null);
  }

  /**
   * A PNG of {@code colourType} and bit {@code depth} whose rows are given packed, without filter bytes, with
   * optional PLTE, tRNS and eXIf chunks (null to leave out).
   */
  public static Path write(Path file, int width, int height, int colourType, int depth, byte[] pixels,
                           byte[] palette, byte[] transparency, byte[] exif) throws IOException {
    int rowBytes = pixels.length / height;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < height; y++) {
      raw.write(0);
      raw.write(pixels, y * rowBytes, rowBytes);
    }
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
      d.write(raw.toByteArray());
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth)
        .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
    if (exif != null) {
      chunk(png, "eXIf", exif);
    }
    if (palette != null) {
      chunk(png, "PLTE", palette);
    }
    if (transparency != null) {
      chunk(png, "tRNS", transparency);
    }
    chunk(png, "IDAT", z.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return Files.write(file, png.toByteArray());
  }

  /** An EXIF (TIFF) block holding only an orientation, big-endian, as a PNG's eXIf chunk carries it. */
  public static byte[] exifOrientation(int orientation) {
    return ByteBuffer.allocate(26).put(new byte[] {'M', 'M'}).putShort((short) 42).putInt(8).putShort((short) 1)
        .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
        .putInt(0).array();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
