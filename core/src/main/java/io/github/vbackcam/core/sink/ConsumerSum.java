package io.github.vbackcam.core.sink;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Counts the consumers of several outputs as one (the v4l2loopback device and the PipeWire node): the engine idles
 * only while no output has any. The first count is reported once every part has reported its own.
 */
public final class ConsumerSum implements ConsumerMonitor {

  private final List<ConsumerMonitor> parts;
  private final int[] counts;
  private boolean started;

  public ConsumerSum(List<ConsumerMonitor> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no consumer monitors to sum");
    }
    this.parts = List.copyOf(parts);
    this.counts = new int[parts.size()];
  }

  @Override
  public String mode() {
    return parts.stream().map(ConsumerMonitor::mode).collect(Collectors.joining("; "));
  }

  @Override
  public void start(IntConsumer onChange) {
    for (int i = 0; i < parts.size(); i++) {
      int part = i;
      parts.get(i).start(count -> update(part, count, onChange));
    }
    synchronized (this) {
      started = true;
      onChange.accept(total());
    }
  }

  // Under the lock, so two parts changing at once cannot report their sums out of order.
  private synchronized void update(int part, int count, IntConsumer onChange) {
    counts[part] = Math.max(count, 0);
    if (started) {
      onChange.accept(total());
    }
  }

  private int total() {
    int sum = 0;
    for (int c : counts) {
      sum += c;
    }
    return sum;
  }

  @Override
  public void close() {
    parts.forEach(ConsumerMonitor::close);
  }
}
