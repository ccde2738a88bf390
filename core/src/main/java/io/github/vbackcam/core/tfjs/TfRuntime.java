package io.github.vbackcam.core.tfjs;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's TensorFlow engine so that each session's {@link SessionOptions} really decide its threads.
 *
 * <p>TensorFlow 2.10 runs every op on one process-wide intra-op pool, sized by whichever context creates a CPU device
 * first; with DJL that is the engine's own eager context, so a session's {@code intra_op_parallelism_threads} is
 * silently ignored (measured: loading with 1 or 6 threads added the same 2 native threads). Setting
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} before TensorFlow reads it makes each session build its own pool from its
 * ConfigProto (then 1 thread added 3 native threads, 6 added 8). TensorFlow reads the variable once, when the first
 * device is created, so this must run before anything else starts the engine; glibc's {@code setenv} is called
 * through JNA (which DJL already depends on) because Java cannot change its own environment.
 */
public final class TfRuntime {
  static final String OVERRIDE = "TF_OVERRIDE_GLOBAL_THREADPOOL";
  private static final Logger LOG = LoggerFactory.getLogger(TfRuntime.class);
  private static boolean started;

  private TfRuntime() {}

  /** Starts the engine with per-session thread pools; safe to call more than once. */
  public static synchronized void start() {
    if (started) {
      return;
    }
    if (System.getenv(OVERRIDE) == null) {
      try {
        int rc = NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {OVERRIDE, "1", 0});
        if (rc != 0) {
          LOG.warn("setenv({}) failed; models will share TensorFlow's global thread pool", OVERRIDE);
        }
      } catch (UnsatisfiedLinkError e) {
        LOG.warn("cannot call setenv ({}); models will share TensorFlow's global thread pool", e.getMessage());
      }
    }
    Engine.getEngine("TensorFlow");
    started = true;
  }
}
