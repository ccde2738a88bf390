package io.github.vbackcam.core;

/**
 * A filter in the pipeline: one frame in, one frame out.
 *
 * <p>Ownership is transferred both ways ("transfer full" in GStreamer's words): {@link #apply} returns {@code in}
 * itself, or closes {@code in} and returns a new frame, or closes {@code in} and returns {@link Frame#DROPPED} when
 * there is no output this time. It never returns null. If it throws, it must not have closed {@code in}; the
 * pipeline closes it. {@link Pipeline} checks the contract and names the stage that broke it.
 */
public interface Stage extends AutoCloseable {

  Frame apply(Frame in) throws Exception;

  /** A short name for logs, timings and contract errors. */
  String name();

  /**
   * Forgets what the stage carries from frame to frame (a recurrent model's memory, the previous mask), because the
   * next frame does not follow the last one: the camera was reopened. Called on the stage's own thread, between
   * frames. The default carries nothing.
   */
  default void reset() {}

  /** Frees what the stage holds (models, background images). The default holds nothing. */
  @Override
  default void close() throws Exception {}
}
