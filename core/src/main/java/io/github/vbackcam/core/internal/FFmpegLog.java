package io.github.vbackcam.core.internal;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's own logging, kept to errors. By default FFmpeg writes to stderr at its INFO level, which includes the
 * stream summary a muxer prints when it starts ("Output #0, yuv4mpegpipe, to ..."): lines a service's log should not
 * hold. The level is process-wide, so it is set once, by whichever class touches FFmpeg first (each calls
 * {@link #quiet()} from its static initialiser); a class that set it for itself left the others' first lines out.
 */
public final class FFmpegLog {

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
  }

  private FFmpegLog() {}

  /** Makes sure the level is set: the first call loads this class, whose initialiser sets it. */
  public static void quiet() {
    // Nothing more: class initialisation runs once, before this returns, in any thread.
  }
}
