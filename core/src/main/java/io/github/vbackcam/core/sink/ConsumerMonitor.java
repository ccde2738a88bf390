package io.github.vbackcam.core.sink;

import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Tells the live engine how many apps are reading the virtual camera, so it can close the real camera while no one
 * is. Implementations report the current count once when started and again on every change.
 */
public interface ConsumerMonitor extends AutoCloseable {

  /** How consumers are detected, for the log and the status: users need to know why the camera stays on. */
  String mode();

  /** Starts reporting; {@code onChange} gets the count from a monitor thread. */
  void start(IntConsumer onChange);

  @Override
  void close();

  /** Always one consumer: for file outputs and drivers without client-usage events. */
  static ConsumerMonitor alwaysWatched(String mode) {
    return fixed(1, mode);
  }

  /** A count that never changes: 1 for an output always read, 0 for one nobody can read (a missing device). */
  static ConsumerMonitor fixed(int count, String mode) {
    return new ConsumerMonitor() {
      @Override
      public String mode() {
        return mode;
      }

      @Override
      public void start(IntConsumer onChange) {
        onChange.accept(count);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A fake for tests and the benchmarks ({@code VBACKCAM_FAKE_CONSUMERS=FILE}): the count is the number written in
   * {@code file}; see {@link FileConsumerCount}.
   */
  static ConsumerMonitor fromFile(Path file) {
    return new FileConsumerCount(file);
  }
}
