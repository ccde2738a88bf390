package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads an ONNX model in DJL's OnnxRuntime engine with session options of our own. DJL's string options cannot turn
 * off the intra-op pool's spinning (busy-waiting threads cost CPU a camera service pays all day), so the model gets
 * an {@link OrtSession.SessionOptions} object, which DJL 0.28's OrtModel accepts as the "sessionOptions" option.
 */
final class OrtSessions {
  /**
   * Without this, DJL's OnnxRuntime engine picks the default engine as an "alternative" for NDArray operations ONNX
   * Runtime lacks, which would load TensorFlow's natives; we only create arrays and read them back.
   */
  private static final String NO_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

  private OrtSessions() {}

  static GraphModel.Loaded load(Path onnxFile, SessionOptions options) throws IOException, MalformedModelException {
    System.setProperty(NO_ALTERNATIVE, "true");
    OrtSession.SessionOptions ort = new OrtSession.SessionOptions();
    try {
      ort.setIntraOpNumThreads(options.intraOpThreads());
      ort.setInterOpNumThreads(options.interOpThreads());
      ort.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      ort.addConfigEntry("session.intra_op.allow_spinning", "0");
      ort.addConfigEntry("session.inter_op.allow_spinning", "0");
      Model model = Model.newInstance(onnxFile.getParent().getFileName().toString(), Device.cpu(),
          InferenceEngine.ONNXRUNTIME.djlName());
      try {
        model.load(onnxFile, null, Map.of("sessionOptions", ort));
      } catch (IOException | MalformedModelException | RuntimeException e) {
        model.close();
        throw e;
      }
      return new GraphModel.Loaded(model, ort);
    } catch (OrtException e) {
      ort.close();
      throw new IOException("ONNX Runtime refused the session options: " + e.getMessage(), e);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      ort.close();
      throw e;
    }
  }
}
