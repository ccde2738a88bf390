package io.github.vbackcam.core.tfjs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The models inside the jar (MediaPipe selfie and Google Meet segmentation, Apache-2.0). TensorFlow loads from
 * files, so a bundled model is copied once into the cache, under a folder named by its content hash.
 */
public final class BundledModels {

  private static final String ROOT = "/io/github/vbackcam/core/models/";

  /** Bundled model names, for help texts and the service's model list. */
  public static final List<String> NAMES = List.of("selfie", "meet");

  private BundledModels() {}

  public static boolean has(String name) {
    return BundledModels.class.getResource(ROOT + name + ".json") != null;
  }

  /** Copies the named model (json and weights) into the cache if needed and returns its model.json. */
  public static Path extract(String name) throws IOException {
    byte[] json = read(name + ".json");
    byte[] weights = read(name + ".bin");
    Path dir = ModelCache.root().resolve("bundled").resolve(name + "-" + hash(json, weights));
    Path jsonFile = dir.resolve(name + ".json");
    if (Files.isRegularFile(jsonFile) && Files.size(dir.resolve(name + ".bin")) == weights.length) {
      return jsonFile;
    }
    Files.createDirectories(dir.getParent());
    Path tmp = Files.createTempDirectory(dir.getParent(), name + ".tmp");
    Files.write(tmp.resolve(name + ".json"), json);
    Files.write(tmp.resolve(name + ".bin"), weights);
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // Another process extracted it first; theirs is identical.
      ModelCache.delete(tmp);
    }
    return jsonFile;
  }

  private static byte[] read(String file) throws IOException {
    try (InputStream in = BundledModels.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IOException("bundled model file " + file + " is missing from the jar (was the build's"
            + " fetch-models step skipped?)");
      }
      return in.readAllBytes();
    }
  }

  private static String hash(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        sha.update(p);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
