package io.github.vbackcam.core.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The weightsManifest of a model.json: which weights each group holds, in which shard files. Each group's shards,
 * concatenated in order, hold its weights back to back in manifest order.
 */
final class ManifestReader {
  private static final Set<String> DTYPES = Set.of("float32", "int32", "bool");
  private static final Set<String> QUANTIZED = Set.of("uint8", "uint16", "float16");

  /** One weightsManifest group: its shard files and the bytes its weights need. */
  private record Group(List<Path> shards, long bytes) {}

  private final Path json;
  private final List<Group> groups;
  private final List<WeightSpec> specs;

  private ManifestReader(Path json, List<Group> groups, List<WeightSpec> specs) {
    this.json = json;
    this.groups = groups;
    this.specs = specs;
  }

  List<WeightSpec> specs() {
    return specs;
  }

  List<Path> shards() {
    return groups.stream().flatMap(g -> g.shards().stream()).toList();
  }

  static ManifestReader parse(Path json, JsonElement manifest) throws ModelFormatException {
    if (manifest == null || !manifest.isJsonArray()) {
      throw new ModelFormatException(json, "no weightsManifest array");
    }
    List<Group> groups = new ArrayList<>();
    List<WeightSpec> specs = new ArrayList<>();
    Path dir = json.toAbsolutePath().normalize().getParent();
    try {
      for (JsonElement groupElement : manifest.getAsJsonArray()) {
        JsonObject group = groupElement.getAsJsonObject();
        int index = groups.size();
        List<Path> shards = new ArrayList<>();
        for (JsonElement path : array(json, group, "paths", index)) {
          String relative = path.getAsString();
          Path shard = dir.resolve(relative).normalize();
          if (!shard.startsWith(dir)) {
            throw new ModelFormatException(json, "shard path '" + relative + "' leaves the model's directory");
          }
          shards.add(shard);
        }
        long offset = 0;
        for (JsonElement weightElement : array(json, group, "weights", index)) {
          WeightSpec spec = weight(json, weightElement.getAsJsonObject(), index, offset);
          specs.add(spec);
          offset += spec.byteLength();
        }
        groups.add(new Group(List.copyOf(shards), offset));
      }
    } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException
        | NullPointerException e) {
      // Gson's getAs* throw these when a field has the wrong JSON type; their messages quote the JSON.
      throw new ModelFormatException(json, "malformed weightsManifest: group " + groups.size()
          + " has a field of the wrong JSON type");
    }
    return new ManifestReader(json, List.copyOf(groups), List.copyOf(specs));
  }

  private static JsonArray array(Path json, JsonObject group, String field, int index) throws ModelFormatException {
    JsonElement element = group.get(field);
    if (element == null || !element.isJsonArray()) {
      throw new ModelFormatException(json, "weightsManifest group " + index + " has no '" + field + "' array");
    }
    return element.getAsJsonArray();
  }

  private static WeightSpec weight(Path json, JsonObject w, int group, long offset) throws ModelFormatException {
    if (!w.has("name") || !w.has("shape") || !w.has("dtype")) {
      throw new ModelFormatException(json, "weightsManifest group " + group + " has a weight without name, shape "
          + "or dtype");
    }
    String name = w.get("name").getAsString();
    JsonArray shapeJson = w.getAsJsonArray("shape");
    long[] shape = new long[shapeJson.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeJson.get(i).getAsLong();
      if (shape[i] < 0) {
        throw new ModelFormatException(json, "weight '" + name + "' has a negative dimension");
      }
    }
    String dtype = w.get("dtype").getAsString();
    if (!DTYPES.contains(dtype)) {
      throw new ModelFormatException(json, "weight '" + name + "' has unknown dtype '" + dtype
          + "' (supported: float32, int32, bool)");
    }
    WeightSpec.Quantization quantization = null;
    if (w.has("quantization")) {
      JsonObject q = w.getAsJsonObject("quantization");
      String stored = q.has("dtype") ? q.get("dtype").getAsString() : "";
      if (!QUANTIZED.contains(stored) || "bool".equals(dtype)) {
        throw new ModelFormatException(json, "weight '" + name + "' has unknown quantization dtype '" + stored
            + "' for " + dtype + " (supported: uint8, uint16, float16)");
      }
      boolean affine = !"float16".equals(stored);
      if (affine && (!q.has("min") || !q.has("scale"))) {
        throw new ModelFormatException(json, "weight '" + name + "' is " + stored + "-quantized without min/scale");
      }
      quantization = new WeightSpec.Quantization(stored, affine ? q.get("min").getAsDouble() : 0,
          affine ? q.get("scale").getAsDouble() : 1);
    }
    WeightSpec spec = new WeightSpec(name, shape, dtype, quantization, group, offset);
    if (spec.elementCount() > Integer.MAX_VALUE / 4) {
      throw new ModelFormatException(json, "weight '" + name + "' is too large: " + spec.elementCount());
    }
    return spec;
  }

  /**
   * Reads every group's shards into one buffer per group, after checking that each shard exists and that together
   * they hold exactly the bytes the manifest promises. Feeds the bytes to {@code digest}.
   */
  List<ByteBuffer> readGroups(MessageDigest digest) throws ModelFormatException {
    List<ByteBuffer> result = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      Group group = groups.get(g);
      long total = 0;
      StringBuilder sizes = new StringBuilder();
      for (Path shard : group.shards()) {
        if (!Files.isRegularFile(shard)) {
          throw new ModelFormatException(shard, "weight shard missing (listed in weightsManifest group " + g
              + " of " + json.getFileName() + ")");
        }
        long size = size(shard);
        total += size;
        sizes.append(sizes.length() == 0 ? "" : ", ").append(shard.getFileName()).append(" has ").append(size);
      }
      if (total != group.bytes()) {
        Path culprit = group.shards().isEmpty() ? json : group.shards().get(group.shards().size() - 1);
        throw new ModelFormatException(culprit, String.format(
            "weight shards of group %d hold %d bytes but %s's weightsManifest needs %d bytes (%s)%s", g, total,
            json.getFileName(), group.bytes(), sizes, total < group.bytes() ? ": truncated" : ": too long"));
      }
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(total));
      for (Path shard : group.shards()) {
        byte[] data = readShard(shard);
        if (data.length > bytes.remaining()) {
          throw new ModelFormatException(shard, "weight shard grew while being read");
        }
        digest.update(data);
        bytes.put(data);
      }
      if (bytes.hasRemaining()) {
        throw new ModelFormatException(json, "weight shards of group " + g + " changed while being read");
      }
      bytes.flip();
      result.add(bytes);
    }
    return result;
  }

  private static long size(Path shard) throws ModelFormatException {
    try {
      return Files.size(shard);
    } catch (IOException e) {
      throw new ModelFormatException(shard, "cannot read weight shard: " + e.getMessage(), e);
    }
  }

  private static byte[] readShard(Path shard) throws ModelFormatException {
    try {
      return OpenedFile.readAllBytes(shard, FileChecks.MAX_MODEL_SHARD_BYTES);
    } catch (IOException e) {
      throw new ModelFormatException(shard, "cannot read weight shard: " + e.getMessage(), e);
    }
  }
}
