package io.github.vbackcam.core.tfjs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.vbackcam.core.internal.BoundedJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models shipped inside the jar (selfie; see MODELS.md beside it). TensorFlow needs files, so a bundled
 * model is copied out of the classpath into the cache first, under a directory named by its content hash.
 */
public final class BundledModels {
  private static final String PREFIX = "/io/github/vbackcam/core/models/";

  /** The bundled models' names, for help texts and the service's model list. */
  public static final java.util.List<String> NAMES = java.util.List.of("selfie");

  private BundledModels() {}

  /**
   * Copies bundled model {@code name} (e.g. "selfie") with its shards to the cache, unless an identical copy is
   * already there, and returns the path of its model.json.
   */
  public static Path extract(String name) throws IOException {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("not a model name: " + name);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] json = resource(name + ".json");
    files.put(name + ".json", json);
    for (String shard : shardPaths(name, json)) {
      files.put(shard, resource(shard));
    }
    MessageDigest digest = TfjsModel.sha256();
    files.forEach((file, bytes) -> {
      digest.update(file.getBytes(StandardCharsets.UTF_8));
      digest.update(bytes);
    });
    Path dir = ModelCache.root().resolve("bundled").resolve(HexFormat.of().formatHex(digest.digest()));
    if (!matches(dir, files)) {
      ModelCache.delete(dir);
      dir = ModelCache.store(dir, tmp -> {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
          Files.write(tmp.resolve(file.getKey()), file.getValue());
        }
      });
    }
    return dir.resolve(name + ".json");
  }

  private static boolean matches(Path dir, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      if (!Files.isRegularFile(path) || Files.size(path) != file.getValue().length) {
        return false;
      }
    }
    return true;
  }

  private static Iterable<String> shardPaths(String name, byte[] json) throws IOException {
    try {
      JsonObject root = BoundedJson.parse(json).getAsJsonObject();
      java.util.List<String> paths = new java.util.ArrayList<>();
      for (JsonElement group : root.getAsJsonArray("weightsManifest")) {
        for (JsonElement path : group.getAsJsonObject().getAsJsonArray("paths")) {
          String shard = path.getAsString();
          if (!shard.matches("[A-Za-z0-9_.-]+") || shard.startsWith(".")) {
            throw new IOException("bundled model " + name + " names an odd shard path: " + shard);
          }
          paths.add(shard);
        }
      }
      return paths;
    } catch (BoundedJson.RefusedException | IllegalStateException | NullPointerException e) {
      throw new IOException("bundled model " + name + " has an unreadable model.json", e);
    }
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = BundledModels.class.getResourceAsStream(PREFIX + file)) {
      if (in == null) {
        throw new FileNotFoundException("no bundled model file " + PREFIX + file + " on the classpath");
      }
      return in.readAllBytes();
    }
  }
}
