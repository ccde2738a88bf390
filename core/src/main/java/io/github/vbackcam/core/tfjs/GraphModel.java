package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.framework.GraphDef;

/**
 * A TF.js graph model converted to a SavedModel and loaded in TensorFlow through DJL; one per process per model.
 *
 * <p>Thread-safe factory of predictors; a predictor itself is not thread-safe (one per pipeline thread). Feed a
 * predictor an {@link NDList} whose arrays are named after {@link #inputNames()} ({@code NDArray.setName}); unnamed
 * arrays are taken in the order of {@link #inputNames()}. Outputs carry their names ({@code NDList.get(name)}) and come
 * in the order of {@link #outputNames()}. Outputs live in the manager of the first input array.
 */
public final class GraphModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphModel.class);

  private final TfjsModel source;
  private final ZooModel<NDList, NDList> model;
  private final boolean fromCache;

  private GraphModel(TfjsModel source, ZooModel<NDList, NDList> model, boolean fromCache) {
    this.source = source;
    this.model = model;
    this.fromCache = fromCache;
  }

  /** Reads the model, converts it (or takes the conversion from the cache) and loads it in TensorFlow. */
  public static GraphModel load(Path modelJson, Device device, SessionOptions options) throws IOException {
    TfRuntime.start();
    TfjsModel source = TfjsModel.read(modelJson);
    Path root = ModelCache.root();
    Path dir = ModelCache.lookupSavedModel(root, source.contentHash());
    if (dir != null) {
      try {
        return new GraphModel(source, open(dir, device, options), true);
      } catch (IOException e) {
        LOG.warn("cached conversion {} does not load ({}); converting again", dir, e.getMessage());
        ModelCache.delete(dir);
      }
    }
    dir = convert(source, root);
    try {
      return new GraphModel(source, open(dir, device, options), false);
    } catch (IOException e) {
      ModelCache.delete(dir); // a conversion TensorFlow refuses is no use to the next load either
      throw new ModelFormatException(modelJson, "TensorFlow rejects the converted graph: " + e.getMessage(), e);
    }
  }

  public List<String> inputNames() {
    return source.inputNames();
  }

  public List<String> outputNames() {
    return source.outputNames();
  }

  public Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor();
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
  }

  private static Path convert(TfjsModel source, Path root) throws IOException {
    long start = System.nanoTime();
    GraphDef graph = GraphRewriter.rewrite(source, OpRegistry.get());
    Path dir = ModelCache.storeSavedModel(root, source.contentHash(),
        tmp -> SavedModelWriter.write(tmp, source, graph));
    LOG.info("converted {} to {} in {} ms", source.json(), dir, (System.nanoTime() - start) / 1_000_000);
    return dir;
  }

  private static ZooModel<NDList, NDList> open(Path dir, Device device, SessionOptions options) throws IOException {
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(dir)
        .optEngine("TensorFlow")
        .optDevice(device)
        .optOption("ConfigProto", options.toDjlOption())
        .optTranslator(new NoopTranslator())
        .build();
    try {
      return criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | EngineException e) {
      // EngineException: TensorFlow refused the graph while creating the session.
      throw new IOException(e.getMessage(), e);
    }
  }
}
