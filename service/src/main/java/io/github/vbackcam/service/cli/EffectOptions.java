package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.composite.BackgroundSpec;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.service.Defaults;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The effect options shared by {@code render} and {@code bench}. */
public final class EffectOptions {

  @ArgGroup(exclusive = true)
  Choice choice = new Choice();

  static final class Choice {
    @Option(names = "--background", paramLabel = "FILE",
        description = "Background image or video (looped). Default: the first bundled background.")
    Path background;

    @Option(names = "--blur", paramLabel = "RADIUS", description = "Blur the real background instead (1-200).")
    Integer blur;

    @Option(names = "--color", paramLabel = "#RRGGBB", description = "A solid colour background.")
    String color;

    @Option(names = "--none", description = "No effect: pass the video through.")
    boolean none;
  }

  @Option(names = "--hologram", description = "Show the person as a hologram.")
  boolean hologram;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "selfie",
      description = "selfie (default), meet, rvm, bodypix, or the path of a TF.js model.json.")
  String model;

  @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
      description = "Person probability threshold, 0-1 (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--feather", paramLabel = "PX", defaultValue = "2",
      description = "Edge feathering in output pixels (default ${DEFAULT-VALUE}).")
  double feather;

  @Option(names = "--smoothing", paramLabel = "S",
      description = "Temporal smoothing, 0-0.95: weight of the previous frame's mask (default 0.3 for video, 0 for"
          + " a still image).")
  Double smoothing;

  BackgroundSpec background() throws IOException {
    if (choice.none) {
      return BackgroundSpec.none();
    }
    if (choice.blur != null) {
      return BackgroundSpec.blur(choice.blur);
    }
    if (choice.color != null) {
      return BackgroundSpec.color(choice.color);
    }
    return BackgroundSpec.file(choice.background != null ? choice.background : Defaults.defaultBackground());
  }

  MaskSettings mask(boolean still) {
    MaskSettings base = still ? MaskSettings.STILL : MaskSettings.VIDEO;
    MaskSettings settings = base.withThreshold(threshold).withFeather(feather);
    return smoothing != null ? settings.withSmoothing(smoothing) : settings;
  }
}
