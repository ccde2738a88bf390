package io.github.vbackcam.core;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.internal.OutputFile;
import io.github.vbackcam.core.segment.MaskSettings;
import io.github.vbackcam.core.segment.SegmenterFactory;
import io.github.vbackcam.core.sink.NullSink;
import io.github.vbackcam.core.sink.Sinks;
import io.github.vbackcam.core.source.Sources;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a file: the whole engine on a video or image, as fast as the machine allows, nothing dropped.
 *
 * <p>The output never costs the user data: an output that is the input (by name, symbolic or hard link) is refused
 * before anything is opened; frames go to a temporary file beside the output, which replaces the output only when
 * the render completes, so a failed or stopped render leaves any earlier file as it was.
 */
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

  /** How a render ended: every frame written, or stopped early by {@link #stop}. */
  public enum Outcome { COMPLETE, STOPPED }

  private final Job job;
  private final SegmenterFactory segmenters;
  private final EngineListener listener;
  private final Object lock = new Object();
  private boolean stopped; // guarded by lock
  private Pipeline pipeline; // guarded by lock

  public Render(Job job, SegmenterFactory segmenters, EngineListener listener) {
    this.job = job;
    this.segmenters = segmenters;
    this.listener = listener;
  }

  /** Runs a job to its end; see {@link #run()}. */
  public static void run(Job job, SegmenterFactory segmenters, EngineListener listener)
      throws IOException, PipelineException, InterruptedException {
    new Render(job, segmenters, listener).run();
  }

  /**
   * Runs the job: {@code Sources.open ──▶ }{@link EffectChain}{@code  ──▶ Sinks.open} (or a null sink), every frame
   * through every stage in order. With effect {@code none} no model is loaded and frames pass through. The output
   * is opened last, once the input and the model have opened.
   *
   * @param keepPartial on {@link #stop}, keep what was written in the output (else it is left untouched)
   */
  public Outcome run(boolean keepPartial) throws IOException, PipelineException, InterruptedException {
    OutputFile out = job.output() == null ? null : OutputFile.beside(job.input(), job.output());
    boolean complete = false;
    try {
      Outcome outcome = render(out);
      complete = outcome == Outcome.COMPLETE;
      if (out != null && (complete || keepPartial)) {
        out.commit();
      }
      return outcome;
    } finally {
      if (out != null && !complete) {
        out.discard();
      }
    }
  }

  /** {@link #run(boolean)} without keeping a partial output. */
  public Outcome run() throws IOException, PipelineException, InterruptedException {
    return run(false);
  }

  /** Ends the render after the frames in flight; safe from any thread (a signal handler), before or during run. */
  public void stop() {
    synchronized (lock) {
      stopped = true;
      if (pipeline != null) {
        pipeline.stop();
      }
    }
  }

  private Outcome render(OutputFile out) throws IOException, PipelineException, InterruptedException {
    try (FrameSource source = Sources.open(job.input(), job.size(), job.loopInput());
         EffectChain chain = new EffectChain(job.mask())) {
      if (!(job.effect() instanceof Effect.None)) {
        chain.useSegmenter(segmenters.open(job.model()));
      }
      chain.useEffect(job.effect());
      try (FrameSink sink = out == null ? new NullSink() : Sinks.open(out.temporary(), source.size(),
          source.frameRate())) {
        long frames = source.frameCount();
        listener.sourceOpened(source, job.maxFrames() > 0 && (frames < 0 || frames > job.maxFrames())
            ? job.maxFrames() : frames);
        Pipeline built = chain.addTo(Pipeline.builder().source(source)).sink(sink).listener(listener)
            .maxFrames(job.maxFrames()).build();
        synchronized (lock) {
          if (stopped) {
            return Outcome.STOPPED;
          }
          pipeline = built;
        }
        built.run();
        synchronized (lock) {
          if (!stopped) {
            sink.endAt(source.endMicros()); // the last frame keeps its own duration
          }
        }
      }
    }
    synchronized (lock) {
      return stopped ? Outcome.STOPPED : Outcome.COMPLETE;
    }
  }
}
