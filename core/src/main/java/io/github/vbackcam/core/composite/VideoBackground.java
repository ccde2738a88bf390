package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.source.VideoFileSource;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A looping video that plays in real time behind any input: it shows, for each frame, its own frame whose time has
 * come on the {@link MediaClock}, whatever either rate is (a 60 fps background behind a 24 fps input skips frames,
 * a 15 fps one repeats them, a variable-rate one keeps its timing). Display rotation is applied as for an input.
 */
public final class VideoBackground implements Background {

  /** Further ahead than this (the service paused, a slideshow's long frame), seeking beats decoding through. */
  static final long SEEK_MICROS = 2_000_000;

  private final Path path;
  private final MediaClock clock = new MediaClock();
  private VideoFileSource source;
  /** The frame on show, and the next one decoded ahead (to know when the shown one ends). */
  private Frame current;
  private Frame next;
  /** The presentation time of the video's first frame: its time 0. */
  private long firstPts;
  private int width;
  private int height;

  /** Opens the video now, so a bad file fails here with a message naming it. */
  public VideoBackground(Path path) throws IOException {
    this.path = path;
    this.source = new VideoFileSource(path, null, true);
  }

  @Override
  public Mat render(Frame frame) throws IOException {
    if (width != frame.width() || height != frame.height()) {
      drop();
      source.close();
      source = new VideoFileSource(path, new VideoSize(frame.width(), frame.height()), true);
      width = frame.width();
      height = frame.height();
      clock.restart();
    }
    if (current == null) {
      current = read();
    }
    // The looped source's times grow across loops, so the wanted time only ever moves forward.
    long wanted = firstPts + clock.at(frame.ptsMicros());
    if (wanted - current.ptsMicros() > SEEK_MICROS && source.skipTo(wanted)) {
      if (next != null) {
        next.close();
        next = null;
      }
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
    return current.image();
  }

  private Frame read() throws IOException {
    Frame f = source.read();
    if (f == null) {
      throw new IOException("background video " + path + " has no frames");
    }
    if (current == null && next == null) {
      firstPts = f.ptsMicros();
    }
    return f;
  }

  private void drop() {
    if (current != null) {
      current.close();
      current = null;
    }
    if (next != null) {
      next.close();
      next = null;
    }
  }

  @Override
  public String describe() {
    return "video " + path;
  }

  @Override
  public void close() {
    drop();
    try {
      source.close();
    } catch (IOException e) {
      // Nothing is written; a failed close of a decoder loses nothing.
    }
  }
}
