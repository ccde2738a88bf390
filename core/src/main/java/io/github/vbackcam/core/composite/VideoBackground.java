package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.Images;
import io.github.vbackcam.core.source.VideoFileSource;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A looping video that plays in real time behind any input: it shows, for each frame, its own frame whose time has
 * come on the {@link MediaClock}, whatever either rate is (a 60 fps background behind a 24 fps input skips frames,
 * a 15 fps one repeats them, a variable-rate one keeps its timing). Its display matrix is applied as for an input.
 *
 * <p>The file is opened, and its first frame decoded, once, when the background is made: a bad file fails there,
 * and whatever happens to the path afterwards (the file replaced, truncated, deleted) cannot stop the camera. A
 * frame that cannot be decoded later leaves the last good one on show.
 */
public final class VideoBackground implements Background {

  private static final Logger LOG = LoggerFactory.getLogger(VideoBackground.class);

  /** Further ahead than this (the service paused, a slideshow's long frame), seeking beats decoding through. */
  static final long SEEK_MICROS = 2_000_000;

  private final Path path;
  private final MediaClock clock = new MediaClock();
  private final VideoFileSource source;
  /** The frame on show, and the next one decoded ahead (to know when the shown one ends). */
  private Frame current;
  private Frame next;
  /** The presentation time of the video's first frame: its time 0. */
  private final long firstPts;
  private int width;
  private int height;
  /** Whether reading has failed since the last good frame (logged once, not for every frame shown meanwhile). */
  private boolean failing;

  /** Opens the video and decodes its first frame now, so a bad file fails here with a message naming it. */
  public VideoBackground(Path path) throws IOException {
    this.path = path;
    this.source = new VideoFileSource(path, null, true);
    try {
      this.current = source.read();
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
    if (current == null) {
      source.close();
      throw new IOException("background video " + path + " has no frames");
    }
    this.firstPts = current.ptsMicros();
    this.width = current.width();
    this.height = current.height();
  }

  @Override
  public Mat render(Frame frame) throws IOException {
    if (width != frame.width() || height != frame.height()) {
      width = frame.width();
      height = frame.height();
      VideoSize size = new VideoSize(width, height);
      source.scaleTo(size);
      current = rescaled(current, size);
      next = next == null ? null : rescaled(next, size);
    }
    // The looped source's times grow across loops, so the wanted time only ever moves forward.
    long wanted = firstPts + clock.at(frame.ptsMicros());
    try {
      if (wanted - current.ptsMicros() > SEEK_MICROS && source.skipTo(wanted) && next != null) {
        next.close();
        next = null;
      }
      while (true) {
        if (next == null) {
          next = read();
        }
        if (next.ptsMicros() > wanted) {
          break;
        }
        current.close();
        current = next;
        next = null;
      }
      failing = false;
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        LOG.warn("background video {} stopped playing ({}); its last good frame stays on show", path,
            e.getMessage());
        failing = true;
      }
    }
    return current.image();
  }

  private Frame read() throws IOException {
    Frame f = source.read();
    if (f == null) {
      throw new IOException("no frame left to read: has the file changed?");
    }
    return f;
  }

  /** {@code frame} scaled to cover {@code size}, at its own time; {@code frame} is closed. */
  private static Frame rescaled(Frame frame, VideoSize size) {
    try (frame) {
      return Images.coverFrame(frame.image(), size, frame.sequence(), frame.ptsMicros());
    }
  }

  @Override
  public String describe() {
    return "video " + path;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    if (next != null) {
      next.close();
      next = null;
    }
    try {
      source.close();
    } catch (IOException e) {
      // Nothing is written; a failed close of a decoder loses nothing.
    }
  }
}
