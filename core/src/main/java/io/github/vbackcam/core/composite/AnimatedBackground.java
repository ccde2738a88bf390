package io.github.vbackcam.core.composite;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imreadanimation;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.AnimationHeader;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.internal.Images;
import io.github.vbackcam.core.internal.OpenedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgcodecs.Animation;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * An animated image (GIF, APNG, animated WebP) played as browsers play it: each frame for its own delay, on the
 * {@link MediaClock} (never one frame per output frame), a delay of 10 ms or less shown as 100 ms (a GIF frame with no
 * Graphic Control Extension has a delay of 0, not the one of the frame before), and looped as the
 * file says: forever for a loop count of 0, else that many plays (a GIF's count is repeats after the first, and a
 * GIF without one plays once), then the last frame stays. Transparent pixels show the real scene.
 */
public final class AnimatedBackground implements Background {

  /** Browsers show a frame whose delay is this short or shorter for {@link #SHORT_DELAY_SHOWN_MS}. */
  static final int SHORT_DELAY_MS = 10;
  static final int SHORT_DELAY_SHOWN_MS = 100;
  /**
   * Every frame is kept decoded (an animation is short and small, and decoding it once beats decoding it on every
   * loop): at most this many pixels for all frames together, about 1 GB as decoded BGRA.
   */
  static final long MAX_PIXELS = 250_000_000L;

  private final Path path;
  private final List<Picture> frames;
  /** When each frame ends within one play, in microseconds. */
  private final long[] ends;
  /** How many times the animation plays; 0 for forever. */
  private final int plays;
  private final MediaClock clock = new MediaClock();
  private int shown = -1;

  /** Decodes every frame now, so a bad file fails here with a message naming it. */
  public AnimatedBackground(Path path) throws IOException {
    this(path, MAX_PIXELS);
  }

  /** As {@link #AnimatedBackground(Path)}, with at most {@code maxPixels} pixels for all frames together. */
  AnimatedBackground(Path path, long maxPixels) throws IOException {
    this.path = path;
    List<Picture> decoded = new ArrayList<>();
    // One open file throughout: what is checked is what is decoded (see OpenedFile).
    try (OpenedFile file = OpenedFile.open(path, Long.MAX_VALUE); Animation animation = new Animation()) {
      long[] canvas = FileChecks.image(file);
      int maxFrames = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, maxPixels / (canvas[0] * canvas[1])));
      if (AnimationHeader.frames(file.path()) > maxFrames) {
        throw tooLarge(path, canvas, maxFrames, maxPixels);
      }
      if (!imreadanimation(file.path().toString(), animation, 0, maxFrames + 1) || animation.frames().size() == 0) {
        throw unreadable(path);
      }
      if (animation.frames().size() > maxFrames) { // the decoder's own count is the last word
        throw tooLarge(path, canvas, maxFrames, maxPixels);
      }
      MatVector pictures = animation.frames();
      int n = (int) pictures.size();
      // A GIF's delays from its structure: OpenCV's are wrong for a frame without a Graphic Control Extension.
      int[] gifDelays = AnimationHeader.gifDelays(file.path());
      ends = new long[n];
      long end = 0;
      for (int i = 0; i < n; i++) {
        decoded.add(new Picture(Images.split(pictures.get(i))));
        int delay = gifDelays != null && i < gifDelays.length ? gifDelays[i] : animation.durations().get(i);
        end += 1000L * (delay <= SHORT_DELAY_MS ? SHORT_DELAY_SHOWN_MS : delay);
        ends[i] = end;
      }
      plays = plays(path, file.path(), animation.loop_count());
    } catch (IOException | RuntimeException e) {
      decoded.forEach(Picture::close);
      throw e;
    }
    this.frames = decoded;
  }

  /** Counted from the file's structure first, so that a bomb of many frames is refused before it is decoded. */
  private static IOException tooLarge(Path path, long[] canvas, int maxFrames, long maxPixels) {
    return new IOException("animated image " + path + " has more than " + maxFrames + " frames of its size ("
        + canvas[0] + "x" + canvas[1] + "): over the limit of " + maxPixels + " pixels for all frames together");
  }

  private static IOException unreadable(Path path) {
    return new IOException("cannot decode animated image " + path
        + ": not a supported animation, or the file is corrupt");
  }

  /** How many plays a loop count means: APNG and WebP count plays, a GIF counts repeats (and none means once). */
  private static int plays(Path path, Path opened, int loopCount) throws IOException {
    if (!FileTypes.extension(path).equals("gif")) {
      return Math.max(0, loopCount);
    }
    try (InputStream in = Files.newInputStream(opened)) {
      String head = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
      int at = head.indexOf("NETSCAPE2.0");
      if (at < 0 || at + 15 >= head.length()) {
        return 1;
      }
      int repeats = (head.charAt(at + 13) & 0xff) | (head.charAt(at + 14) & 0xff) << 8;
      return repeats == 0 ? 0 : repeats + 1;
    }
  }

  @Override
  public Mat render(Frame frame) {
    long t = clock.at(frame.ptsMicros());
    int index = frameAt(t);
    if (index != shown && shown >= 0) {
      frames.get(shown).forgetScaled();
    }
    shown = index;
    return frames.get(index).render(frame);
  }

  /** The frame on show {@code t} microseconds after the animation started. */
  int frameAt(long t) {
    long length = ends[ends.length - 1];
    if (plays > 0 && t >= length * plays) {
      return ends.length - 1;
    }
    long within = t % length;
    int i = 0;
    while (ends[i] <= within) {
      i++;
    }
    return i;
  }

  @Override
  public String describe() {
    return "image " + path;
  }

  @Override
  public void close() {
    frames.forEach(Picture::close);
  }
}
