package io.github.vbackcam.core.tfjs;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Timings for the report, not a check: {@code mvn -pl core test -Dtest=TfjsBenchmarkTest -Dvbackcam.bench=true}. */
@EnabledIfSystemProperty(named = "vbackcam.bench", matches = "true")
class TfjsBenchmarkTest {
  private static final int WARMUP = 10;
  private static final int RUNS = 30;
  private static final int ROUNDS = 3;

  @TempDir Path cache;

  @Test
  void timings() throws Exception {
    System.setProperty("vbackcam.cache", cache.toString());
    TfRuntime.start();
    bench("selfie 256x256", TestModels.npmModel("selfie"), "input_1", 256, 256);
    bench("meet 144x256", TestModels.npmModel("meet"), "input_1", 144, 256);
    bench("bodypix float-050 353x641", TestModels.bodyPix("mobilenet-float-050-stride16"), "sub_2", 353, 641);
    bench("rvm 144x256 ratio 0.5", TestModels.npmModel("rvm"), "src", 144, 256);
  }

  private void bench(String label, Path json, String input, int h, int w) throws Exception {
    long start = System.nanoTime();
    TfjsModel.read(json);
    double readMs = (System.nanoTime() - start) / 1e6;
    start = System.nanoTime();
    GraphModel.load(json, Device.cpu(), SessionOptions.defaults()).close();
    double coldMs = (System.nanoTime() - start) / 1e6;
    start = System.nanoTime();
    GraphModel.load(json, Device.cpu(), SessionOptions.defaults()).close();
    double hitMs = (System.nanoTime() - start) / 1e6;
    System.err.printf("BENCH %-26s read+hash %6.1f ms, load converting %7.1f ms, load from cache %6.1f ms%n", label,
        readMs, coldMs, hitMs);

    SessionOptions[] variants = {SessionOptions.defaults(), new SessionOptions(1, 1)};
    List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
    float[] values = TestImages.rgb(TestModels.image(), h, w, 1 / 255f, 0);
    for (int round = 0; round < ROUNDS; round++) {
      for (int v = 0; v < variants.length; v++) {
        try (GraphModel model = GraphModel.load(json, Device.cpu(), variants[v]);
            Predictor<NDList, NDList> predictor = model.newPredictor();
            NDManager scope = model.manager().newSubManager()) {
          for (int i = 0; i < WARMUP + RUNS; i++) {
            try (NDManager frame = scope.newSubManager()) {
              NDList in = new NDList(named(frame.create(values, new Shape(1, h, w, 3)), input));
              if (label.startsWith("rvm")) {
                in.add(named(frame.create(0.5f), "downsample_ratio"));
                for (String r : List.of("r1i", "r2i", "r3i", "r4i")) {
                  in.add(named(frame.zeros(new Shape(1, 1, 1, 1)), r));
                }
              }
              long t = System.nanoTime();
              NDList out = predictor.predict(in);
              out.head().toFloatArray();
              if (i >= WARMUP) {
                times.get(v).add((System.nanoTime() - t) / 1e6);
              }
            }
          }
        }
      }
    }
    for (int v = 0; v < variants.length; v++) {
      List<Double> t = times.get(v);
      t.sort(null);
      System.err.printf("BENCH %-26s %-50s median %6.2f ms  p10 %6.2f  p90 %6.2f%n", label, variants[v],
          t.get(t.size() / 2), t.get(t.size() / 10), t.get(t.size() * 9 / 10));
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}
