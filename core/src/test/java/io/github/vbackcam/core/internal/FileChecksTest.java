package io.github.vbackcam.core.internal;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are judged before any work is spent on them: their type, their size, an image's pixels by its header. */
class FileChecksTest {

  @TempDir
  Path dir;

  private static long millisOf(ThrowingRunnable r) {
    long start = System.nanoTime();
    try {
      r.run();
    } catch (Exception ignored) {
      // Timing only.
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private String refusal(ThrowingRunnable r) {
    IOException e = assertThrows(IOException.class, r::run);
    return e.getMessage();
  }

  @Test
  void onlyRegularFilesAreAcceptedAndEachOtherKindIsNamedQuickly() throws Exception {
    Path fifo = dir.resolve("fifo.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path socket = dir.resolve("socket.png");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      for (Path p : List.of(fifo, socket, Path.of("/dev/zero"), Path.of("/dev/null"))) {
        assertTrue(refusal(() -> FileChecks.regularFile(p, 1000)).equals(p + ": not a regular file (a FIFO,"
            + " device or socket)"), p.toString());
        assertTrue(millisOf(() -> FileChecks.image(p, 1000)) < 1000, "checking " + p + " blocked");
      }
    }
    assertEquals(dir + ": not a regular file (a directory)", refusal(() -> FileChecks.regularFile(dir, 1000)));
    assertEquals(dir.resolve("nope") + ": no such file",
        refusal(() -> FileChecks.regularFile(dir.resolve("nope"), 1000)));
  }

  @Test
  void symbolicLinksAreFollowedAndLoopsNamed() throws Exception {
    Path real = Files.writeString(dir.resolve("real.txt"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
    assertEquals(real.toRealPath(), FileChecks.regularFile(link, 10));
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    assertEquals(a + ": a loop of symbolic links", refusal(() -> FileChecks.regularFile(a, 10)));
    Path toDevice = Files.createSymbolicLink(dir.resolve("to-device.png"), Path.of("/dev/zero"));
    assertTrue(refusal(() -> FileChecks.regularFile(toDevice, 10)).contains("not a regular file"));
  }

  @Test
  void aFileAboveTheSizeLimitIsRefusedUnread() throws Exception {
    Path sparse = dir.resolve("model.json");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(8L << 30); // 8 GB, sparse: takes no disk
    }
    assertEquals(sparse + ": too large: 8589.9 MB (at most 16.0 MB)", refusal(() -> FileChecks.model(sparse)));
    Path shards = Files.createDirectory(dir.resolve("big"));
    Files.writeString(shards.resolve("model.json"), "{}");
    try (RandomAccessFile f = new RandomAccessFile(shards.resolve("group1-shard1of1.bin").toFile(), "rw")) {
      f.setLength(2L << 30);
    }
    assertTrue(refusal(() -> FileChecks.model(shards.resolve("model.json"))).contains("too large"));
    Path fifoShard = Files.createDirectory(dir.resolve("fifo"));
    Files.writeString(fifoShard.resolve("model.json"), "{}");
    assertEquals(0, new ProcessBuilder("mkfifo", fifoShard.resolve("group1-shard1of1.bin").toString()).start()
        .waitFor());
    assertTrue(refusal(() -> FileChecks.model(fifoShard)).contains("not a regular file"));
  }

  @Test
  void everyImageFormatGivesItsSizeFromTheHeader() throws IOException {
    try (Mat image = new Mat(50, 100, opencv_core.CV_8UC3, new Scalar(0, 128, 255, 0))) {
      for (String ext : List.of("png", "jpg", "bmp", "webp", "tif", "ppm")) {
        Path file = dir.resolve("small." + ext);
        assertTrue(imwrite(file.toString(), image), ext);
        try (var channel = java.nio.channels.FileChannel.open(file)) {
          long[] size = FileChecks.ImageHeader.size(channel);
          assertTrue(size != null && size[0] == 100 && size[1] == 50, ext + ": " + java.util.Arrays.toString(size));
        }
        FileChecks.image(file, 1 << 20);
      }
    }
  }

  @Test
  void theSharedPicturesPass() throws IOException {
    try (Stream<Path> files = Files.walk(TestData.shared().resolve("data"))) {
      for (Path f : files.filter(FileTypes::isImage).toList()) {
        FileChecks.image(f, Long.MAX_VALUE);
      }
    }
  }

  @Test
  void aTinyPngOfHugeDimensionsIsRefusedBeforeDecoding() throws IOException {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, png(18000, 18000));
    assertTrue(Files.size(bomb) < 1_000_000, "the file itself is small: " + Files.size(bomb));
    assertEquals(bomb + ": image of 18000x18000 pixels is too large (at most 64 megapixels)",
        refusal(() -> FileChecks.image(bomb, 1 << 20)));
    Path notAnImage = Files.writeString(dir.resolve("secret.png"), "{\"password\":\"hunter2\"}");
    String message = refusal(() -> FileChecks.image(notAnImage, 1 << 20));
    assertTrue(message.contains("not an image") && !message.contains("hunter2"), message);
  }

  @Test
  void aGifIsAnImageWhoseLogicalScreenIsCheckedAgainstThePixelLimit() throws IOException {
    try (Mat image = new Mat(50, 100, opencv_core.CV_8UC3, new Scalar(0, 128, 255, 0))) {
      Path gif = dir.resolve("small.gif");
      assertTrue(imwrite(gif.toString(), image), "OpenCV writes GIF");
      try (var channel = java.nio.channels.FileChannel.open(gif)) {
        long[] size = FileChecks.ImageHeader.size(channel);
        assertTrue(size != null && size[0] == 100 && size[1] == 50, java.util.Arrays.toString(size));
      }
      FileChecks.image(gif, 1 << 20);
    }
    Path bomb = dir.resolve("bomb.gif");
    Files.write(bomb, gifClaiming(60000, 60000));
    assertEquals(bomb + ": image of 60000x60000 pixels is too large (at most 64 megapixels)",
        refusal(() -> FileChecks.image(bomb, 1 << 20)));
    Path flat = dir.resolve("flat.gif");
    Files.write(flat, gifClaiming(640, 0));
    assertEquals(flat + ": its header is damaged: an image of 640x0 pixels",
        refusal(() -> FileChecks.image(flat, 1 << 20)));
  }

  @Test
  void aVideoIsNotTakenForAPictureNorAPictureForAVideo() throws IOException {
    Path video = TestData.shared().resolve("data/videos/davis2016_lucia_854x480_24fps.mp4");
    assertEquals(video + ": a video, not a picture", refusal(() -> FileChecks.image(video, Long.MAX_VALUE)));
    Path misnamed = Files.copy(video, dir.resolve("video.png"));
    assertEquals(misnamed + ": a video, not a picture", refusal(() -> FileChecks.image(misnamed, Long.MAX_VALUE)));
    FileChecks.video(video);
    Path picture = TestData.shared().resolve("data/backgrounds/coffee_600x400.png");
    assertEquals(picture + ": a picture, not a video", refusal(() -> FileChecks.video(picture)));
    Path gif = Files.write(dir.resolve("anim.gif"), gifClaiming(16, 16));
    assertEquals(gif + ": a picture, not a video", refusal(() -> FileChecks.video(gif)));
    assertTrue(refusal(() -> FileChecks.video(dir.resolve("missing.mp4"))).endsWith("no such file"));
  }

  /** A GIF89a header whose logical screen claims {@code w x h}, then one 1x1 frame and the trailer. */
  static byte[] gifClaiming(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h)
        .put((byte) 0x80).put((byte) 0).put((byte) 0); // a global colour table of two entries
    b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    b.put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1).put((byte) 0);
    b.put(new byte[] {2, 2, 0x4c, 0x01, 0}); // LZW: minimum code size 2, one block of two bytes, end
    b.put((byte) 0x3b);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  /** A valid greyscale PNG of {@code w x h} black pixels, compressed to almost nothing. */
  static byte[] png(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
        .put((byte) 0).put((byte) 0).array());
    Deflater deflater = new Deflater(9);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[w + 1];
    byte[] buf = new byte[65536];
    for (int y = 0; y < h; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buf, 0, deflater.deflate(buf));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buf, 0, deflater.deflate(buf));
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
