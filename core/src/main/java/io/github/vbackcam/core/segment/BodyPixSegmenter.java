package io.github.vbackcam.core.segment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.vbackcam.core.tfjs.GraphModel;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Google's BodyPix 2 person segmentation, following {@code segmentPersonActivation} in body-pix 2.2: the frame is
 * padded with black to the aspect of the model input and resized bilinearly (TF.js's resize: no half-pixel
 * centres), normalised for the backbone (MobileNet: x / 127.5 − 1; ResNet50: x − ImageNet mean), run, and the
 * segment logits are upsampled with aligned corners, passed through a sigmoid, cropped of the padding and resized
 * back to the frame (crop-and-resize).
 */
final class BodyPixSegmenter extends ModelSegmenter {

  /** RGB means body-pix adds (negated) for ResNet50. */
  private static final double[] IMAGENET_MEAN = {-123.15, -115.90, -103.06};
  /** The person segmentation logits: the one output used (the pose heads are not computed in place). */
  private static final String SEGMENTS = "float_segments";

  private final boolean resnet;
  private final int outputStride;
  private final double internalResolution;
  private final Mat resized = new Mat();
  private final Mat rgb = new Mat();
  private final Mat logits = new Mat();
  private final Mat upsampled = new Mat();
  private final Mat cropped = new Mat();
  private final Mat probability = new Mat();
  private final Mat mean = new Mat();
  private final Scalar zero = new Scalar(0, 0, 0, 0);

  /**
   * @param internalResolution fraction of the frame size the model sees (body-pix's 'medium' is 0.5); 0 chooses
   *     one that keeps the model input's long side near 641 pixels, a fixed cost whatever the camera size
   */
  BodyPixSegmenter(GraphModel model, String description, boolean resnet, int outputStride,
                   double internalResolution) {
    super(model, description);
    this.resnet = resnet;
    this.outputStride = outputStride;
    this.internalResolution = internalResolution;
    runInPlace(model.inputNames().get(0), SEGMENTS);
  }

  /** body-pix's toValidInputResolution: the largest k * stride + 1 not above the size. */
  static int validInputSize(double size, int stride) {
    int s = (int) Math.floor(size);
    return (s - 1) % stride == 0 ? s : ((s - 1) / stride) * stride + 1;
  }

  double resolutionFor(int width, int height) {
    if (internalResolution > 0) {
      return internalResolution;
    }
    return Math.min(1.0, 641.0 / Math.max(width, height));
  }

  /** The model input size for a frame, and the black padding that brings the frame to its aspect ratio. */
  record Geometry(int width, int height, int padTop, int padBottom, int padLeft, int padRight) {}

  Geometry geometry(int w, int h) {
    double r = resolutionFor(w, h);
    int targetH = validInputSize(h * r, outputStride);
    int targetW = validInputSize(w * r, outputStride);
    double targetAspect = (double) targetW / targetH;
    if ((double) w / h < targetAspect) {
      int pad = (int) Math.round(0.5 * (targetAspect * h - w));
      return new Geometry(targetW, targetH, 0, 0, pad, pad);
    }
    int pad = (int) Math.round(0.5 * (w / targetAspect - h));
    return new Geometry(targetW, targetH, pad, pad, 0, 0);
  }

  @Override
  Size inputSize(int frameWidth, int frameHeight) {
    Geometry g = geometry(frameWidth, frameHeight);
    return new Size(g.width(), g.height());
  }

