package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OrtSession;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TF.js graph model converted for an {@link InferenceEngine} and loaded through DJL: a SavedModel in TensorFlow, or
 * an ONNX model in ONNX Runtime. One per process per model.
 *
 * <p>Thread-safe factory of predictors; a predictor itself is not thread-safe (one per pipeline thread). Feed a
 * predictor an {@link NDList} whose arrays are named after {@link #inputNames()} ({@code NDArray.setName}); unnamed
 * arrays are taken in the order of {@link #inputNames()}. Outputs carry their names ({@code NDList.get(name)}) and come
 * in the order of {@link #outputNames()}. Outputs live in the manager of the first input array.
 */
public final class GraphModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphModel.class);
  private static final String ONNX_FILE = "model.onnx";

  private final TfjsModel source;
  private final Model model;
  private final InferenceEngine engine;
  private final boolean fromCache;
  private final AutoCloseable resources;
  private final OrtSession session;

  private GraphModel(TfjsModel source, Loaded loaded, InferenceEngine engine, boolean fromCache) {
    this.source = source;
    this.model = loaded.model();
    this.resources = loaded.resources();
    this.session = loaded.session();
    this.engine = engine;
    this.fromCache = fromCache;
  }

  /** A loaded model, what must be closed after it, and its ONNX Runtime session (null in TensorFlow). */
  record Loaded(Model model, AutoCloseable resources, OrtSession session) {}

  /** Reads the model, converts it for TensorFlow (or takes the conversion from the cache) and loads it. */
  public static GraphModel load(Path modelJson, Device device, SessionOptions options) throws IOException {
    return load(modelJson, device, options, InferenceEngine.TENSORFLOW);
  }

  /**
   * Reads the model, converts it for {@code engine} (or takes the conversion from the cache) and loads it. ONNX
   * Runtime always runs on the CPU: its bundled natives have no GPU provider.
   */
  public static GraphModel load(Path modelJson, Device device, SessionOptions options, InferenceEngine engine)
      throws IOException {
    return load(TfjsModel.read(modelJson), device, options, engine);
  }

  /** {@link #load(Path, Device, SessionOptions, InferenceEngine)} for a model already read. */
  public static GraphModel load(TfjsModel source, Device device, SessionOptions options, InferenceEngine engine)
      throws IOException {
    if (engine == InferenceEngine.TENSORFLOW) {
      TfRuntime.start();
    }
    Path root = ModelCache.root();
    String entry = engine == InferenceEngine.TENSORFLOW ? source.contentHash()
        : source.contentHash() + "-" + OnnxConverter.VERSION;
    String file = engine == InferenceEngine.TENSORFLOW ? SavedModelWriter.FILE : ONNX_FILE;
    Path dir = ModelCache.lookup(root, entry, file);
    if (dir != null) {
      try {
        return new GraphModel(source, open(dir, device, options, engine), engine, true);
      } catch (IOException e) {
        LOG.warn("cached conversion {} does not load ({}); converting again", dir, e.getMessage());
        ModelCache.delete(dir);
      }
    }
    long start = System.nanoTime();
    dir = ModelCache.store(root, entry, file, tmp -> write(source, engine, tmp.resolve(file)));
    LOG.info("converted {} for {} to {} in {} ms", source.json(), engine.djlName(), dir,
        (System.nanoTime() - start) / 1_000_000);
    try {
      return new GraphModel(source, open(dir, device, options, engine), engine, false);
    } catch (IOException e) {
      ModelCache.delete(dir); // a conversion the engine refuses is no use to the next load either
      throw new ModelFormatException(source.json(),
          engine.djlName() + " rejects the converted graph: " + e.getMessage(), e);
    }
  }

  public List<String> inputNames() {
    return source.inputNames();
  }

  public List<String> outputNames() {
    return source.outputNames();
  }

  public InferenceEngine engine() {
    return engine;
  }

  public Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor(new NamedOutputs());
  }

  /**
   * A runner of this model's one image input and one image output without per-frame buffers, where the engine allows
   * it (ONNX Runtime); one per pipeline thread, closed by the caller before the model.
   */
  public Optional<InPlaceRun> inPlaceRun(String input, String output) {
    return session == null ? Optional.empty() : Optional.of(new InPlaceRun(session, input, output));
  }

  /**
   * Passes arrays through and names each output after {@link #outputNames()}: DJL's TensorFlow engine names them
   * itself, its OnnxRuntime engine returns them unnamed in the graph's output order, which is the same order.
   */
  private final class NamedOutputs extends NoopTranslator {
    @Override
    public NDList processOutput(ai.djl.translate.TranslatorContext ctx, NDList list) {
      List<String> names = outputNames();
      for (int i = 0; i < list.size() && i < names.size(); i++) {
        if (list.get(i).getName() == null) {
          list.get(i).setName(names.get(i));
        }
      }
      return list;
    }
  }

  /** The model-level manager: for arrays that live as long as the model (not per-frame arrays). */
  public NDManager manager() {
    return model.getNDManager();
  }

  /** Whether this load found the conversion in the cache. */
  boolean fromCache() {
    return fromCache;
  }

  @Override
  public void close() {
    model.close();
    try {
      resources.close();
    } catch (Exception e) {
      LOG.warn("closing {}: {}", source.json(), e.getMessage());
    }
  }

  private static void write(TfjsModel source, InferenceEngine engine, Path file) throws IOException {
    if (engine == InferenceEngine.TENSORFLOW) {
      SavedModelWriter.write(file.getParent(), source, GraphRewriter.rewrite(source, OpRegistry.get()));
      return;
    }
    OnnxModel onnx = OnnxConverter.convert(source, GraphRewriter.rewriteForOnnx(source));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      onnx.writeTo(out);
    }
  }

  private static Loaded open(Path dir, Device device, SessionOptions options, InferenceEngine engine)
      throws IOException {
    try {
      if (engine == InferenceEngine.ONNXRUNTIME) {
        return OrtSessions.load(dir.resolve(ONNX_FILE), options);
      }
      Criteria<NDList, NDList> criteria = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(dir)
          .optEngine(engine.djlName())
          .optDevice(device)
          .optOption("ConfigProto", options.toDjlOption())
          .optTranslator(new NoopTranslator())
          .build();
      return new Loaded(criteria.loadModel(), () -> { }, null);
    } catch (ModelNotFoundException | MalformedModelException | EngineException e) {
      // EngineException: the engine refused the graph while creating the session.
      throw new IOException(e.getMessage(), e);
    }
  }
}
