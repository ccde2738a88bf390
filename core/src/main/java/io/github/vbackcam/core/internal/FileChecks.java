package io.github.vbackcam.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Checks made on a file before any work is spent on it, so that one request cannot block or exhaust the service:
 * only regular files (a FIFO blocks its reader, a device never ends), within a size, and images within
 * {@link #MAX_IMAGE_PIXELS}, read from the header before the picture is decoded. Messages name the file and the
 * problem, never the file's content.
 */
public final class FileChecks {

  /** The largest image accepted, in pixels: 64 megapixels (8192 x 8192), far above any screen or camera frame. */
  public static final long MAX_IMAGE_PIXELS = 8192L * 8192L;
  /** {@link #MAX_IMAGE_PIXELS} in megapixels (2^20 pixels), as messages name it. */
  public static final long MAX_IMAGE_MEGAPIXELS = MAX_IMAGE_PIXELS / (1024 * 1024);

  /** The largest model.json accepted: the topology alone (the largest we ship, RVM's, is 0.6 MB). */
  public static final long MAX_MODEL_JSON_BYTES = 16L * 1000 * 1000;

  /** The largest set of weight shards accepted beside a model.json: BodyPix ResNet50 is 95 MB; ten times that. */
  public static final long MAX_MODEL_SHARD_BYTES = 1000L * 1000 * 1000;

  private FileChecks() {}

  /**
   * Checks a TF.js model given by path before it is parsed: the model.json (or each .json in a model directory) and
   * every .bin shard beside it must be regular files, the JSON within {@link #MAX_MODEL_JSON_BYTES} and the shards
   * together within {@link #MAX_MODEL_SHARD_BYTES}.
   */
  public static void model(Path path) throws IOException {
    Path real = resolve(path);
    Path dir = Files.isDirectory(real) ? real : real.getParent();
    if (!Files.isDirectory(real)) {
      regularFile(path, MAX_MODEL_JSON_BYTES);
    }
    long shards = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{json,bin}")) {
      for (Path f : files) {
        boolean json = f.getFileName().toString().endsWith(".json");
        if (json && !Files.isDirectory(real)) {
          continue; // only the named JSON is read
        }
        Path file = regularFile(f, json ? MAX_MODEL_JSON_BYTES : MAX_MODEL_SHARD_BYTES);
        shards += json ? 0 : Files.size(file);
      }
    }
    if (shards > MAX_MODEL_SHARD_BYTES) {
      throw new FileSystemException(path.toString(), null, "weight shards of " + megabytes(shards)
          + " are too large (at most " + megabytes(MAX_MODEL_SHARD_BYTES) + ")");
    }
  }

  /** The file a path stands for, with symbolic links followed; a loop of links is named as one. */
  public static Path resolve(Path path) throws IOException {
    try {
      return path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "no such file");
    } catch (FileSystemException e) {
      if (e.getReason() != null && e.getReason().toLowerCase(Locale.ROOT).contains("symbolic link")) {
        throw new FileSystemException(path.toString(), null, "a loop of symbolic links");
      }
      throw e;
    }
  }

  /**
   * The real path of a readable regular file of at most {@code maxBytes}; anything else (missing, a directory, a
   * FIFO, a device, a socket, too large, unreadable) fails with a message saying which.
   */
  public static Path regularFile(Path path, long maxBytes) throws IOException {
    Path real = resolve(path);
    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw new FileSystemException(path.toString(), null, "not a regular file (" + kind(a) + ")");
    }
    if (a.size() > maxBytes) {
      throw new FileSystemException(path.toString(), null, "too large: " + megabytes(a.size()) + " (at most "
          + megabytes(maxBytes) + ")");
    }
    if (!Files.isReadable(real)) {
      throw new FileSystemException(path.toString(), null, "not readable (permissions)");
    }
    return real;
  }

  /**
   * Checks an image before it is decoded: a regular file in a format vbackcam reads (PNG and APNG, JPEG, BMP, WebP,
   * TIFF, PPM/PGM, GIF, told by its first bytes) whose header gives at most {@link #MAX_IMAGE_PIXELS}; for an
   * animation that is the size of each frame (a GIF's logical screen, which every frame must fit in). A video is
   * named as one.
   */
  public static void image(Path path, long maxBytes) throws IOException {
    try (OpenedFile file = OpenedFile.open(path, maxBytes)) {
      image(file);
    }
  }

  /** The checks of {@link #image(Path, long)} on a file already opened; returns its {width, height}. */
  public static long[] image(OpenedFile file) throws IOException {
    String path = file.name().toString();
    long[] size;
    boolean video;
    try (FileChannel channel = FileChannel.open(file.path())) {
      size = ImageHeader.size(channel);
      video = size == null && ImageHeader.isVideo(channel);
    }
    if (video) {
      throw new FileSystemException(path, null, "a video, not a picture");
    }
    if (size == null) {
      throw new FileSystemException(path, null, "not an image vbackcam reads, or its header is damaged"
          + " (expected PNG, JPEG, BMP, WebP, TIFF, PPM or GIF)");
    }
    if (size[0] <= 0 || size[1] <= 0) {
      throw new FileSystemException(path, null, String.format(Locale.ROOT,
          "its header is damaged: an image of %dx%d pixels", size[0], size[1]));
    }
    if (size[0] * size[1] > MAX_IMAGE_PIXELS) {
      throw new FileSystemException(path, null, String.format(Locale.ROOT,
          "image of %dx%d pixels is too large (at most %d megapixels)", size[0], size[1],
          MAX_IMAGE_MEGAPIXELS));
    }
    return size;
  }

  /**
   * Checks a video before it is opened: a regular file that is not a picture by its name ({@link FileTypes#isPicture}:
   * the rule that makes a file given as a background an image or a video), so a picture is never played as a video.
   */
  public static void video(Path path) throws IOException {
    regularFile(path, Long.MAX_VALUE);
    if (FileTypes.isPicture(path)) {
      throw new FileSystemException(path.toString(), null, "a picture, not a video");
    }
  }

  static String kind(BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    return a.isOther() ? "a FIFO, device or socket" : "not a plain file";
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /**
   * Exactly {@code n} bytes of {@code file} at {@code position}, for the header readers of this package: past the end
   * of a file cut short they read as zeros, which match no signature and fail the checks.
   */
  static byte[] readAt(FileChannel file, long position, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    long at = position;
    while (b.hasRemaining() && file.read(b, at) > 0) {
      at = position + b.position();
    }
    return b.array();
  }

  /** Width and height from an image file's header, read in small pieces without decoding the picture. */
  static final class ImageHeader {
    private final FileChannel file;

    private ImageHeader(FileChannel file) {
      this.file = file;
    }

    /** {width, height}, or null when the format is not known or the header is cut short. */
    static long[] size(FileChannel file) throws IOException {
      return new ImageHeader(file).size();
    }

    private long[] size() throws IOException {
      byte[] h = read(0, 32);
      if (starts(h, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
        return new long[] {be(h).getInt(16) & 0xffffffffL, be(h).getInt(20) & 0xffffffffL};
      }
      if (starts(h, 0xff, 0xd8)) {
        return jpeg();
      }
      if (starts(h, 'B', 'M')) {
        return new long[] {Math.abs((long) le(h).getInt(18)), Math.abs((long) le(h).getInt(22))};
      }
      if (starts(h, 'R', 'I', 'F', 'F') && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') {
        return webp(h);
      }
      if (starts(h, 'I', 'I', 42, 0)) {
        return tiff(ByteOrder.LITTLE_ENDIAN, le(h).getInt(4) & 0xffffffffL);
      }
      if (starts(h, 'M', 'M', 0, 42)) {
        return tiff(ByteOrder.BIG_ENDIAN, be(h).getInt(4) & 0xffffffffL);
      }
      if (h[0] == 'P' && h[1] >= '1' && h[1] <= '6') {
        return netpbm(read(0, 1024));
      }
      if (starts(h, 'G', 'I', 'F', '8') && (h[4] == '7' || h[4] == '9') && h[5] == 'a') {
        // The logical screen: OpenCV decodes every frame onto a canvas of this size and refuses a frame outside it.
        return new long[] {le(h).getShort(6) & 0xffff, le(h).getShort(8) & 0xffff};
      }
      return null;
    }

    /**
     * Whether the file starts as a video container does: MP4/MOV ({@code ftyp}), Matroska/WebM, AVI, FLV, Ogg,
     * MPEG program and transport streams. Only to name the mistake; whether FFmpeg can play it is another matter.
     */
    static boolean isVideo(FileChannel file) throws IOException {
      byte[] h = new ImageHeader(file).read(0, 200);
      return h[4] == 'f' && h[5] == 't' && h[6] == 'y' && h[7] == 'p'
          || starts(h, 0x1a, 0x45, 0xdf, 0xa3)
          || starts(h, 'R', 'I', 'F', 'F') && h[8] == 'A' && h[9] == 'V' && h[10] == 'I'
          || starts(h, 'F', 'L', 'V', 1)
          || starts(h, 'O', 'g', 'g', 'S')
          || starts(h, 0, 0, 1, 0xba)
          || h[0] == 0x47 && h[188] == 0x47;
    }

    /** The segments before the first start-of-frame marker, skipped by their lengths (EXIF, ICC profiles...). */
    private long[] jpeg() throws IOException {
      long at = 2;
      for (int segments = 0; segments < 1000; segments++) {
        byte[] m = read(at, 9);
        if ((m[0] & 0xff) != 0xff) {
          return null;
        }
        int marker = m[1] & 0xff;
        if (marker == 0xff) {
          at++;
          continue;
        }
        boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (sof) {
          return new long[] {be(m).getShort(7) & 0xffff, be(m).getShort(5) & 0xffff};
        }
        at += 2 + (be(m).getShort(2) & 0xffff);
      }
      return null;
    }

    private static long[] webp(byte[] h) {
      String chunk = new String(h, 12, 4, StandardCharsets.US_ASCII);
      ByteBuffer b = le(h);
      return switch (chunk) {
        case "VP8 " -> new long[] {b.getShort(26) & 0x3fff, b.getShort(28) & 0x3fff};
        case "VP8L" -> {
          int bits = b.getInt(21);
          yield new long[] {(bits & 0x3fff) + 1L, ((bits >>> 14) & 0x3fff) + 1L};
        }
        case "VP8X" -> new long[] {u24(h, 24) + 1L, u24(h, 27) + 1L};
        default -> null;
      };
    }

    /** Tags 256 and 257 of the first image file directory, wherever in the file it lies. */
    private long[] tiff(ByteOrder order, long ifd) throws IOException {
      ByteBuffer count = ByteBuffer.wrap(read(ifd, 2)).order(order);
      int entries = count.getShort(0) & 0xffff;
      ByteBuffer b = ByteBuffer.wrap(read(ifd + 2, entries * 12)).order(order);
      long width = -1;
      long height = -1;
      for (int e = 0; e < entries; e++) {
        int at = e * 12;
        int tag = b.getShort(at) & 0xffff;
        int type = b.getShort(at + 2) & 0xffff;
        long value = type == 3 ? b.getShort(at + 8) & 0xffff : b.getInt(at + 8) & 0xffffffffL;
        if (tag == 256) {
          width = value;
        } else if (tag == 257) {
          height = value;
        }
      }
      return width < 0 || height < 0 ? null : new long[] {width, height};
    }

    /** "P6 <w> <h> ...", with # comments allowed between the fields. */
    private static long[] netpbm(byte[] h) {
      long[] fields = new long[2];
      int i = 2;
      for (int f = 0; f < 2; f++) {
        while (i < h.length && (Character.isWhitespace(h[i]) || h[i] == '#')) {
          if (h[i] == '#') {
            while (i < h.length && h[i] != '\n') {
              i++;
            }
          } else {
            i++;
          }
        }
        int start = i;
        while (i < h.length && h[i] >= '0' && h[i] <= '9' && i - start < 10) {
          fields[f] = fields[f] * 10 + (h[i] - '0');
          i++;
        }
        if (i == start) {
          return null;
        }
      }
      return fields;
    }

    private byte[] read(long position, int n) throws IOException {
      return readAt(file, position, n);
    }

    private static boolean starts(byte[] h, int... magic) {
      for (int i = 0; i < magic.length; i++) {
        if (h[i] != (byte) magic[i]) {
          return false;
        }
      }
      return true;
    }

    private static int u24(byte[] h, int at) {
      return (h[at] & 0xff) | (h[at + 1] & 0xff) << 8 | (h[at + 2] & 0xff) << 16;
    }

    private static ByteBuffer be(byte[] h) {
      return ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
    }

    private static ByteBuffer le(byte[] h) {
      return ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