  @Override
  void preprocess(Mat image, Mat input) {
    Geometry g = geometry(image.cols(), image.rows());
    // Pad, then TF.js resizeBilinear (alignCorners false, no half-pixel centres: source = destination × in / out),
    // in one pass: the padding is the constant black border outside the frame, so nothing is copied.
    int paddedW = image.cols() + g.padLeft() + g.padRight();
    int paddedH = image.rows() + g.padTop() + g.padBottom();
    affineResize(image, resized, g.width(), g.height(), (double) paddedW / g.width(),
        (double) paddedH / g.height(), -g.padLeft(), -g.padTop(), BORDER_CONSTANT);
    cvtColor(resized, rgb, COLOR_BGR2RGB);
    if (resnet) {
      rgb.convertTo(input, CV_32FC3);
      if (mean.rows() != input.rows() || mean.cols() != input.cols()) {
        mean.create(input.rows(), input.cols(), input.type());
        try (Scalar value = new Scalar(IMAGENET_MEAN[0], IMAGENET_MEAN[1], IMAGENET_MEAN[2], 0)) {
          mean.put(value);
        }
      }
      add(input, mean, input);
    } else {
      rgb.convertTo(input, CV_32FC3, 1 / 127.5, -1);
    }
  }

  @Override
  NDList inputs(Mat input, NDManager scope) {
    return new NDList(Tensors.input(input, scope, model.inputNames().get(0)));
  }

  @Override
  Mat decode(NDList outputs, Mat image) {
    Tensors.output(outputs.get(SEGMENTS), logits);
    return decode(logits, image);
  }

  @Override
  Mat decode(Mat segmentLogits, Mat image) {
    Geometry g = geometry(image.cols(), image.rows());
    int inH = g.height();
    int inW = g.width();
    int padTop = g.padTop();
    int padBottom = g.padBottom();
    int padLeft = g.padLeft();
    int padRight = g.padRight();
    // resizeBilinear(alignCorners = true) of the logits to the model input size.
    affineResize(segmentLogits, upsampled, inW, inH,
        (segmentLogits.cols() - 1.0) / Math.max(1, inW - 1), (segmentLogits.rows() - 1.0) / Math.max(1, inH - 1),
        0, 0,
        BORDER_REPLICATE);
    Activations.sigmoid(upsampled, upsampled);
    // cropAndResize of the unpadded box back to the frame's aspect, at the model's resolution (the stage upscales).
    int h = image.rows();
    int w = image.cols();
    int outH = Math.max(2, (int) Math.round(inH - (double) inH * (padTop + padBottom) / (h + padTop + padBottom)));
    int outW = Math.max(2, (int) Math.round(inW - (double) inW * (padLeft + padRight) / (w + padLeft + padRight)));
    double y1 = padTop / (h + padTop + padBottom - 1.0);
    double x1 = padLeft / (w + padLeft + padRight - 1.0);
    double y2 = (padTop + h - 1.0) / (h + padTop + padBottom - 1.0);
    double x2 = (padLeft + w - 1.0) / (w + padLeft + padRight - 1.0);
    affineResize(upsampled, cropped, outW, outH,
        (x2 - x1) * (inW - 1) / (outW - 1), (y2 - y1) * (inH - 1) / (outH - 1), x1 * (inW - 1), y1 * (inH - 1),
        BORDER_REPLICATE);
    cropped.convertTo(probability, CV_8U, 255, 0);
    return probability;
  }

  /** Bilinear resampling where destination (x, y) reads source (x·sx + ox, y·sy + oy). */
  private void affineResize(Mat src, Mat dst, int width, int height, double sx, double sy, double ox, double oy,
                            int border) {
    // A transform of its own per call: preprocessing and decoding may run on different threads.
    try (Mat transform = new Mat(2, 3, CV_64F); DoubleIndexer m = transform.createIndexer();
         Size size = new Size(width, height)) {
      m.put(0, 0, sx, 0, ox);
      m.put(1, 0, 0, sy, oy);
      warpAffine(src, dst, transform, size, INTER_LINEAR | WARP_INVERSE_MAP, border, zero);
    }
  }

  @Override
  void closeBuffers() {
    for (Mat m : new Mat[] {resized, rgb, logits, upsampled, cropped, mean, probability}) {
      m.close();
    }
    zero.close();
  }
}
