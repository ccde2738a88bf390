package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.config.FileReads;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The effect options shared by {@code render} and {@code bench}; the values are checked by the effect itself. */
public final class EffectOptions {

  // A heading keeps picocli from listing a mixin's group options twice (once in the group, once with the rest).
  @ArgGroup(exclusive = true, heading = "Background (one of; default: the first bundled background):%n")
  Choice choice = new Choice();

  static final class Choice {
    @Option(names = "--background", paramLabel = "FILE",
        description = "Background image (still, or animated GIF/APNG/WebP; transparent parts show the real scene)"
            + " or video (looped, in real time).")
    Path background;

    @Option(names = "--blur", paramLabel = "RADIUS", description = "Blur the real background instead (1-200).")
    String blur;

    @Option(names = "--color", paramLabel = "#RRGGBB", description = "A solid colour background.")
    String color;

    @Option(names = "--none", description = "No effect: pass the video through.")
    boolean none;
  }

  @Option(names = "--hologram", description = "Show the person as a hologram.")
  boolean hologram;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = ModelCatalog.DEFAULT,
      completionCandidates = Choices.Models.class,
      description = "${COMPLETION-CANDIDATES}, or the path of a TF.js model.json (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
      description = "Person probability threshold, 0-1 (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--feather", paramLabel = "PX", defaultValue = "2",
      description = "Edge feathering in output pixels, 0-50 (default ${DEFAULT-VALUE}).")
  double feather;

  @Option(names = "--smoothing", paramLabel = "S",
      description = "Temporal smoothing, 0-0.95: weight of the previous frame's mask (default 0.3 for video, 0 for"
          + " a still image).")
  Double smoothing;

  Effect effect() throws IOException {
    String on = Boolean.toString(hologram);
    if (choice.none) {
      return Effects.parse("none", Map.of());
    }
    if (choice.blur != null) {
      return Effects.parse("blur", Map.of("radius", choice.blur, Effects.HOLOGRAM, on));
    }
    if (choice.color != null) {
      return Effects.parse("color", Map.of("color", choice.color, Effects.HOLOGRAM, on));
    }
    Path file = choice.background != null ? choice.background : Defaults.defaultBackground();
    FileReads.probe(file); // Effect.file reads a PNG's or WebP's header: a read that never returns is named in 5 s
    return Effect.file(file, hologram);
  }

  MaskSettings mask(boolean still) {
    MaskSettings base = still ? MaskSettings.STILL : MaskSettings.VIDEO;
    MaskSettings settings = base.withThreshold(threshold).withFeather(feather);
    return smoothing != null ? settings.withSmoothing(smoothing) : settings;
  }
}
