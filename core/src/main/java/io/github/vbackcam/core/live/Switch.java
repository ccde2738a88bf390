package io.github.vbackcam.core.live;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.Stage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pipeline slot whose stage can be replaced, or bypassed, while frames flow. A replacement takes effect on the
 * next frame, on the stage's own thread, where the stage it replaces is closed; bypass ("effect off") is a
 * passthrough, not a special case in the stage. A frame without a mask passes the compositor untouched (it can
 * happen for one frame while an effect is being switched back on).
 */
final class Switch implements Stage {

  private final String name;
  private final boolean needsMask;
  private final AtomicReference<Stage> pending = new AtomicReference<>();
  private volatile boolean bypass;
  private Stage current;

  Switch(String name, boolean needsMask) {
    this.name = name;
    this.needsMask = needsMask;
  }

  /** Uses {@code next} from the next frame on; the stage it replaces is closed by this switch. */
  void replace(Stage next) {
    Stage unused = pending.getAndSet(next);
    closeQuietly(unused);
  }

  void bypass(boolean on) {
    bypass = on;
  }

  boolean bypassed() {
    return bypass;
  }

  @Override
  public Frame apply(Frame in) throws Exception {
    Stage next = pending.getAndSet(null);
    if (next != null) {
      closeQuietly(current);
      current = next;
    }
    if (bypass || current == null || (needsMask && in.mask() == null)) {
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

  private static void closeQuietly(Stage stage) {
    if (stage != null) {
      try {
        stage.close();
      } catch (Exception ignored) {
        // Freeing native memory does not fail in a way the user can act on.
      }
    }
  }
}
