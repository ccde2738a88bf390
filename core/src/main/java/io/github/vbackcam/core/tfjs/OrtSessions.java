package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads an ONNX model in DJL's OnnxRuntime engine with session options of our own. DJL's string options cannot turn
 * off the intra-op pool's spinning (busy-waiting threads cost CPU a camera service pays all day), so the session is
 * created here with {@link OrtSession.SessionOptions} of our own and handed to DJL as the model's block.
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
    } catch (OrtException e) {
      ort.close();
      throw new IOException("ONNX Runtime refused the session options: " + e.getMessage(), e);
    }
    Model model = Model.newInstance(onnxFile.getParent().getFileName().toString(), Device.cpu(),
        InferenceEngine.ONNXRUNTIME.djlName());
    try {
      // The session is ours, in DJL's block: predictors run it through DJL, and the hot path of a one-image model
      // runs it in place (InPlaceRun). The model's manager closes the block, and the block the session.
      OrtSession session = OrtEnvironment.getEnvironment().createSession(onnxFile.toString(), ort);
      model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
      return new GraphModel.Loaded(model, ort, session);
    } catch (OrtException e) {
      model.close();
      ort.close();
      throw new MalformedModelException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      ort.close();
      throw e;
    }
  }
}
