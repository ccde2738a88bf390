package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.TestData;
import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.internal.Images;
import io.github.vbackcam.core.tfjs.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mean per-frame IoU against the hand-made person masks of two DAVIS sequences, per model. The floors sit a little
 * under what each model measured here (numbers in the README), so a broken preprocessing or decoding fails.
 */
class SegmentationQualityTest {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentationQualityTest.class);

  static ModelCatalog catalog(String engine) {
    ComputeDevice cpu = new ComputeDevice(ComputeDevice.Kind.CPU, "tests");
    return new ModelCatalog(ModelCatalog.defaultInstallDirs(), cpu, SessionOptions.defaults(),
        EngineChoice.decide(engine, cpu));
  }

  static String modelPath(String spec) {
    return spec.startsWith("bodypix/") ? TestData.file("models/" + spec).toString() : spec;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // model, engine, floor lucia, floor rollerblade, frame step (rvm is recurrent: every frame, in order)
      // measured here (either engine): selfie 0.832 / 0.401, meet 0.793 / 0.259, rvm 0.846 / 0.548,
      // bodypix float-050 0.771 / 0.756, quant2-075 0.787 / 0.772
      "selfie, tensorflow, 0.80, 0.38, 3",
      "selfie, onnxruntime, 0.80, 0.38, 3",
      "meet, tensorflow, 0.76, 0.22, 3",
      "meet, onnxruntime, 0.76, 0.22, 3",
      "rvm, tensorflow, 0.80, 0.52, 1",
      "bodypix/mobilenet-float-050-stride16/model-stride16.json, tensorflow, 0.74, 0.72, 3",
      "bodypix/mobilenet-float-050-stride16/model-stride16.json, onnxruntime, 0.74, 0.72, 3",
      "bodypix/mobilenet-quant2-075-stride16/model-stride16.json, tensorflow, 0.75, 0.74, 3",
      "bodypix/mobilenet-quant2-075-stride16/model-stride16.json, onnxruntime, 0.75, 0.74, 3",
  })
  void meanIouIsAboveTheFloor(String model, String engine, double floorLucia, double floorRollerblade, int step)
      throws Exception {
    double lucia;
    double rollerblade;
    try (Segmenter segmenter = catalog(engine).open(modelPath(model))) {
      assertTrue(segmenter.describe().endsWith(" on " + engine), segmenter.describe());
      lucia = meanIou(segmenter, "davis2016_lucia", step);
      segmenter.reset();
      rollerblade = meanIou(segmenter, "davis2016_rollerblade", step);
    }
    LOG.info(String.format(Locale.ROOT, "IoU %s on %s: lucia %.3f, rollerblade %.3f", model, engine, lucia,
        rollerblade));
    Path report = Path.of("target", "iou.txt");
    Files.writeString(report, String.format(Locale.ROOT, "%s %s lucia=%.3f rollerblade=%.3f%n", model, engine, lucia,
        rollerblade), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    assertTrue(lucia >= floorLucia, model + " lucia IoU " + lucia + " < " + floorLucia);
    assertTrue(rollerblade >= floorRollerblade, model + " rollerblade IoU " + rollerblade + " < " + floorRollerblade);
    assertEquals(0, FrameLeakDetector.liveFrames());
  }

  static double meanIou(Segmenter segmenter, String sequence, int step) throws Exception {
    Path dir = TestData.file("data/person_masks/" + sequence);
    List<Path> images;
    try (Stream<Path> s = Files.list(dir.resolve("images"))) {
      images = s.sorted().toList();
    }
    double sum = 0;
    int n = 0;
    for (int i = 0; i < images.size(); i += step) {
      Path image = images.get(i);
      Path truth = dir.resolve("masks").resolve(image.getFileName().toString().replace(".jpg", ".png"));
      try (Mat pixels = Images.readImage(image);
           Frame frame = Frame.allocate(pixels.cols(), pixels.rows(), i, System.nanoTime());
           Mat expected = imread(truth.toString(), IMREAD_GRAYSCALE)) {
        pixels.copyTo(frame.image());
        segmenter.segmentToMask(frame);
        sum += iou(frame.mask(), expected);
        n++;
      }
    }
    return sum / n;
  }

  static double iou(Mat predicted, Mat truth) {
    long inter = 0;
    long union = 0;
    try (UByteIndexer p = predicted.createIndexer(); UByteIndexer t = truth.createIndexer()) {
      for (int y = 0; y < truth.rows(); y++) {
        for (int x = 0; x < truth.cols(); x++) {
          boolean a = p.get(y, x) >= 128;
          boolean b = t.get(y, x) >= 128;
          if (a && b) {
            inter++;
          }
          if (a || b) {
            union++;
          }
        }
      }
    }
    return union == 0 ? 1 : (double) inter / union;
  }
}
