package io.github.vbackcam.core.segment;

import io.github.vbackcam.core.Frame;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded segmenters by model, counted, so that opening a model again reuses the loaded one instead of loading it
 * again. A reload is not free: DJL 0.28's TensorFlow engine never frees a loaded bundle (fixed in DJL 0.29, which is
 * not a drop-in upgrade), so each real load of a TensorFlow model left about 2 native threads and 4-9 MB behind, and
 * switching between two models (SetModel, Reload) grew the service without bound.
 *
 * <p>A model in use is shared with whoever opens it again: in the live engine that is the stage being replaced and
 * its successor, which run in order on the same pipeline threads, as a stage's own prepare and segment steps do.
 * When the last user closes it, it stays loaded as one of the {@link #IDLE} most recently put down; taking it back
 * from there forgets any recurrent memory first ({@link Segmenter#reset}).
 */
final class SharedSegmenters {

  private static final Logger LOG = LoggerFactory.getLogger(SharedSegmenters.class);

  /** Idle models kept loaded: two alternated, plus the one a Reload or a mistaken SetModel tried. */
  static final int IDLE = 3;

  /** What makes two loads the same: the name shown (it is in the description), the content and the engine. */
  record Key(String name, String contentHash, String engine) {}

  private static final class Users {
    final Segmenter segmenter;
    int count = 1;

    Users(Segmenter segmenter) {
      this.segmenter = segmenter;
    }
  }

  // Guarded by this.
  private final Map<Key, Users> inUse = new HashMap<>();
  /** Access order: the eldest entry is the one put down longest ago. */
  private final Map<Key, Segmenter> idle = new LinkedHashMap<>(8, 0.75f, true);

  /** A handle on the loaded segmenter for {@code key}, in use or idle; null when none is loaded. */
  Segmenter reuse(Key key) {
    Segmenter from;
    synchronized (this) {
      Users users = inUse.get(key);
      if (users != null) {
        users.count++;
        return new Handle(key, users.segmenter);
      }
      from = idle.remove(key);
      if (from == null) {
        return null;
      }
      inUse.put(key, new Users(from));
    }
    from.reset();
    return new Handle(key, from);
  }

  /**
   * A handle on {@code loaded}, just loaded for {@code key}; closing the last handle keeps it idle. If another
   * thread loaded the same model meanwhile, that one is shared and {@code loaded} freed.
   */
  Segmenter add(Key key, Segmenter loaded) {
    Segmenter shared = reuse(key);
    if (shared != null) {
      loaded.close();
      return shared;
    }
    synchronized (this) {
      inUse.put(key, new Users(loaded));
    }
    return new Handle(key, loaded);
  }

  private void release(Key key) {
    Segmenter freed = null;
    synchronized (this) {
      Users users = inUse.get(key);
      if (--users.count > 0) {
        return;
      }
      inUse.remove(key);
      idle.put(key, users.segmenter);
      if (idle.size() > IDLE) {
        Iterator<Segmenter> eldest = idle.values().iterator();
        freed = eldest.next();
        eldest.remove();
      }
    }
    if (freed != null) {
      LOG.debug("freeing idle model {}", freed.describe());
      freed.close();
    }
  }

  /** One user's view of a shared segmenter: everything is forwarded, and close releases it once. */
  private final class Handle implements Segmenter {
    private final Key key;
    private final Segmenter inner;
    private boolean closed;

    Handle(Key key, Segmenter inner) {
      this.key = key;
      this.inner = inner;
    }

    @Override
    public Mat segment(Frame frame) throws Exception {
      return inner.segment(frame);
    }

    @Override
    public void prepare(Frame frame) {
      inner.prepare(frame);
    }

    @Override
    public void segmentToMask(Frame frame) throws Exception {
      inner.segmentToMask(frame);
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public void reset() {
      inner.reset();
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(key);
      }
    }
  }
}
