package io.github.vbackcam.core;

/**
 * Observes frames moving through a {@link Pipeline}: for progress lines, statistics and the service's status.
 * Methods are called from pipeline threads; they must be quick and must not throw.
 */
public abstract class EngineListener {

  public static final EngineListener NONE = new EngineListener() {};

  /** The source is open: how many frames it will produce (-1 when unknown or endless) and at what rate. */
  public void sourceOpened(FrameSource source, long frameCount) {}

  /** The source produced a frame. */
  public void frameStart(Frame frame) {}

  /** The sink wrote a frame; its step times and capture time are final. The frame is closed after this returns. */
  public void frameEnd(Frame frame) {}

  /** A frame was discarded before the sink, at the named place (a stage, or a queue in latest-frame mode). */
  public void frameDropped(long sequence, String where) {}

  /** The pipeline stopped because of an error in the named element. */
  public void failed(String where, Exception error) {}
}
