package io.github.vbackcam.service.daemon;

import io.github.vbackcam.service.Defaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled backgrounds ({@link Defaults#backgrounds}) for the status, which is read every second, also while the
 * service idles: the folder is listed again only when it changes, so a second's status costs one {@code stat}
 * instead of a listing. A change is a new modification time (a file added, removed or renamed) or a new folder in
 * its place (an update that replaced it, whatever its time). As git does with its index, a listing made within
 * {@link #SETTLING} of the folder's last modification is not trusted: a directory's time may advance only every few
 * milliseconds, so a second change in that tick would leave no trace. Thread-safe.
 */
final class BundledBackgrounds {
  private static final Logger LOG = LoggerFactory.getLogger(BundledBackgrounds.class);
  static final Duration SETTLING = Duration.ofSeconds(2);

  /** What identifies one state of the folder. */
  private record Version(Object folder, FileTime modified) {}

  private List<Path> listed = List.of();
  /** The folder's state at the last trusted listing; null: list it again. */
  private Version listedAt;

  /** The pictures in {@link Defaults#backgroundsDir}, sorted; empty where the folder is missing or unreadable. */
  synchronized List<Path> list() {
    try {
      BasicFileAttributes folder = Files.readAttributes(Defaults.backgroundsDir(), BasicFileAttributes.class);
      Version now = new Version(folder.fileKey(), folder.lastModifiedTime());
      if (!now.equals(listedAt)) {
        listed = Defaults.backgrounds();
        boolean settled = now.modified().toInstant().isBefore(Instant.now().minus(SETTLING));
        listedAt = settled ? now : null;
      }
    } catch (IOException e) {
      if (!(e instanceof NoSuchFileException)) { // a missing folder is no news every second
        LOG.debug("cannot list backgrounds", e);
      }
      listed = List.of();
      listedAt = null;
    }
    return listed;
  }
}
