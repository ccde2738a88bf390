package io.github.vbackcam.core.source;

import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import io.github.vbackcam.core.internal.FileTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FrameGrabber;

/** Opens files as frame sources, with errors that name the file and the problem. */
public final class Sources {

  /** The finest grid a variable-rate video is put on: finer is a timestamp's jitter, not a frame rate. */
  static final double MAX_GRID_RATE = 240;

  /**
   * Grids a variable-rate video's frames may lie on, coarsest first, each whole rate before its NTSC neighbour (a
   * short clip on the whole grid also fits the NTSC one within a tick; only a long one tells them apart).
   */
  private static final double[] STANDARD_RATES = {5, 10, 12, 15, 20, 24, 24000 / 1001.0, 25, 30, 30000 / 1001.0,
      48, 50, 60, 60000 / 1001.0, 72, 90, 100, 120, 120000 / 1001.0, 144, 240};

  /** The code in a JavaCV message ("avformat_open_input() error -1094995529: Could not open input ..."). */
  private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");

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

  /**
   * The rate whose grid holds a video's frames, for a sink that repeats frames at the rate it declares (y4m, avi)
   * and the rate an mp4/mkv/webm declares (those store each frame's own time, whatever the rate). The average
   * rate, where every frame lies on its grid (a constant rate); otherwise, for a variable rate, the finest of these
   * that holds them all: FFmpeg's {@code r_frame_rate} ("tbr", its guess at the base rate), else a standard rate,
   * above the average and at most {@link #MAX_GRID_RATE}. A grid that also holds the end of the last frame comes
   * first (a slideshow's last picture lasts its own 0.04 s, not a tick of a 1 fps grid). With none, the average: a
   * y4m slot then holds one frame on average, and frames closer than that are dropped.
   *
   * @param times the frames' presentation times in seconds, from the first
   * @param end where the last frame ends, in seconds from the first frame, or NaN when unknown
   * @param tolerance how far off a grid a time may be and still lie on it: a tick of the stream's time base (a
   *     Matroska file rounds times to milliseconds)
   */
  static double gridRate(double average, double tbr, double[] times, double end, double tolerance) {
    if (!(average > 0)) {
      return plausibleRate(tbr);
    }
    for (double last : new double[] {end, Double.NaN}) {
      if (fits(average, times, last, tolerance)) {
        return plausibleRate(average);
      }
      if (tbr > average && tbr <= MAX_GRID_RATE && fits(tbr, times, last, tolerance)) {
        return tbr;
      }
      for (double rate : STANDARD_RATES) {
        if (rate > average && fits(rate, times, last, tolerance)) {
          return rate;
        }
      }
    }
    return plausibleRate(average);
  }

  private static boolean fits(double rate, double[] times, double end, double tolerance) {
    for (double t : times) {
      if (!onGrid(rate, t, tolerance)) {
        return false;
      }
    }
    return Double.isNaN(end) || onGrid(rate, end, tolerance);
  }

  private static boolean onGrid(double rate, double t, double tolerance) {
    double ticks = t * rate;
    return Math.abs(ticks - Math.rint(ticks)) <= tolerance * rate + 1e-9;
  }

  /** The FFmpeg error code a JavaCV exception carries in its message, or 0 when it carries none. */
  static int errorCode(FrameGrabber.Exception e) {
    Matcher code = ERROR_CODE.matcher(String.valueOf(e.getMessage()));
    try {
      return code.find() ? Integer.parseInt(code.group(1)) : 0;
    } catch (NumberFormatException tooLong) {
      return 0;
    }
  }

  /**
   * What went wrong in a JavaCV call, in FFmpeg's words where it carries an FFmpeg error code, else its message
   * without the name of the C function and JavaCV's hint about its log callback: the user can act on neither.
   */
  static String plain(FrameGrabber.Exception e) {
    int code = errorCode(e);
    if (code != 0) {
      return FFmpegLog.describe(code);
    }
    String message = String.valueOf(e.getMessage());
    int hint = message.indexOf(" (For more details");
    String text = hint < 0 ? message : message.substring(0, hint);
    int call = text.indexOf("() error: ");
    return call < 0 ? text : text.substring(call + "() error: ".length());
  }
}
