package io.github.vbackcam.core.internal;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's messages: its own logging, kept to errors, and the words for its error codes.
 *
 * <p>FFmpeg's own logging is kept to errors. By default FFmpeg writes to stderr at its INFO level, which includes the
 * stream summary a muxer prints when it starts ("Output #0, yuv4mpegpipe, to ..."): lines a service's log should not
 * hold. The level is process-wide, so it is set once, by whichever class touches FFmpeg first (each calls
 * {@link #quiet()} from its static initialiser); a class that set it for itself left the others' first lines out.
 */
public final class FFmpegLog {

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private FFmpegLog() {}

  /** FFmpeg's own words for one of its error codes: "Invalid data found when processing input". */
  public static String describe(int code) {
    byte[] text = new byte[256];
    if (avutil.av_strerror(code, text, text.length) < 0) {
      return "error " + code;
    }
    int length = 0;
    while (length < text.length && text[length] != 0) {
      length++;
    }
    return new String(text, 0, length, StandardCharsets.UTF_8);
  }

  /** Makes sure the level is set: the first call loads this class, whose initialiser sets it. */
  public static void quiet() {
    // Nothing more: class initialisation runs once, before this returns, in any thread.
  }
}
