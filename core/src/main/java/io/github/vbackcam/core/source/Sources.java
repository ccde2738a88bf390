package io.github.vbackcam.core.source;

import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FileTypes;
import java.io.IOException;
import java.nio.file.Path;

/** Opens files as frame sources, with errors that name the file and the problem. */
public final class Sources {

  private Sources() {}

  /**
   * A still image (one frame, or repeated when {@code loop}) or a video (looped when {@code loop}).
   *
   * @param size output size, or null for the input's own
   */
  public static FrameSource open(Path path, VideoSize size, boolean loop) throws IOException {
    return FileTypes.isImage(path)
        ? new ImageSource(path, size, loop ? 0 : 1)
        : new VideoFileSource(path, size, loop);
  }

  /** A frame rate FFmpeg reported, or 30 where it reported none or nonsense (some cameras and containers do). */
  static double plausibleRate(double rate) {
    return rate > 0 && rate < 1000 ? rate : 30;
  }
}
