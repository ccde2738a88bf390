package io.github.vbackcam.core.segment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.inference.Predictor;
import io.github.vbackcam.core.XdgDirs;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.tfjs.BundledModels;
import io.github.vbackcam.core.tfjs.GraphModel;
import io.github.vbackcam.core.tfjs.InferenceEngine;
import io.github.vbackcam.core.tfjs.ModelFormatException;
import io.github.vbackcam.core.tfjs.SessionOptions;
import io.github.vbackcam.core.tfjs.TfjsModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.framework.NodeDef;
import org.tensorflow.proto.framework.TensorShapeProto;

/**
 * Resolves what a user names with {@code --model} and opens a segmenter for it: {@code selfie} (bundled, the
 * default), {@code meet}, {@code rvm} and {@code bodypix} (installed with {@code vbackcam models fetch}),
 * or the path of any supported TF.js {@code model.json}. The family is recognised from the graph itself: BodyPix by
 * its {@code float_segments} output, RVM by its recurrent inputs, and single-image models by their input and output
 * shapes.
 */
public final class ModelCatalog implements SegmenterFactory {

  public static final String DEFAULT = "selfie";
  /** Models a user installs with {@code vbackcam models fetch NAME}. */
  public static final List<String> INSTALLABLE = List.of("meet", "rvm", "bodypix");
  /** Every model a user can name: the bundled ones, then the installable ones. */
  public static final List<String> NAMES =
      java.util.stream.Stream.concat(BundledModels.NAMES.stream(), INSTALLABLE.stream()).toList();
  /** "selfie, meet, rvm, bodypix or the path of a TF.js model.json": what {@code --model} takes, for messages. */
  public static final String CHOICES = String.join(", ", NAMES) + " or the path of a TF.js model.json";

  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

  private final List<Path> installDirs;
  private final ComputeDevice device;
  private final SessionOptions session;
  private final EngineChoice engine;
  private final SharedSegmenters loaded = new SharedSegmenters();

  /** A catalog on the engine {@code auto} chooses for {@code device}. */
  public ModelCatalog(List<Path> installDirs, ComputeDevice device, SessionOptions session) {
    this(installDirs, device, session, EngineChoice.decide("auto", device));
  }

  /**
   * @param installDirs where installed models live, in priority order, each holding {@code meet/}, {@code rvm/}
   *     and {@code bodypix/} folders
   * @param engine the engine for every model that converts to it; RVM always runs in TensorFlow
   */
  public ModelCatalog(List<Path> installDirs, ComputeDevice device, SessionOptions session, EngineChoice engine) {
    this.installDirs = List.copyOf(installDirs);
    this.device = device;
    this.session = session;
    this.engine = engine;
  }

  public EngineChoice engine() {
    return engine;
  }

  /** Where models are installed by default: {@code -Dvbackcam.models}, then the XDG data dir, then the system's. */
  public static List<Path> defaultInstallDirs() {
    List<Path> dirs = new ArrayList<>();
    String configured = System.getProperty("vbackcam.models");
    if (configured != null) {
      Stream.of(configured.split(":")).filter(s -> !s.isBlank()).map(Path::of).forEach(dirs::add);
    }
    dirs.add(userInstallDir());
    dirs.add(Path.of("/usr/share/vbackcam/models"));
    return dirs;
  }

  /** Where {@code vbackcam models fetch} installs: {@code $XDG_DATA_HOME/vbackcam/models}. */
  public static Path userInstallDir() {
    return XdgDirs.data().resolve("models");
  }

  /** The model.json a name or path stands for; the message says how to install a missing model. */
  public Path locate(String spec) throws IOException {
    if (spec == null || spec.isBlank()) {
      spec = DEFAULT;
    }
    if (BundledModels.NAMES.contains(spec)) {
      return BundledModels.extract(spec);
    }
    if (INSTALLABLE.contains(spec)) {
      for (Path dir : installDirs) {
        Path json = findJson(dir.resolve(spec));
        if (json != null) {
          return json;
        }
      }
      throw new NoSuchFileException(spec, null, "model '" + spec + "' is not installed: run 'vbackcam models fetch "
          + spec + "'" + switch (spec) {
            case "rvm" -> " (its weights are GPL-3.0, so it is not bundled)";
            case "meet" -> " (Google has not settled its license, so it is not bundled)";
            default -> "";
          });
    }
    Path path = Path.of(spec);
    if (Files.isDirectory(path)) {
      Path json = findJson(path);
      if (json == null) {
        throw new NoSuchFileException(spec, null, "no model .json in this directory");
      }
      return json;
    }
    if (!Files.exists(path)) {
      // A path (a '/' or a .json) names a file that is not there; a bare word, a model we do not know.
      boolean isPath = spec.contains("/") || spec.endsWith(".json");
      throw new NoSuchFileException(spec, null, isPath ? "no such file" : "unknown model: expected " + CHOICES);
    }
    return path;
  }

