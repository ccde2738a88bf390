package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.EngineListener;
import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for file rendering on stderr: rewritten in place on a terminal, a line every few seconds
 * otherwise (a log file should not fill with carriage returns).
 */
final class Progress extends EngineListener {

  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long total = -1;
  private long done;
  private long lastPrint = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
  }

  @Override
  public void sourceOpened(FrameSource source, long frameCount) {
    total = frameCount;
  }

  @Override
  public synchronized void frameEnd(Frame frame) {
    done++;
    long now = System.nanoTime();
    long interval = terminal ? 200_000_000L : 5_000_000_000L;
    if (now - lastPrint >= interval) {
      lastPrint = now;
      out.print((terminal ? "\r" : "") + line(now) + (terminal ? "" : "\n"));
      out.flush();
    }
  }

  synchronized long frames() {
    return done;
  }

  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Ends the in-place line so the summary starts on its own. */
  synchronized void finish() {
    if (terminal && lastPrint != 0) {
      out.print("\r" + line(System.nanoTime()) + "\n");
      out.flush();
    }
  }

  private String line(long now) {
    double secs = (now - start) / 1e9;
    double fps = done / Math.max(secs, 1e-9);
    if (total > 0) {
      double eta = (total - done) / Math.max(fps, 1e-9);
      return String.format(Locale.ROOT, "frame %d/%d (%.0f%%), %.1f fps, %.0f s left   ",
          done, total, 100.0 * done / total, fps, eta);
    }
    return String.format(Locale.ROOT, "frame %d, %.1f fps   ", done, fps);
  }
}
