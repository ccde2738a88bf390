package io.github.vbackcam.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A place in the pipeline whose stage can be replaced, bypassed or reset while frames flow, from any thread. Every
 * request takes effect on the next frame, on the slot's own pipeline thread, so the stage itself never sees two
 * threads: a replacement closes the stage it replaces there, and a reset calls {@link Stage#reset} there. Bypass
 * ("effect off") is GStreamer's passthrough mode, not an {@code if} in the stage; an empty slot passes frames too.
 *
 * <p>The slot owns the stages given to it and closes them all in {@link #close}, which must come after the
 * pipeline has stopped.
 */
public final class StageSlot implements Stage {

  private static final Logger LOG = LoggerFactory.getLogger(StageSlot.class);

  private final String name;
  private final AtomicReference<Stage> pending = new AtomicReference<>();
  private final AtomicBoolean resetPending = new AtomicBoolean();
  private volatile boolean passthrough;
  private Stage current;

  public StageSlot(String name) {
    this.name = name;
  }

  /** Uses {@code next} (owned from now on) from the next frame; the stage it replaces is closed by this slot. */
  public void replace(Stage next) {
    closeQuietly(pending.getAndSet(next));
  }

  /** On: frames pass untouched (the stage stays, ready for when it is switched off again). */
  public void passthrough(boolean on) {
    passthrough = on;
  }

  public boolean passthrough() {
    return passthrough;
  }

  /** Asks the stage to forget what it carries from frame to frame before it sees the next frame. */
  public void reset() {
    resetPending.set(true);
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    Stage next = pending.getAndSet(null);
    if (next != null) {
      closeQuietly(current);
      current = next;
    }
    if (current != null && resetPending.getAndSet(false)) {
      current.reset();
    }
    if (passthrough || current == null) {
      return in;
    }
    return current.apply(in);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    closeQuietly(pending.getAndSet(null));
    closeQuietly(current);
    current = null;
  }

  private void closeQuietly(Stage stage) {
    if (stage != null) {
      try {
        stage.close();
      } catch (Exception e) {
        // Freeing native memory does not fail in a way the user can act on.
        LOG.debug("closing stage {} in slot {}", stage.name(), name, e);
      }
    }
  }
}
