package io.github.vbackcam.core.source;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import io.github.vbackcam.core.internal.Images;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A V4L2 webcam, read through FFmpeg's {@code video4linux2} input. It asks for the configured format (MJPEG
 * 1280x720 at 30 fps by default, which USB cameras deliver at full rate) and falls back to whatever the camera offers
 * when that is refused. Frames are scaled to cover the output size.
 */
public final class CameraSource implements FrameSource {

  static {
    FFmpegLog.quiet();
  }

  private static final Logger LOG = LoggerFactory.getLogger(CameraSource.class);

  /** What to ask the camera for. */
  public record Request(String inputFormat, VideoSize size, double frameRate) {
    public static final Request DEFAULT = new Request("mjpeg", new VideoSize(1280, 720), 30);
  }

  private final String device;
  private final FFmpegFrameGrabber grabber;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private final VideoSize outputSize;
  /** Guarded by this, as are readerStarted, closed, latest and failure. */
  private final StallWatch watch;
  private final Thread reader = new Thread(this::readLoop, "vbackcam-camera");
  private boolean readerStarted;
  private boolean closed;
  private Frame latest;
  private IOException failure;
  private long sequence;

  public CameraSource(String device, Request request, VideoSize outputSize) throws IOException {
    this(device, open(device, request), outputSize, FrameGaps.of(device));
  }

  /**
   * A camera read through a started grabber, whose gaps are learned into {@code gaps}; the tests give it a FIFO a
   * real FFmpeg writes.
   *
   * @param outputSize the size to cover, or null for the camera's own (made even)
   */
  CameraSource(String device, FFmpegFrameGrabber started, VideoSize outputSize, FrameGaps gaps) {
    this.device = device;
    this.grabber = started;
    this.outputSize = outputSize != null
        ? outputSize
        : new VideoSize(grabber.getImageWidth(), grabber.getImageHeight()).evenWidth();
    LOG.info("camera {}: {}x{} at {} fps", device, grabber.getImageWidth(), grabber.getImageHeight(),
        grabber.getFrameRate());
    this.watch = new StallWatch(gaps, StallWatch.baseNanos(frameRate()));
    reader.setDaemon(true);
  }

  private static FFmpegFrameGrabber open(String device, Request request) throws IOException {
    if (!Files.exists(Path.of(device))) {
      throw new IOException("camera " + device + " does not exist (unplugged?)");
    }
    try {
      return start(device, request, true);
    } catch (FrameGrabber.Exception first) {
      LOG.info("camera {} refused {} {}@{}: {}; taking its default format", device, request.inputFormat(),
          request.size(), request.frameRate(), first.getMessage());
      try {
        return start(device, request, false);
      } catch (FrameGrabber.Exception e) {
        throw new IOException("cannot open camera " + device + ": " + e.getMessage()
            + " (busy in another app, or not a capture device?)", e);
      }
    }
  }

  private static FFmpegFrameGrabber start(String device, Request request, boolean negotiate)
      throws FrameGrabber.Exception {
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(device);
    g.setFormat("video4linux2");
    g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    if (negotiate) {
      if (request.inputFormat() != null && !request.inputFormat().isBlank()) {
        g.setOption("input_format", request.inputFormat());
      }
      g.setImageWidth(request.size().width());
      g.setImageHeight(request.size().height());
      g.setFrameRate(request.frameRate());
    }
    try {
      g.start();
      return g;
    } catch (FrameGrabber.Exception e) {
      g.close();
      throw e;
    }
  }

  /**
   * The newest frame the camera delivered. A camera that stops delivering (its producer gone, a driver stuck) would
   * block a read forever, so a reader thread of our own does the blocking and this waits until the camera has been
   * silent for its stall limit ({@link StallWatch}, {@link FrameGaps}): then it fails, and the engine treats the
   * camera as lost. A camera that fails (unplugged: ENODEV, EIO) fails this at once.
   */
  @Override
  public Frame read() throws IOException {
    synchronized (this) {
      if (!readerStarted) {
        readerStarted = true;
        reader.start();
      }
      if (latest == null && failure == null && !closed) {
        watch.waitStarts(System.nanoTime());
      }
      while (latest == null && failure == null && !closed) {
        long now = System.nanoTime();
        if (watch.stalled(now)) {
          throw new IOException("camera " + device + " delivered no frame for "
              + FrameGaps.seconds(watch.waitedNanos()) + " s (its limit now: " + FrameGaps.seconds(
              watch.limitNanos(now)) + " s; unplugged, or stopped by its driver?)");
        }
        try {
          wait(StallWatch.LOOK_NANOS / 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for camera " + device, e);
        }
      }
      if (latest != null) {
        Frame frame = latest;
        latest = null;
        return frame;
      }
      throw failure != null ? failure : new IOException("camera " + device + " is closed");
    }
  }

  /** The reader thread: it owns the grabber, keeps only the newest frame, and closes the grabber when done. */
  private void readLoop() {
    try {
      while (true) {
        org.bytedeco.javacv.Frame grabbed;
        synchronized (this) {
          watch.asking(System.nanoTime());
        }
        try {
          grabbed = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
          fail(new IOException("camera " + device + " failed: " + e.getMessage(), e));
          return;
        }
        if (grabbed == null) {
          fail(new IOException("camera " + device + " stopped delivering frames"));
          return;
        }
        // Learned even after a stall was declared and the source closed: a frame that came late is what teaches
        // the limit that this camera's gaps are this long.
        synchronized (this) {
          watch.arrived(System.nanoTime());
        }
        // A live frame is presented when it arrives, on the monotonic clock, whatever rate the camera runs at.
        Frame frame = Images.coverFrame(converter.convert(grabbed), outputSize, sequence++, System.nanoTime() / 1000);
        Frame replaced;
        synchronized (this) {
          if (closed) {
            frame.close();
            return;
          }
          replaced = latest;
          latest = frame;
          notifyAll();
        }
        if (replaced != null) {
          replaced.close();
        }
      }
    } catch (RuntimeException | Error e) {
      // A frame the converter cannot take, or worse. Without this the reader would die unseen and read() wait for
      // ever: a stall only counts while the reader is waiting on the camera.
      fail(new IOException("camera " + device + " failed: " + e, e));
      if (e instanceof Error error) {
        throw error;
      }
    } finally {
      closeGrabber();
    }
  }

  private synchronized void fail(IOException e) {
    failure = e;
    notifyAll();
  }

  @Override
  public VideoSize size() {
    return outputSize;
  }

  @Override
  public double frameRate() {
    return Sources.plausibleRate(grabber.getFrameRate());
  }

  @Override
  public String describe() {
    return device;
  }

  /**
   * Stops reading. A reader blocked inside a stalled camera cannot be interrupted; it closes the camera when the
   * driver lets go (a removed device fails its read), so close waits only briefly for it.
   */
  @Override
  public void close() {
    Frame unread;
    synchronized (this) {
      closed = true;
      unread = latest;
      latest = null;
      notifyAll();
    }
    if (unread != null) {
      unread.close();
    }
    if (!readerStarted) {
      closeGrabber();
      return;
    }
    try {
      reader.join(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeGrabber() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      LOG.warn("closing camera {} failed: {}", device, e.getMessage());
    } finally {
      converter.close();
    }
  }

  /** Kept until the doctor calls {@link io.github.vbackcam.core.device.Cameras#find} itself. */
  @Deprecated(forRemoval = true)
  public static Optional<String> find(Path sysClass) {
    return io.github.vbackcam.core.device.Cameras.find(sysClass);
  }
}
