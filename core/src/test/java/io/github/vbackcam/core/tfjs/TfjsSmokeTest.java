package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsSmokeTest {
  @TempDir Path cache;

  @Test
  void bodyPixRuns() throws Exception {
    System.setProperty("vbackcam.cache", cache.toString());
    try (GraphModel model = GraphModel.load(TestModels.bodyPix("mobilenet-quant1-100-stride16"), Device.cpu(),
        SessionOptions.defaults());
        Predictor<NDList, NDList> p = model.newPredictor();
        NDManager m = model.manager().newSubManager()) {
      NDArray x = m.zeros(new Shape(1, 257, 257, 3));
      x.setName("sub_2");
      NDList out = p.predict(new NDList(x));
      System.out.println(model.outputNames() + " " + out);
      assertEquals(new Shape(1, 17, 17, 1), out.get("float_segments").getShape());
    }
  }
}
