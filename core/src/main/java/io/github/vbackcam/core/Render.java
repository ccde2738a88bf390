package io.github.vbackcam.core;

import io.github.vbackcam.core.composite.BackgroundSpec;
import io.github.vbackcam.core.composite.CompositeStage;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.SegmentStage;
import io.github.vbackcam.core.segment.Segmenter;
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
   * @param maxFrames stop after this many frames (0: the whole input)
   * @param loopInput start the input again at its end (with maxFrames, for the benchmark)
   */
  public record Job(Path input, Path output, VideoSize size, BackgroundSpec background, boolean hologram,
                    MaskSettings mask, long maxFrames, boolean loopInput) {}

  /** Opens segmenters: the caller decides which model and device. */
  @FunctionalInterface
  public interface SegmenterFactory {
    Segmenter open() throws IOException;
  }

  private Render() {}

  /**
   * Runs the job.
   *
   * <pre>
   *   Sources.open ──▶ prepare ──▶ SegmentStage ──▶ CompositeStage ──▶ Sinks.open
   *   (decode, scale)  (resize,    (model, mask)    (background)       (encode)
   *                    normalise)
   * </pre>
   *
   * With background mode {@code none} the frames go straight from source to sink.
   */
  public static void run(Job job, SegmenterFactory segmenters, EngineListener listener)
      throws IOException, PipelineException, InterruptedException {
    boolean passthrough = job.background().mode() == BackgroundSpec.Mode.NONE;
    try (FrameSource source = Sources.open(job.input(), job.size(), job.loopInput());
         FrameSink sink = job.output() == null
             ? new NullSink()
             : Sinks.open(job.output(), source.size(), source.frameRate());
         SegmentStage segment = passthrough ? null : new SegmentStage(segmenters.open(), job.mask());
         CompositeStage composite = passthrough ? null
             : new CompositeStage(job.background().open(), job.hologram())) {
      long frames = source.frameCount();
      listener.sourceOpened(source, job.maxFrames() > 0 && (frames < 0 || frames > job.maxFrames())
          ? job.maxFrames() : frames);
      Pipeline.Builder pipeline = Pipeline.builder().source(source).sink(sink).listener(listener)
          .maxFrames(job.maxFrames());
      if (!passthrough) {
        pipeline.stage(segment.prepareStage()).stage(segment).stage(composite);
      }
      pipeline.build().run();
    }
  }

}
