package io.github.vbackcam.core.sink;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A copy of the last picture a sink converted, so that a picture written again is known by one comparison instead of
 * being converted again: while nobody watches, the service writes the same placeholder twice a second, each time as
 * a new frame. The comparison is a vectorised scan that stops at the first difference (0.2 ms for an unchanged 720p
 * picture, against about 0.9 ms for its conversion to YUYV); a picture that changed costs one copy more.
 *
 * <p>A camera's stream never repeats a picture, so pictures that come less than {@link #STREAM_GAP_NANOS} after the
 * one before are converted without a comparison and no copy is kept of them (a 720p copy is 2.7 MB, about 0.3 ms, at
 * 30 pictures a second). The first placeholder after a stream is converted, and copied; the ones after it are not.
 *
 * <p>Frames are not kept: a frame's pixels may be reused once it is closed, so only a copy proves a picture equal.
 */
final class LastPicture implements AutoCloseable {

  /** Pictures closer together than this are a stream (a camera's, 15-60 a second); the placeholder's are 500 ms. */
  static final long STREAM_GAP_NANOS = 200_000_000L;

  /** The last picture converted, kept across pictures of one size so that it is allocated once. */
  private final Mat copy = new Mat();
  private final LongSupplier nanoClock;
  /** Whether {@link #copy} is the picture the sink's output holds now (not while a conversion runs). */
  private boolean valid;
  private boolean any;
  private long lastNanos;

  LastPicture() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests pass their own) */
  LastPicture(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Runs {@code convert} unless {@code image} holds exactly the pixels last converted, then keeps a copy of it unless
   * it came as part of a stream. A conversion that throws leaves nothing to match, so the next picture is converted
   * whatever it holds.
   */
  void convertIfChanged(Mat image, Runnable convert) {
    long now = nanoClock.getAsLong();
    boolean stream = any && now - lastNanos < STREAM_GAP_NANOS;
    any = true;
    lastNanos = now;
    if (!stream && sameAs(image)) {
      return;
    }
    valid = false;
    convert.run();
    if (!stream) {
      image.copyTo(copy);
      valid = true;
    }
  }

  private boolean sameAs(Mat image) {
    if (!valid || copy.rows() != image.rows() || copy.cols() != image.cols() || copy.type() != image.type()
        || !image.isContinuous()) {
      return false;
    }
    long bytes = image.total() * image.elemSize();
    return bytes(image, bytes).mismatch(bytes(copy, bytes)) < 0;
  }

  private static ByteBuffer bytes(Mat image, long count) {
    return image.data().capacity(count).position(0).asByteBuffer();
  }

  @Override
  public void close() {
    copy.close();
  }
}
