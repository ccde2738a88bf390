package io.github.vbackcam.core.tfjs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.github.vbackcam.core.internal.BoundedJson;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.framework.AttrValue;
import org.tensorflow.proto.framework.DataType;
import org.tensorflow.proto.framework.GraphDef;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.TensorProto;
import org.tensorflow.proto.framework.TensorShapeProto;

/**
 * A parsed, validated TF.js graph model: graph, dequantized weights, input and output names.
 *
 * <p>Inputs and outputs come from the model's {@code signature} when it has one (its keys, minus a {@code ":0"}
 * suffix, are the names); otherwise the inputs are the Placeholders and the outputs the nodes nothing consumes. Both
 * lists are sorted by name, which is also the order DJL returns outputs in.
 */
public final class TfjsModel {
  /**
   * Bumped whenever the conversion changes, so cached SavedModels made by an older converter are not reused.
   * It is part of {@link #contentHash()}.
   */
  static final String CONVERTER_VERSION = "vbackcam-tfjs-1";

  /** The cache entry of a parsed graph is {@code <sha256 of model.json>-graph1/graph.pb}. */
  private static final String GRAPH_CACHE = "graph1";
  private static final String GRAPH_FILE = "graph.pb";
  private static final Logger LOG = LoggerFactory.getLogger(TfjsModel.class);


  /**
   * A model input or output.
   *
   * @param name what callers use: the NDArray name to feed, the name an output carries
   * @param tensor the graph tensor behind it, {@code node:index}
   */
  public record Endpoint(String name, String tensor, DataType dtype, TensorShapeProto shape) {
    /** The node producing the tensor. */
    public String node() {
      int colon = tensor.lastIndexOf(':');
      return colon < 0 ? tensor : tensor.substring(0, colon);
    }
  }

  private final Path json;
  private final GraphDef graph;
  private final List<WeightSpec> weightSpecs;
  private final List<Path> shards;
  /** The shards' bytes by weight group, until {@link #weights()} decodes them; empty for {@link #readTopology}. */
  private List<ByteBuffer> groups;
  private Map<String, TensorProto> weights;
  private final List<Endpoint> inputs;
  private final List<Endpoint> outputs;
  private final String contentHash;

  private TfjsModel(Path json, GraphDef graph, List<WeightSpec> weightSpecs, List<Path> shards,
      List<ByteBuffer> groups, List<Endpoint> inputs, List<Endpoint> outputs, String contentHash) {
    this.json = json;
    this.graph = graph;
    this.weightSpecs = List.copyOf(weightSpecs);
    this.shards = List.copyOf(shards);
    this.groups = List.copyOf(groups);
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.contentHash = contentHash;
  }

  /** Reads model.json and its weight shards, validating everything. */
  public static TfjsModel read(Path modelJson) throws ModelFormatException {
    return parse(modelJson, true);
  }

  /**
   * Reads and validates model.json (topology, manifest, signature) without touching the shards: for inspecting a
   * model whose weights are not at hand. The result has no {@link #weights()} and its hash covers the json only.
   */
  public static TfjsModel readTopology(Path modelJson) throws ModelFormatException {
    return parse(modelJson, false);
  }

  public List<String> inputNames() {
    return inputs.stream().map(Endpoint::name).toList();
  }

  public List<String> outputNames() {
    return outputs.stream().map(Endpoint::name).toList();
  }

  /** sha256 over the converter version, model.json and the shards: the conversion cache key. */
  public String contentHash() {
    return contentHash;
  }

  public Path json() {
    return json;
  }

  public List<Endpoint> inputs() {
    return inputs;
  }

  public List<Endpoint> outputs() {
    return outputs;
  }

  /** The graph as TF.js stores it: Const nodes carry dtype and shape but no values. */
  public GraphDef graph() {
    return graph;
  }

  public List<WeightSpec> weightSpecs() {
    return weightSpecs;
  }

  /** The weight shard files the manifest lists, in order, resolved beside model.json (they may not exist yet). */
  public List<Path> shardFiles() {
    return shards;
  }

  /**
   * Dequantized values of every Const, by node name; empty for {@link #readTopology}. Decoded on the first call,
   * not by {@link #read}: a start with the conversion cached never needs them, and decoding them (a float16 model's
   * every value through {@link Float16}) was start-up CPU spent for nothing. The shards were read, hashed and their
   * sizes checked against the manifest by {@link #read}, so decoding cannot fail.
   */
  public synchronized Map<String, TensorProto> weights() {
    if (weights == null) {
      Map<String, TensorProto> decoded = new LinkedHashMap<>();
      if (!groups.isEmpty()) {
        for (WeightSpec spec : weightSpecs) {
          decoded.put(spec.name(), WeightDecoder.decode(spec, groups.get(spec.group())));
        }
      }
      weights = Collections.unmodifiableMap(decoded);
      groups = List.of();
    }
    return weights;
  }

