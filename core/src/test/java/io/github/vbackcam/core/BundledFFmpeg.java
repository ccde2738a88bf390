package io.github.vbackcam.core;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;

/**
 * The ffmpeg program of the FFmpeg the product bundles (JavaCPP's presets carry it beside the libraries), so tests
 * need no system FFmpeg: a fresh machine has none. Its encoders are that build's (no libx264: H.264 is OpenH264's,
 * which makes no B-frames). The program has no RUNPATH: it finds the libraries beside it (libva.so.2 among them,
 * which a minimal Debian lacks) through LD_LIBRARY_PATH.
 */
public final class BundledFFmpeg {

  private BundledFFmpeg() {}

  /** A process builder for {@code ffmpeg arguments...}. */
  public static ProcessBuilder command(String... arguments) {
    Path program = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    ProcessBuilder builder = new ProcessBuilder(program.toString());
    builder.command().addAll(List.of(arguments));
    builder.environment().put("LD_LIBRARY_PATH", program.getParent().toString());
    return builder;
  }
}
