package io.github.vbackcam.core;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.core.sink.NullSink;
import io.github.vbackcam.core.sink.Sinks;
import io.github.vbackcam.core.source.Sources;
import java.io.IOException;
import java.nio.file.Path;

/** Renders a file: the whole engine on a video or image, as fast as the machine allows, nothing dropped. */
public final class Render {

  /**
   * One rendering.
   *
   * @param output the file to write, or null to discard frames (the benchmark)
   * @param size output size, or null for the input's own (width rounded to even)
   * @param model the segmentation model, as named to the {@link SegmenterFactory}
   * @param maxFrames stop after this many frames (0: the whole input)
   * @param loopInput start the input again at its end (with maxFrames, for the benchmark)
   */
  public record Job(Path input, Path output, VideoSize size, Effect effect, MaskSettings mask, String model,
                    long maxFrames, boolean loopInput) {}

  private Render() {}

  /**
   * Runs the job: {@code Sources.open ──▶ }{@link EffectChain}{@code  ──▶ Sinks.open} (or a null sink), every frame
   * through every stage in order. With effect {@code none} no model is loaded and frames pass through.
   */
  public static void run(Job job, SegmenterFactory segmenters, EngineListener listener)
      throws IOException, PipelineException, InterruptedException {
    try (FrameSource source = Sources.open(job.input(), job.size(), job.loopInput());
         FrameSink sink = job.output() == null
             ? new NullSink()
             : Sinks.open(job.output(), source.size(), source.frameRate());
         EffectChain chain = new EffectChain(job.mask())) {
      if (!(job.effect() instanceof Effect.None)) {
        chain.useSegmenter(segmenters.open(job.model()));
      }
      chain.useEffect(job.effect());
      long frames = source.frameCount();
      listener.sourceOpened(source, job.maxFrames() > 0 && (frames < 0 || frames > job.maxFrames())
          ? job.maxFrames() : frames);
      chain.addTo(Pipeline.builder().source(source)).sink(sink).listener(listener).maxFrames(job.maxFrames())
          .build().run();
    }
  }
}
