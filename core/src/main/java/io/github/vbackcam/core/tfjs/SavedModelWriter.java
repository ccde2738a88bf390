package io.github.vbackcam.core.tfjs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.framework.GraphDef;
import org.tensorflow.proto.framework.MetaGraphDef;
import org.tensorflow.proto.framework.SavedModel;
import org.tensorflow.proto.framework.SignatureDef;
import org.tensorflow.proto.framework.TensorInfo;

/**
 * Writes a frozen graph as a SavedModel: one MetaGraphDef tagged {@code serve} with the {@code serving_default}
 * signature, weights as Const nodes, so no {@code variables/} directory is needed. The signature keys are the
 * model's input and output names, which is what lets predictors feed arrays by name.
 */
final class SavedModelWriter {
  static final String FILE = "saved_model.pb";

  private SavedModelWriter() {}

  static void write(Path dir, TfjsModel model, GraphDef graph) throws IOException {
    SignatureDef.Builder signature = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict");
    for (TfjsModel.Endpoint in : model.inputs()) {
      signature.putInputs(in.name(), info(in));
    }
    for (TfjsModel.Endpoint out : model.outputs()) {
      signature.putOutputs(out.name(), info(out));
    }
    MetaGraphDef meta = MetaGraphDef.newBuilder()
        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
        .setGraphDef(graph)
        .putSignatureDef("serving_default", signature.build())
        .build();
    SavedModel saved = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
    try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
      saved.writeTo(out);
    }
  }

  private static TensorInfo info(TfjsModel.Endpoint endpoint) {
    return TensorInfo.newBuilder().setName(endpoint.tensor()).setDtype(endpoint.dtype())
        .setTensorShape(endpoint.shape()).build();
  }
}
