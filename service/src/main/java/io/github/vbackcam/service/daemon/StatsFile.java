package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.live.LiveStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** {@code vbackcam run --stats FILE}: the figures as {@code key=value} lines, replaced atomically each second. */
final class StatsFile {

  private final Path file;

  StatsFile(Path file) {
    this.file = file;
  }

  void write(LiveStatus s) throws IOException {
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    String text = String.format(Locale.ROOT, "state=%s%nfps=%.2f%nlatency_median_ms=%.2f%nlatency_p99_ms=%.2f%n"
        + "frames=%d%ndrops=%d%nconsumers=%d%ncpu_nanos=%d%nwall_nanos=%d%n", s.state().label(), s.fps(),
        s.latencyMs(), s.latencyP99Ms(), s.framesWritten(), s.drops(), s.consumers(), cpu, System.nanoTime());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
