package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Timings for the report, not a check: {@code mvn -pl core test -Dtest=TfjsBenchmarkTest -Dvbackcam.bench=true}. */
@EnabledIfSystemProperty(named = "vbackcam.bench", matches = "true")
class TfjsBenchmarkTest {
  private static final int WARMUP = 10;
  private static final int RUNS = 60;

  @TempDir Path cache;

  @Test
  void timings() throws Exception {
    System.setProperty("vbackcam.cache", cache.toString());
    bench("selfie 256x256", TestModels.npmModel("selfie"), "input_1", 256, 256);
    bench("meet 144x256", TestModels.npmModel("meet"), "input_1", 144, 256);
    bench("bodypix float-050 353x641", TestModels.bodyPix("mobilenet-float-050-stride16"), "sub_2", 353, 641);
  }

  private void bench(String label, Path json, String input, int h, int w) throws Exception {
    for (SessionOptions options : new SessionOptions[] {SessionOptions.defaults(), new SessionOptions(1, 1)}) {
      long start = System.nanoTime();
      try (GraphModel model = GraphModel.load(json, Device.cpu(), options)) {
        double loadMs = (System.nanoTime() - start) / 1e6;
        double[] ms = new double[RUNS];
        try (Predictor<NDList, NDList> predictor = model.newPredictor();
            NDManager scope = model.manager().newSubManager()) {
          float[] values = TestImages.rgb(TestModels.image(), h, w, 1 / 255f, 0);
          for (int i = 0; i < WARMUP + RUNS; i++) {
            try (NDManager frame = scope.newSubManager()) {
              NDArray x = frame.create(values, new Shape(1, h, w, 3));
              x.setName(input);
              long t = System.nanoTime();
              NDList out = predictor.predict(new NDList(x));
              out.head().toFloatArray();
              if (i >= WARMUP) {
                ms[i - WARMUP] = (System.nanoTime() - t) / 1e6;
              }
            }
          }
        }
        Arrays.sort(ms);
        System.err.printf("BENCH %-28s %-22s load %7.1f ms (%s)  median %6.2f ms  p90 %6.2f ms%n", label, options,
            loadMs, model.fromCache() ? "cache hit" : "converted", ms[RUNS / 2], ms[RUNS * 9 / 10]);
      }
    }
  }
}
