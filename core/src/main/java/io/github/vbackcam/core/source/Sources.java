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

  /**
   * A file standing in for a camera ({@link PacedSource}): looped, and a video decoded as a camera's stream is, one
   * frame out for each frame in. FFmpeg's default for a file, a decoding thread per core plus one, holds back a frame
   * per extra thread (two frames, 67 ms at 30 fps, on 2 cores); at 30 fps one thread keeps up with 720p H.264 using
   * the same CPU (measured per thread in {@code live-bench}).
   */
  static FrameSource openLive(Path path, VideoSize size) throws IOException {
    return FileTypes.isImage(path) ? new ImageSource(path, size, 0) : new VideoFileSource(path, size, true, true);
  }

  /** A frame rate FFmpeg reported, or 30 where it reported none or nonsense (some cameras and containers do). */
  static double plausibleRate(double rate) {
    return rate > 0 && rate < 1000 ? rate : 30;
  }
}