  private static TfjsModel parse(Path json, boolean readShards) throws ModelFormatException {
    byte[] jsonBytes;
    try {
      jsonBytes = OpenedFile.readAllBytes(json, FileChecks.MAX_MODEL_JSON_BYTES);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(json, "model file missing");
    } catch (IOException e) {
      throw new ModelFormatException(json, "cannot read model file: " + e.getMessage(), e);
    }
    JsonElement element;
    try {
      element = BoundedJson.parse(jsonBytes);
    } catch (BoundedJson.RefusedException e) {
      throw new ModelFormatException(json, e.getMessage());
    }
    if (!element.isJsonObject()) {
      throw new ModelFormatException(json, "not a TF.js model: the JSON is not an object");
    }
    JsonObject root = element.getAsJsonObject();
    JsonElement format = root.get("format");
    if (format != null && !(format.isJsonPrimitive() && "graph-model".equals(format.getAsString()))) {
      throw new ModelFormatException(json, (format.isJsonPrimitive() ? "format '" + format.getAsString() + "'"
          : "a format that is not a string") + " is not supported, only graph-model");
    }
    if (!root.has("modelTopology") || !root.get("modelTopology").isJsonObject()) {
      throw new ModelFormatException(json, "no modelTopology object");
    }
    GraphDef graph = parseGraph(json, jsonBytes, root.getAsJsonObject("modelTopology"));
    ManifestReader manifest = ManifestReader.parse(json, root.get("weightsManifest"));
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (NodeDef node : graph.getNodeList()) {
      if (nodes.put(node.getName(), node) != null) {
        throw new ModelFormatException(json, "node '" + node.getName() + "' is defined twice");
      }
    }
    checkConstsHaveWeights(json, graph, manifest.specs());

    List<Endpoint> inputs;
    List<Endpoint> outputs;
    JsonObject signature = root.has("signature") && root.get("signature").isJsonObject()
        ? root.getAsJsonObject("signature") : null;
    if (signature != null && signature.has("inputs") && signature.has("outputs")) {
      try {
        inputs = endpoints(json, signature.getAsJsonObject("inputs"), nodes, "signature input");
        outputs = endpoints(json, signature.getAsJsonObject("outputs"), nodes, "signature output");
      } catch (IllegalStateException | UnsupportedOperationException | ClassCastException e) {
        // Gson's getAs* throw these when a field has the wrong JSON type; their messages quote the JSON.
        throw new ModelFormatException(json, "malformed signature: a field has the wrong JSON type");
      }
    } else {
      inputs = placeholders(graph);
      outputs = sinks(graph);
    }
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new ModelFormatException(json, "the graph has no " + (inputs.isEmpty() ? "inputs" : "outputs"));
    }

