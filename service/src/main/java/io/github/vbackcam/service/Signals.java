package io.github.vbackcam.service;

import sun.misc.Signal;

/**
 * Signal handling without the JVM's shutdown: the handler asks the work to stop, and the command returns its own exit
 * status once its output is in order. A second signal of the same kind ends the program at once.
 */
public final class Signals {

  private Signals() {}

  /** Calls {@code stop} on the first SIGINT (Ctrl-C); a second SIGINT exits 130 at once. */
  public static void onInterrupt(Runnable stop) {
    on("INT", 130, stop);
  }

  /** Calls {@code stop} on the first SIGTERM; a second SIGTERM exits 143 at once. */
  public static void onTerminate(Runnable stop) {
    on("TERM", 143, stop);
  }

  /**
   * Calls {@code stop} on the first SIGHUP (the terminal that started the service closed); a second exits 129 at
   * once. The JVM's default ends with status 129 in the middle of a frame.
   */
  public static void onHangup(Runnable stop) {
    on("HUP", 129, stop);
  }

  private static void on(String name, int status, Runnable stop) {
    boolean[] seen = {false};
    Signal.handle(new Signal(name), signal -> {
      synchronized (seen) {
        if (seen[0]) {
          Runtime.getRuntime().halt(status);
        }
        seen[0] = true;
      }
      stop.run();
    });
  }
}
