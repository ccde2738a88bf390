package io.github.vbackcam.service.daemon;

import io.github.vbackcam.service.Defaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled backgrounds ({@link Defaults#backgrounds}) for the status, which is read every second, also while the
 * service idles: the folder is listed again only when its modification time changes (a file added, removed or
 * renamed), so a second's status costs one {@code stat} instead of a listing. Thread-safe.
 */
final class BundledBackgrounds {
  private static final Logger LOG = LoggerFactory.getLogger(BundledBackgrounds.class);

  private List<Path> listed = List.of();
  /** The folder's modification time at the last listing; null before the first and after a failed one. */
  private FileTime listedAt;

  /** The pictures in {@link Defaults#backgroundsDir}, sorted; empty where the folder cannot be read. */
  synchronized List<Path> list() {
    try {
      FileTime modified = Files.getLastModifiedTime(Defaults.backgroundsDir());
      if (!modified.equals(listedAt)) {
        listed = Defaults.backgrounds();
        listedAt = modified;
      }
    } catch (IOException e) {
      LOG.debug("cannot list backgrounds", e);
      listed = List.of();
      listedAt = null;
    }
    return listed;
  }
}