    MessageDigest digest = sha256();
    digest.update(CONVERTER_VERSION.getBytes(StandardCharsets.UTF_8));
    digest.update(jsonBytes);
    List<ByteBuffer> groups = readShards ? manifest.readGroups(digest) : List.of();
    return new TfjsModel(json, graph, manifest.specs(), manifest.shards(), groups, inputs, outputs,
        HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * The graph from {@code modelTopology}. Reading it as JSON (protobuf's JsonFormat, all reflection) was the largest
   * part of reading a model at start-up, about 150 ms of CPU on a cold JVM; its binary form parses in a few, so it is
   * cached under the json's hash ({@link ModelCache}) and read from there next time.
   */
  private static GraphDef parseGraph(Path json, byte[] jsonBytes, JsonObject topology) throws ModelFormatException {
    Path root = ModelCache.root();
    String entry = HexFormat.of().formatHex(sha256().digest(jsonBytes)) + "-" + GRAPH_CACHE;
    try {
      Path cached = ModelCache.lookup(root, entry, GRAPH_FILE);
      if (cached != null) {
        return GraphDef.parseFrom(Files.readAllBytes(cached.resolve(GRAPH_FILE)));
      }
    } catch (IOException e) {
      LOG.debug("cached graph of {} unreadable; parsing the json", json, e);
    }
    GraphDef.Builder graph = GraphDef.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(topology.toString(), graph);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFormatException(json, "modelTopology is not a TensorFlow GraphDef: " + e.getMessage(), e);
    }
    if (graph.getNodeCount() == 0) {
      throw new ModelFormatException(json, "modelTopology has no nodes");
    }
    GraphDef built = graph.build();
    try {
      ModelCache.storeInCacheOnly(root, entry, GRAPH_FILE,
          dir -> Files.write(dir.resolve(GRAPH_FILE), built.toByteArray()));
    } catch (IOException e) {
      LOG.debug("not caching the graph of {}", json, e);
    }
    return built;
  }

  private static void checkConstsHaveWeights(Path json, GraphDef graph, List<WeightSpec> specs)
      throws ModelFormatException {
    Set<String> named = new HashSet<>();
    for (WeightSpec spec : specs) {
      if (!named.add(spec.name())) {
        throw new ModelFormatException(json, "weight '" + spec.name() + "' appears twice in weightsManifest");
      }
    }
    for (NodeDef node : graph.getNodeList()) {
      if ("Const".equals(node.getOp()) && !named.contains(node.getName()) && !hasInlineValue(node)) {
        throw new ModelFormatException(json, "Const node '" + node.getName() + "' has no weight in weightsManifest");
      }
    }
  }

  private static boolean hasInlineValue(NodeDef node) {
    AttrValue value = node.getAttrOrDefault("value", null);
    if (value == null || !value.hasTensor()) {
      return false;
    }
    TensorProto t = value.getTensor();
    return !t.getTensorContent().isEmpty() || t.getFloatValCount() > 0 || t.getIntValCount() > 0
        || t.getBoolValCount() > 0 || t.getInt64ValCount() > 0 || t.getDoubleValCount() > 0
        || t.getStringValCount() > 0 || t.getHalfValCount() > 0;
  }

  private static List<Endpoint> endpoints(Path json, JsonObject entries, Map<String, NodeDef> nodes, String what)
      throws ModelFormatException {
    List<Endpoint> result = new ArrayList<>();
    for (Map.Entry<String, JsonElement> entry : entries.entrySet()) {
      JsonObject info = entry.getValue().getAsJsonObject();
      String tensor = info.has("name") ? info.get("name").getAsString() : entry.getKey();
      if (!tensor.contains(":")) {
        tensor += ":0";
      }
      String name = entry.getKey().replaceFirst(":\\d+$", "");
      DataType dtype = DataType.DT_FLOAT;
      if (info.has("dtype")) {
        try {
          dtype = DataType.valueOf(info.get("dtype").getAsString());
        } catch (IllegalArgumentException e) {
          throw new ModelFormatException(json, what + " '" + name + "' has unknown dtype " + info.get("dtype"));
        }
      }
      TensorShapeProto shape;
      try {
        shape = info.has("tensorShape") ? shape(info.getAsJsonObject("tensorShape"))
            : TensorShapeProto.newBuilder().setUnknownRank(true).build();
      } catch (RuntimeException e) { // not an object, a dim not an object, a size not a number
        throw new ModelFormatException(json, what + " '" + name + "' has a bad tensorShape", e);
      }
      Endpoint endpoint = new Endpoint(name, tensor, dtype, shape);
      if (!nodes.containsKey(endpoint.node())) {
        throw new ModelFormatException(json, what + " '" + name + "' names node '" + endpoint.node()
            + "', which is not in the graph");
      }
      result.add(endpoint);
    }
    result.sort(Comparator.comparing(Endpoint::name));
    return result;
  }

  /**
   * A TensorShapeProto in its JSON form ({@code {"dim": [{"size": "1"}, ...]}}, sizes as strings or numbers, -1 for
   * unknown), read by hand: JsonFormat would cost a cold start its warm-up for these few fields.
   */
  private static TensorShapeProto shape(JsonObject json) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    if (json.has("unknownRank")) {
      shape.setUnknownRank(json.get("unknownRank").getAsBoolean());
    }
    if (json.has("dim")) {
      for (JsonElement element : json.getAsJsonArray("dim")) {
        JsonObject dim = element.getAsJsonObject();
        shape.addDimBuilder()
            .setSize(dim.has("size") ? dim.get("size").getAsLong() : 0)
            .setName(dim.has("name") ? dim.get("name").getAsString() : "");
      }
    }
    return shape.build();
  }

  private static List<Endpoint> placeholders(GraphDef graph) {
    List<Endpoint> result = new ArrayList<>();
    for (NodeDef node : graph.getNodeList()) {
      if ("Placeholder".equals(node.getOp())) {
        AttrValue shape = node.getAttrOrDefault("shape", null);
        result.add(new Endpoint(node.getName(), node.getName() + ":0",
            node.getAttrOrDefault("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).getType(),
            shape != null && shape.hasShape() ? shape.getShape()
                : TensorShapeProto.newBuilder().setUnknownRank(true).build()));
      }
    }
    result.sort(Comparator.comparing(Endpoint::name));
    return result;
  }

  /** Nodes no other node consumes (by data or control edge), except Consts and NoOps, which yield nothing. */
  private static List<Endpoint> sinks(GraphDef graph) {
    Set<String> consumed = new HashSet<>();
    for (NodeDef node : graph.getNodeList()) {
      for (String input : node.getInputList()) {
        consumed.add(nodeName(input));
      }
    }
    List<Endpoint> result = new ArrayList<>();
    for (NodeDef node : graph.getNodeList()) {
      String op = node.getOp();
      if (!consumed.contains(node.getName()) && !op.equals("Const") && !op.equals("NoOp")
          && !op.equals("Placeholder")) {
        AttrValue t = node.getAttrOrDefault("T", null);
        result.add(new Endpoint(node.getName(), node.getName() + ":0", t == null ? DataType.DT_FLOAT : t.getType(),
            TensorShapeProto.newBuilder().setUnknownRank(true).build()));
      }
    }
    result.sort(Comparator.comparing(Endpoint::name));
    return result;
  }

  /** The node an input string refers to: strips a control marker {@code ^} and an output index {@code :n}. */
  static String nodeName(String input) {
    String name = input.startsWith("^") ? input.substring(1) : input;
    int colon = name.lastIndexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
