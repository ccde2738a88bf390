package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.Random;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The in-place run gives ONNX Runtime's own answer (the same as through DJL), writes it into one matrix it keeps, and
 * allocates next to nothing per frame once the pool's input matrices have been seen.
 */
class InPlaceRunTest {

  @Test
  void matchesTheDjlPathAndAllocatesNoBuffersPerFrame() throws Exception {
    try (GraphModel model = GraphModel.load(TestModels.npmModel("selfie"), Device.cpu(), new SessionOptions(1, 1),
            InferenceEngine.ONNXRUNTIME);
         Predictor<NDList, NDList> predictor = model.newPredictor();
         InPlaceRun run = model.inPlaceRun(model.inputNames().get(0), model.outputNames().get(0)).orElseThrow();
         Mat first = randomInput(1);
         Mat second = randomInput(2)) {
      long outputAddress = 0;
      for (Mat input : new Mat[] {first, second, first, second}) {
        float[] expected = throughDjl(model, predictor, input);
        Mat output = run.run(input);
        assertEquals(256, output.rows());
        assertEquals(256, output.cols());
        assertEquals(opencv_core.CV_32FC1, output.type());
        FloatIndexer values = output.createIndexer();
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(values.get(i / 256, i % 256) - expected[i]));
        }
        values.close();
        assertTrue(worst < 1e-6, "in place differs from DJL by " + worst);
        if (outputAddress != 0) {
          assertEquals(outputAddress, output.address(), "the output stays in the same matrix");
        }
        outputAddress = output.address();
      }

      // The DJL path copies each 256 KB output into a new heap buffer; the in-place run must stay far below that.
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      int runs = 50;
      for (int i = 0; i < runs; i++) {
        run.run(i % 2 == 0 ? first : second);
      }
      long perRun = (threads.getCurrentThreadAllocatedBytes() - before) / runs;
      assertTrue(perRun < 8 * 1024, "the in-place run allocated " + perRun + " bytes per frame");
    }
  }

  @Test
  void computesOnlyTheOutputAskedForAndFollowsANewInputSize() throws Exception {
    try (GraphModel model = GraphModel.load(TestModels.bodyPix("mobilenet-float-050-stride16"), Device.cpu(),
            new SessionOptions(1, 1), InferenceEngine.ONNXRUNTIME);
         Predictor<NDList, NDList> predictor = model.newPredictor();
         InPlaceRun run = model.inPlaceRun(model.inputNames().get(0), "float_segments").orElseThrow();
         Mat small = randomInput(3, 161, 161);
         Mat large = randomInput(4, 225, 417)) {
      for (Mat input : new Mat[] {small, large, large, small}) {
        try (NDManager scope = model.manager().newSubManager()) {
          NDArray array = scope.create((FloatBuffer) input.createBuffer(),
              new Shape(1, input.rows(), input.cols(), 3));
          array.setName(model.inputNames().get(0));
          NDList out = predictor.predict(new NDList(array));
          out.attach(scope);
          NDArray expected = out.get("float_segments");
          Mat output = run.run(input);
          assertEquals(expected.getShape().get(1), output.rows());
          assertEquals(expected.getShape().get(2), output.cols());
          float[] want = expected.toFloatArray();
          FloatBuffer got = output.createBuffer();
          float worst = 0;
          for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got.get(i) - want[i]));
          }
          assertTrue(worst < 1e-5, input.cols() + "x" + input.rows() + ": in place differs from DJL by " + worst);
        }
      }
    }
  }

  private static Mat randomInput(long seed) {
    return randomInput(seed, 256, 256);
  }

  private static Mat randomInput(long seed, int rows, int cols) {
    Mat input = new Mat(rows, cols, opencv_core.CV_32FC3);
    FloatBuffer data = input.createBuffer();
    Random random = new Random(seed);
    for (int i = 0; i < data.capacity(); i++) {
      data.put(i, random.nextFloat());
    }
    return input;
  }

  private static float[] throughDjl(GraphModel model, Predictor<NDList, NDList> predictor, Mat input)
      throws Exception {
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray array = scope.create((FloatBuffer) input.createBuffer(), new Shape(1, 256, 256, 3));
      array.setName(model.inputNames().get(0));
      NDList out = predictor.predict(new NDList(array));
      out.attach(scope);
      return out.get(model.outputNames().get(0)).toFloatArray();
    }
  }
}
