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
 * What counts as the same model is its content and engine, not its name: copies of one model.json under different
 * paths share one load (each handle still describes itself by the name it was opened with). When the last user
 * closes it, it stays loaded as one of the {@link #IDLE} most recently put down, and the one put down longest ago is
 * closed past that; taking one back from there forgets any recurrent memory first ({@link Segmenter#reset}). So at
 * most the models in use (one, two while the live engine swaps) and {@link #IDLE} more are ever loaded.
 */
final class SharedSegmenters {

  private static final Logger LOG = LoggerFactory.getLogger(SharedSegmenters.class);

  /** Idle models kept loaded: two alternated, plus the one a Reload or a mistaken SetModel tried. */
  static final int IDLE = 3;

  /**
   * A model as the user named it ({@code name}, which the description starts with), its content and its engine; two
   * keys of the same content and engine are the same load.
   */
  record Key(String name, String contentHash, String engine) {
    Loaded loaded() {
      return new Loaded(contentHash, engine);
    }
  }

  /**
   * What makes two loads the same. Its equals and hashCode are written out: a record's generated ones are bootstrapped
   * through method handles at their first call, which made the JVM generate (and then compile the generator of) 22
   * classes in every start and stop.
   */
  private record Loaded(String contentHash, String engine) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Loaded l && contentHash.equals(l.contentHash) && engine.equals(l.engine);
    }

    @Override
    public int hashCode() {
      return 31 * contentHash.hashCode() + engine.hashCode();
    }
  }

  /** A loaded segmenter, the name it was loaded under (its description starts with it) and its users. */
  private static final class Users {
    final Segmenter segmenter;
    final String name;
    int count = 1;

    Users(Segmenter segmenter, String name) {
      this.segmenter = segmenter;
      this.name = name;
    }
  }

  // Guarded by this.
  private final Map<Loaded, Users> inUse = new HashMap<>();
  /** Access order: the eldest entry is the one put down longest ago. */
  private final Map<Loaded, Users> idle = new LinkedHashMap<>(8, 0.75f, true);

  /** A handle on the loaded segmenter for {@code key}, in use or idle; null when none is loaded. */
  Segmenter reuse(Key key) {
    Users from;
    synchronized (this) {
      Users users = inUse.get(key.loaded());
      if (users != null) {
        users.count++;
        return new Handle(key, users);
      }
      from = idle.remove(key.loaded());
      if (from == null) {
        return null;
      }
      from.count = 1;
      inUse.put(key.loaded(), from);
    }
    from.segmenter.reset();
    return new Handle(key, from);
  }

  /** How many segmenters are loaded, in use or idle. */
  synchronized int loaded() {
    return inUse.size() + idle.size();
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
    Users users = new Users(loaded, key.name());
    synchronized (this) {
      inUse.put(key.loaded(), users);
    }
    return new Handle(key, users);
  }

  private void release(Key key) {
    Segmenter freed = null;
    synchronized (this) {
      Users users = inUse.get(key.loaded());
      if (--users.count > 0) {
        return;
      }
      inUse.remove(key.loaded());
      idle.put(key.loaded(), users);
      if (idle.size() > IDLE) {
        Iterator<Users> eldest = idle.values().iterator();
        freed = eldest.next().segmenter;
        eldest.remove();
      }
    }
    if (freed != null) {
      LOG.debug("freeing idle model {}", freed.describe());
      freed.close();
    }
  }

  /**
   * One user's view of a shared segmenter: everything is forwarded, the description names the model as this user
   * did, and close releases it once.
   */
  private final class Handle implements Segmenter {
    private final Key key;
    private final Segmenter inner;
    private final String loadedName;
    private boolean closed;

    Handle(Key key, Users users) {
      this.key = key;
      this.inner = users.segmenter;
      this.loadedName = users.name;
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
      String d = inner.describe();
      return d.startsWith(loadedName) ? key.name() + d.substring(loadedName.length()) : d;
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
