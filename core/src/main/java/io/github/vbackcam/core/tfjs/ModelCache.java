package io.github.vbackcam.core.tfjs;

import io.github.vbackcam.core.XdgDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directories keyed by content hash under {@code $XDG_CACHE_HOME/vbackcam/models} (or {@code ~/.cache/...}; system
 * property {@code vbackcam.cache} overrides). An entry is written in a temporary sibling and renamed into place, so
 * readers never see half of one; each entry carries a checksum of its model file so a damaged one is rebuilt. A
 * TensorFlow SavedModel is cached under {@code <hash>/saved_model.pb}, an ONNX conversion under
 * {@code <hash>-<converter version>/model.onnx}, and a parsed model.json's graph under
 * {@code <hash of the json>-graph1/graph.pb}.
 */
final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final String CHECKSUM = ".sha256";

  /** Writes an entry's files into a fresh directory. */
  interface Writer {
    void write(Path dir) throws IOException;
  }

  private ModelCache() {}

  static Path root() {
    String override = System.getProperty("vbackcam.cache");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return XdgDirs.cache().resolve("models");
  }

  /**
   * The cached conversion in {@code entry} whose model is {@code file}, or null when there is none or it is damaged
   * (then it is removed).
   */
  static Path lookup(Path root, String entry, String file) throws IOException {
    Path dir = root.resolve(entry);
    if (!Files.isDirectory(dir)) {
      return null;
    }
    Path model = dir.resolve(file);
    Path checksum = dir.resolve(file + CHECKSUM);
    if (Files.isRegularFile(model) && Files.isRegularFile(checksum)
        && Files.readString(checksum, StandardCharsets.US_ASCII).trim().equals(sha256(model))) {
      return dir;
    }
    LOG.warn("cached model {} is damaged; converting again", dir);
    delete(dir);
    return null;
  }

  /** Writes an entry whose model is {@code file}, with its checksum, and moves it into place. */
  static Path store(Path root, String entry, String file, Writer writer) throws IOException {
    return store(root.resolve(entry), withChecksum(file, writer));
  }

  /**
   * {@link #store(Path, String, String, Writer)} without the temporary directory: for entries that only save time
   * when they are in the cache. Throws when the cache cannot be written.
   */
  static Path storeInCacheOnly(Path root, String entry, String file, Writer writer) throws IOException {
    return storeInCache(root.resolve(entry), withChecksum(file, writer));
  }

  private static Writer withChecksum(String file, Writer writer) {
    return dir -> {
      writer.write(dir);
      Files.writeString(dir.resolve(file + CHECKSUM), sha256(dir.resolve(file)) + "\n", StandardCharsets.US_ASCII);
    };
  }

  /**
   * Writes {@code target} atomically and returns it; when another process won the race, its entry is kept. A cache
   * that cannot be written (read-only, not ours, full) is named in one log line, and the entry is written into a
   * temporary directory instead, removed when the JVM exits: the model still runs, it is only converted again next
   * time. A writer that fails in the temporary directory too fails the call.
   */
  static Path store(Path target, Writer writer) throws IOException {
    try {
      return storeInCache(target, writer);
    } catch (FileSystemException | NoSpace e) {
      Path scratch = Files.createTempDirectory("vbackcam-model-");
      LOG.warn("cannot write the model cache {} ({}): using {} for this run", target.getParent(), reason(e), scratch);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          delete(scratch);
        } catch (IOException ignored) {
          // The temporary directory is the system's to clean now.
        }
      }, "vbackcam-model-scratch-cleanup"));
      writer.write(scratch);
      return scratch;
    }
  }

  /** ENOSPC while writing: Java reports it as a plain IOException with the system's message. */
  private static final class NoSpace extends IOException {
    NoSpace(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static String reason(IOException e) {
    return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
  }

  private static Path storeInCache(Path target, Writer writer) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".tmp-");
    try {
      try {
        writer.write(tmp);
      } catch (IOException e) {
        if (String.valueOf(e.getMessage()).contains("No space left on device")) {
          throw new NoSpace(e);
        }
        throw e;
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        LOG.debug("{} appeared while converting; keeping it", target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cache directory " + target.getParent() + " does not support atomic renames", e);
      }
      return target;
    } finally {
      if (Files.exists(tmp)) {
        delete(tmp);
      }
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(TfjsModel.sha256().digest(Files.readAllBytes(file)));
  }
}
