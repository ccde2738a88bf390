package io.github.vbackcam.core.source;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/** Opens files as frame sources and reads images, with errors that name the file and the problem. */
public final class Sources {

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "ppm", "pgm");

  private Sources() {}

  public static boolean isImage(Path path) {
    return IMAGE_EXTENSIONS.contains(extension(path));
  }

  /**
   * A still image (one frame, or repeated when {@code loop}) or a video (looped when {@code loop}).
   *
   * @param size output size, or null for the input's own
   */
  public static FrameSource open(Path path, VideoSize size, boolean loop) throws IOException {
    return isImage(path) ? new ImageSource(path, size, loop ? 0 : 1) : new VideoFileSource(path, size, loop);
  }

  /** Reads an image as 8-bit BGR; a missing, unreadable or corrupt file gets an IOException that says which. */
  public static Mat readImage(Path path) throws IOException {
    checkReadable(path);
    Mat image = imread(path.toString(), IMREAD_COLOR);
    if (image == null || image.empty()) {
      if (image != null) {
        image.close();
      }
      throw new IOException("cannot decode image " + path + ": not a supported image, or the file is corrupt");
    }
    return image;
  }

  static void checkReadable(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such file");
    }
    if (Files.isDirectory(path)) {
      throw new IOException(path + " is a directory, not a file");
    }
    if (!Files.isReadable(path)) {
      throw new IOException(path + " is not readable (permissions)");
    }
  }

  /** A frame rate FFmpeg reported, or 30 where it reported none or nonsense (some cameras and containers do). */
  static double plausibleRate(double rate) {
    return rate > 0 && rate < 1000 ? rate : 30;
  }

  public static String extension(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
