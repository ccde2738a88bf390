package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.Render;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.Signals;
import io.github.vbackcam.service.config.FileReads;
import io.github.vbackcam.service.daemon.ServiceControls;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vbackcam render}: the engine on a video or image file. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Replace or blur the background of a video or image file.")
public final class RenderCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RenderCommand.class);

  @Option(names = {"-i", "--input"}, paramLabel = "FILE",
      description = "Video or image to process. Default: the bundled sample portrait.")
  Path input;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = ".mp4/.mkv/.mov/.webm/.avi/.y4m for video, .png/.jpg for an image. Default: "
          + "vbackcam-render.png or .mp4 in the current directory.")
  Path output;

  @Option(names = "--size", paramLabel = "WxH", description = "Output size (width must be even). Default: the"
      + " input's size.")
  String size;

  @Option(names = "--frames", paramLabel = "N", description = "Stop after N frames.")
  long frames;

  @Option(names = "--keep-partial",
      description = "When stopped with Ctrl-C, keep the frames written so far in the output (by default the output"
          + " is left as it was).")
  boolean keepPartial;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
      description = "Inference engine: auto, onnxruntime or tensorflow.")
  String engine;

  @Mixin
  EffectOptions effect;

  /** The exit status after Ctrl-C, as shells report a program ended by SIGINT. */
  static final int INTERRUPTED = 130;

  @Override
  public Integer call() throws Exception {
    Path in = input != null ? input : Defaults.sample();
    // As the service does: a file whose read never returns (a hung network or FUSE mount) is named within 5 s, before
    // the pipeline's threads block on it for good, where not even Ctrl-C reaches them.
    FileReads.probe(in);
    ServiceControls.checkModelFiles(effect.model); // the background: EffectOptions.effect
    boolean still = FileTypes.isImage(in);
    Path out = output != null ? output : Path.of(still ? "vbackcam-render.png" : "vbackcam-render.mp4");
    VideoSize outSize = size != null ? VideoSize.parse(size) : null;
    Render.Job job = new Render.Job(in, out, outSize, effect.effect(), effect.mask(still), effect.model, frames,
        false);
    ModelCatalog catalog = Engines.catalog(engine);
    Progress progress = new Progress(System.err);
    LOG.info("Rendering {} with {} and model {} to {}", in, job.effect(), effect.model, out);
    Render render = new Render(job, catalog, progress);
    Signals.onInterrupt(render::stop);
    Render.Outcome outcome = render.run(keepPartial);
    progress.finish();
    long n = progress.frames();
    if (outcome == Render.Outcome.STOPPED) {
      LOG.info("Stopped by Ctrl-C after {} frame{}; {}", n, n == 1 ? "" : "s", keepPartial
          ? "kept them in " + out.toAbsolutePath() : out.toAbsolutePath() + " left as it was (--keep-partial keeps"
          + " them)");
      return INTERRUPTED;
    }
    double secs = progress.seconds();
    LOG.info(String.format(Locale.ROOT, "Rendered %d frame%s in %.1f s (%.1f fps) to %s", n, n == 1 ? "" : "s",
        secs, n / secs, out.toAbsolutePath()));
    return 0;
  }
}