  /**
   * Opens a segmenter for the model; fails with a message naming the model if it is not a supported kind. A model
   * in use or put down recently with the same name, content and engine is reused, not loaded again (see
   * {@link SharedSegmenters} for why).
   */
  @Override
  public Segmenter open(String spec) throws IOException {
    Path json = locate(spec);
    String name = spec == null || spec.isBlank() ? DEFAULT : spec;
    // Read once: parsing the graph is a good part of a cold start, so the same reading serves the key, the family
    // and the engine's load.
    TfjsModel topology = TfjsModel.read(json);
    SharedSegmenters.Key key = new SharedSegmenters.Key(name, topology.contentHash(), engine.engine().name());
    Segmenter reused = loaded.reuse(key);
    if (reused != null) {
      LOG.info("{}: reusing the loaded model", reused.describe());
      return reused;
    }
    return loaded.add(key, load(json, topology, name));
  }

  private Segmenter load(Path json, TfjsModel topology, String name) throws IOException {
    boolean rvm = topology.inputNames().contains("src") && topology.inputNames().contains("r1i");
    GraphModel model = load(topology, rvm);
    String on = " on " + model.engine().userName();
    try {
      if (topology.outputNames().contains("float_segments")) {
        boolean resnet = topology.graph().getNodeList().stream().anyMatch(n -> n.getName().startsWith("resnet_v1"));
        return new BodyPixSegmenter(model, name + " (BodyPix " + (resnet ? "ResNet50" : "MobileNetV1") + ")" + on,
            resnet, outputStride(model), 0);
      }
      if (rvm) {
        return new RvmSegmenter(model, name + " (Robust Video Matting)" + on);
      }
      return imageSegmenter(model, topology, name, json, on);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The model in the chosen engine. RVM's recurrent control flow (Switch/Merge) has no ONNX conversion, so it stays
   * on TensorFlow; so does a model of ops the ONNX converter lacks when the engine was chosen automatically.
   */
  private GraphModel load(TfjsModel source, boolean rvm) throws IOException {
    InferenceEngine chosen = engine.engine();
    if (chosen == InferenceEngine.ONNXRUNTIME && rvm) {
      LOG.info("{}: Robust Video Matting runs on TensorFlow (its control flow has no ONNX conversion)",
          source.json());
      chosen = InferenceEngine.TENSORFLOW;
    }
    try {
      return GraphModel.load(source, device.djlDevice(), session, chosen);
    } catch (ModelFormatException e) {
      if (chosen != InferenceEngine.ONNXRUNTIME || !engine.requested().equals("auto")) {
        throw e;
      }
      LOG.warn("{}; running it on TensorFlow instead", e.getMessage());
      return GraphModel.load(source, device.djlDevice(), session, InferenceEngine.TENSORFLOW);
    }
  }

  private static ImageSegmenter imageSegmenter(GraphModel model, TfjsModel topology, String name, Path json,
      String on) throws ModelFormatException {
    if (topology.inputs().size() != 1 || topology.outputs().size() != 1) {
      throw unsupported(json, topology);
    }
    TensorShapeProto in = topology.inputs().get(0).shape();
    TensorShapeProto out = topology.outputs().get(0).shape();
    if (in.getDimCount() != 4 || in.getDim(3).getSize() != 3 || in.getDim(1).getSize() <= 0
        || in.getDim(2).getSize() <= 0 || out.getDimCount() != 4) {
      throw unsupported(json, topology);
    }
    int height = (int) in.getDim(1).getSize();
    int width = (int) in.getDim(2).getSize();
    long channels = out.getDim(3).getSize();
    ImageSegmenter.Output kind;
    if (channels == 2) {
      kind = ImageSegmenter.Output.TWO_CLASS_LOGITS;
    } else if (channels == 1) {
      String node = topology.outputs().get(0).node();
      boolean sigmoid = topology.graph().getNodeList().stream()
          .filter(n -> n.getName().equals(node)).map(NodeDef::getOp).anyMatch("Sigmoid"::equals);
      kind = sigmoid ? ImageSegmenter.Output.PROBABILITY : ImageSegmenter.Output.LOGIT;
    } else {
      throw unsupported(json, topology);
    }
    return new ImageSegmenter(model, name + " (" + width + "x" + height + ")" + on, width, height, kind);
  }

  /** BodyPix's output stride, measured: a 161-pixel input gives (161 − 1) / stride + 1 outputs. */
  private static int outputStride(GraphModel model) throws IOException {
    try (NDManager scope = model.manager().newSubManager();
         Predictor<NDList, NDList> predictor = model.newPredictor()) {
      NDArray probe = scope.zeros(new Shape(1, 161, 161, 3));
      probe.setName(model.inputNames().get(0));
      NDList out = predictor.predict(new NDList(probe));
      out.attach(scope);
      long size = out.get("float_segments").getShape().get(1);
      return (int) (160 / (size - 1));
    } catch (ai.djl.translate.TranslateException e) {
      throw new IOException("BodyPix model failed its first run: " + e.getMessage(), e);
    }
  }

  private static ModelFormatException unsupported(Path json, TfjsModel topology) {
    return new ModelFormatException(json, "not a supported segmentation model: inputs "
        + topology.inputNames() + ", outputs " + topology.outputNames()
        + " (expected BodyPix, RVM, or one [1,H,W,3] image in and one [1,H,W,1|2] map out)");
  }

  private static Path findJson(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().findFirst().orElse(null);
    }
  }
}
