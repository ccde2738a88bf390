package io.github.vbackcam.core.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.Images;
import io.github.vbackcam.core.internal.OpenedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes a video file with FFmpeg, optionally looping, scaled to cover the output size.
 *
 * <p>Frames keep FFmpeg's own presentation times, so a variable-frame-rate file keeps its timing; a loop continues
 * the timeline (the second pass starts where the first ended) so time never runs backwards. A display matrix (a
 * phone's portrait recording stored sideways, a mirrored selfie) is applied as FFmpeg's command line applies it: the
 * frames come out upright and the right way round, with width and height swapped for a quarter turn.
 *
 * <p>The file is checked before a frame is decoded: its container must name a video stream FFmpeg can decode, of at
 * most {@link FileChecks#MAX_IMAGE_PIXELS} (FFmpeg would allocate whatever a header claims, 768 MB for one frame of
 * 16000x16000); the errors say so in plain words.
 */
public final class VideoFileSource implements FrameSource {

  static {
    FFmpegLog.quiet();
  }

  /** Packets read ahead to find the grid a variable-rate stream's frames lie on; FFmpeg's own guess reads ~20. */
  private static final int GRID_SAMPLE = 120;

  private final Path path;
  private final FFmpegFrameGrabber grabber;
  private final PictureConverter converter = new PictureConverter();
  private final Mat upright = new Mat();
  private final boolean loop;
  private final Orientation orientation;
  private final double frameRate;
  /** The video stream's time base in microseconds a tick, for FFmpeg's frame durations. */
  private final double microsPerTick;
  private VideoSize outputSize;
  private long sequence;
  /** Added to FFmpeg's timestamps: the length of the passes already played. */
  private long loopOffset;
  private long firstPts = Long.MIN_VALUE;
  private long lastPts = Long.MIN_VALUE;
  /** How long the last frame read lasts, as FFmpeg states it; 0 when it does not. */
  private long lastDuration;
  /** The file has no more frames (read returned null). */
  private boolean ended;

  /** A video decoded on FFmpeg's thread per core (the fastest for a file); see the four-argument constructor. */
  public VideoFileSource(Path path, VideoSize outputSize, boolean loop) throws IOException {
    this(path, outputSize, loop, false);
  }

  /**
   * @param outputSize the frame size to produce, or null for the video's own upright size (width rounded to even)
   * @param loop start again at the end instead of ending
   * @param oneThread decode on one thread, a frame out for each frame in (a live stand-in for a camera), instead of
   *     FFmpeg's thread per core, which is faster for a file but holds frames back
   */
  public VideoFileSource(Path path, VideoSize outputSize, boolean loop, boolean oneThread) throws IOException {
    this.path = path;
    this.loop = loop;
    // FFmpeg opens the file twice (the header check, then the grabber), both times through one descriptor opened
    // without blocking: what was checked is what is decoded, and a FIFO never reaches FFmpeg's open (OpenedFile).
    try (OpenedFile file = OpenedFile.open(path, Long.MAX_VALUE);
         VideoContainer container = VideoContainer.open(path, file)) {
      this.grabber = new FFmpegFrameGrabber(file.path().toFile());
      // The decoded picture itself, not JavaCV's BGR copy: JavaCV converts at the decoder context's size, which a
      // stream changing size updates apart from the picture (a refused 12032x12000 part over a 320x240 picture
      // crashed the JVM in swscale). PictureConverter converts each picture at its own, checked size.
      grabber.setImageMode(FrameGrabber.ImageMode.RAW);
      // The container's header was checked; this holds the decoder to it when a stream changes size later on.
      grabber.setVideoOption("max_pixels", Long.toString(FileChecks.MAX_IMAGE_PIXELS));
      if (oneThread) {
        grabber.setVideoOption("threads", "1");
      }
      try {
        grabber.start();
      } catch (FrameGrabber.Exception e) {
        closeQuietly();
        int code = Sources.errorCode(e);
        IOException failure = code != 0 ? VideoContainer.unreadable(path, code)
            : new IOException(path + " is not a video FFmpeg can read: " + Sources.plain(e));
        failure.initCause(e);
        throw failure;
      }
      if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
        closeQuietly();
        throw new IOException("no video stream in " + path);
      }
      try {
        AVStream stream = grabber.getFormatContext().streams(grabber.getVideoStream());
        this.orientation = Orientation.of(displayMatrix(stream.codecpar()));
        this.microsPerTick = 1e6 * stream.time_base().num() / stream.time_base().den();
        this.frameRate = declaredRate(container, stream);
      } catch (RuntimeException e) {
        closeQuietly();
        throw e;
      }
    }
    boolean sideways = orientation.sideways();
    int w = sideways ? grabber.getImageHeight() : grabber.getImageWidth();
    int h = sideways ? grabber.getImageWidth() : grabber.getImageHeight();
    this.outputSize = outputSize != null ? outputSize : new VideoSize(w, h).evenWidth();
  }

  /** The raw 3x3 display matrix of a stream (16.16 fixed point, the last column 2.30), or null when it has none. */
  private static int[] displayMatrix(AVCodecParameters par) {
    AVPacketSideData data = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
        AV_PKT_DATA_DISPLAYMATRIX);
    if (data == null || data.isNull() || data.data() == null || data.size() < 9 * Integer.BYTES) {
      return null;
    }
    int[] matrix = new int[9];
    try (IntPointer values = new IntPointer(data.data())) {
      values.get(matrix);
    }
    return matrix;
  }

  /** See {@link Sources#gridRate}: the average, or for a variable rate the grid the first packets' times lie on. */
  private double declaredRate(VideoContainer container, AVStream stream) {
    double average = grabber.getVideoFrameRate();
    double tbr = rate(stream.r_frame_rate());
    double[] times = container.times(stream.index(), GRID_SAMPLE);
    double tick = microsPerTick / 1e6;
    double first = Arrays.stream(times).min().orElse(0);
    for (int i = 0; i < times.length; i++) {
      times[i] -= first;
    }
    double end = Double.NaN;
    if (times.length > 0 && stream.start_time() != AV_NOPTS_VALUE && stream.duration() > 0) {
      end = (stream.start_time() + stream.duration()) * tick - first;
    } else if (times.length > 0 && grabber.getFormatContext().duration() > 0) {
      long start = grabber.getFormatContext().start_time();
      end = ((start == AV_NOPTS_VALUE ? 0 : start) + grabber.getFormatContext().duration()) / 1e6 - first;
    }
    return Sources.gridRate(average, tbr, times, end, Math.max(tick, 1e-6));
  }

  private static double rate(AVRational r) {
    return r.den() == 0 ? 0 : (double) r.num() / r.den();
  }

  @Override
  public VideoSize size() {
    return outputSize;
  }

  /**
   * Frames read from now on come at {@code size}. The file stays open and the video plays on where it was: every
   * frame is scaled as it is read anyway, and reopening the path would read whatever the file has become since.
   */
  public void scaleTo(VideoSize size) {
    this.outputSize = Objects.requireNonNull(size, "size");
  }

  @Override
  public Frame read() throws IOException {
    try {
      org.bytedeco.javacv.Frame decoded = grab();
      if (decoded == null) {
        // The end of the frames may be the decoder refusing the rest of the stream: an error, not a pass to loop.
        refusedSize(lastPts == Long.MIN_VALUE ? 0 : lastEnd());
        if (loop && sequence > 0) {
          grabber.setTimestamp(0);
          decoded = grab();
          if (decoded != null) {
            loopOffset += passLength(); // only once a pass has begun: a file emptied under us must not run time on
          }
        }
      }
      if (decoded == null) {
        ended = true;
        return null;
      }
      long pts = decoded.timestamp;
      AVFrame picture = picture(decoded, pts);
      if (firstPts == Long.MIN_VALUE) {
        firstPts = pts;
      }
      lastPts = pts;
      lastDuration = picture.duration() > 0 ? Math.round(picture.duration() * microsPerTick) : 0;
      return frame(picture, pts + loopOffset);
    } catch (FrameGrabber.Exception e) {
      throw new IOException("decoding " + path + " failed: " + Sources.plain(e), e);
    }
  }

  private org.bytedeco.javacv.Frame grab() throws IOException, FrameGrabber.Exception {
    try {
      return grabber.grabImage();
    } catch (IllegalArgumentException | ArithmeticException e) {
      // JavaCV's RAW path still sizes a buffer view by the decoder context (Buffer.limit, stride / width): a size
      // change can make it throw; the picture itself is never read there.
      throw new IOException("decoding " + path + " failed: " + e, e);
    }
  }

  /**
   * The decoded picture, checked: its own size within {@link FileChecks#MAX_IMAGE_PIXELS}, its planes inside its
   * buffers; and the decoder context's size within the limit too, since a context over it means the stream switched
   * to a size the decoder refused, and the picture handed over is a stale one.
   */
  private AVFrame picture(org.bytedeco.javacv.Frame decoded, long pts) throws IOException {
    if (!(decoded.opaque instanceof AVFrame picture) || picture.isNull()) {
      throw new IOException(at(pts) + " has no picture");
    }
    refusedSize(pts);
    String problem = PictureConverter.problem(picture);
    if (problem != null) {
      throw new IOException(at(pts) + " " + problem);
    }
    return picture;
  }

  /**
   * Fails when the decoder context shows that the stream switched to pictures the decoder refused (max_pixels), so
   * that the end of the frames is that refusal, not the end of the video: H.264's context takes the size it refused,
   * MPEG-2's forgets its size (0x0) and skips every picture after.
   */
  private void refusedSize(long pts) throws IOException {
    int width = grabber.getImageWidth();
    int height = grabber.getImageHeight();
    String problem = PictureConverter.oversize(width, height);
    if (problem == null && sequence > 0 && (width <= 0 || height <= 0)) {
      problem = "could not be decoded, nor any after it: the decoder refused the stream's new picture size (over the "
          + FileChecks.MAX_IMAGE_MEGAPIXELS + "-megapixel limit?) or a broken header";
    }
    if (problem != null) {
      throw new IOException(at(pts) + " " + problem);
    }
  }

  private String at(long pts) {
    return String.format(Locale.ROOT, "%s: the frame at %.2f s", path, pts / 1e6);
  }

  /** The picture upright and scaled to cover the output size. */
  private Frame frame(AVFrame picture, long ptsMicros) {
    int clockwise = orientation.clockwise();
    boolean mirrored = orientation.mirrored();
    Mat pixels = Images.orient(converter.toBgr(picture), upright, clockwise, mirrored);
    return Images.coverFrame(pixels, outputSize, sequence++, ptsMicros);
  }

  /**
   * One pass: from the first frame to the end of the last one (its time plus its own duration, or one frame of the
   * declared rate where FFmpeg states none), or to the end the container states if that is later (a last frame held,
   * as players hold it).
   */
  private long passLength() {
    return Math.max(Math.max(1, lastEnd() - firstPts), durationMicros());
  }

  /** Where the last frame read ends in FFmpeg's time: its time plus its own duration, or one frame of the rate. */
  private long lastEnd() {
    return lastPts + (lastDuration > 0 ? lastDuration : Math.round(1e6 / frameRate()));
  }

  /**
   * Where the last frame read ends: its time plus its own duration as FFmpeg states it; at the end of the file
   * the container's end where that is later (a last frame held, as players hold it, as a loop's pass ends).
   */
  @Override
  public long endMicros() {
    if (firstPts == Long.MIN_VALUE) {
      return -1;
    }
    return (ended ? firstPts + passLength() : lastEnd()) + loopOffset;
  }

  /**
   * For a looped video: jumps so that the next frame read is the one on show at {@code ptsMicros} on the looped
   * timeline (as if it had played on to there), instead of decoding everything in between. Returns false, having
   * done nothing, when it cannot (not looped, no frame read yet, or a container without a duration).
   */
  public boolean skipTo(long ptsMicros) throws IOException {
    long length = passLength();
    if (!loop || firstPts == Long.MIN_VALUE || durationMicros() <= 0 || ptsMicros <= firstPts) {
      return false;
    }
    long into = ptsMicros - firstPts;
    try {
      grabber.setTimestamp(firstPts + into % length);
    } catch (FrameGrabber.Exception e) {
      throw new IOException("seeking in " + path + " failed: " + Sources.plain(e), e);
    }
    loopOffset = into / length * length;
    return true;
  }

  /** The clockwise rotation applied to every frame (0, 90, 180 or 270), before any mirroring. */
  public int rotation() {
    return orientation.clockwise();
  }

  /** How every frame is turned and flipped to show as FFmpeg's players show it. */
  public Orientation orientation() {
    return orientation;
  }

  /** The length of the video in microseconds as the container states it, or 0 when unknown. */
  public long durationMicros() {
    return Math.max(0, grabber.getLengthInTime());
  }

  @Override
  public long frameCount() {
    int n = grabber.getLengthInVideoFrames();
    return loop || n <= 0 ? -1 : n;
  }

  /**
   * The rate a sink should declare, decided when the file is opened: the container's average rate ({@code
   * avg_frame_rate}), or for a variable-rate video the grid its frames lie on, FFmpeg's {@code r_frame_rate} or a
   * standard rate, checked against the times of its first {@value #GRID_SAMPLE} packets and the container's end
   * (see {@link Sources#gridRate}), so that a sink repeating frames at it (y4m, avi) keeps every frame's time.
   */
  @Override
  public double frameRate() {
    return frameRate;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      throw new IOException("closing " + path + " failed: " + Sources.plain(e), e);
    } finally {
      converter.close();
      upright.close();
    }
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception ignored) {
      // Already failing; the caller reports the first error.
    }
    converter.close();
    upright.close();
  }

  /**
   * How a stored frame is shown: turned clockwise by {@code clockwise} degrees (0, 90, 180 or 270), then flipped
   * left to right when {@code mirrored}. The eight values are every display matrix of quarter turns and flips.
   */
  public record Orientation(int clockwise, boolean mirrored) {

    public static final Orientation UPRIGHT = new Orientation(0, false);

    /** Whether width and height swap. */
    public boolean sideways() {
      return clockwise == 90 || clockwise == 270;
    }

    /**
     * The orientation for FFmpeg's display matrix (null: none), decided as FFmpeg's command line decides which
     * filters to insert for it (fftools/ffmpeg_filter.c): theta, the clockwise turn, is {@code
     * av_display_rotation_get} negated and rounded; near 90 it transposes ({@code cclock_flip} when m[3] > 0, else
     * turns clockwise); near 180 it flips horizontally when m[0] < 0 and vertically when m[4] < 0 (both: a half
     * turn); near 270 it anti-transposes ({@code clock_flip} when m[3] < 0, else turns counter-clockwise); near 0 it
     * flips vertically when m[4] < 0. Other angles, which FFmpeg turns freely, go to the nearest quarter turn.
     */
    public static Orientation of(int[] m) {
      if (m == null) {
        return UPRIGHT;
      }
      double theta = -Math.rint(av_display_rotation_get(m));
      if (Double.isNaN(theta)) {
        return UPRIGHT; // a matrix that scales a direction to nothing: FFmpeg inserts no filter
      }
      theta -= 360 * Math.floor(theta / 360 + 0.9 / 360);
      if (Math.abs(theta - 90) < 1) {
        return new Orientation(90, m[3] > 0);
      }
      if (Math.abs(theta - 180) < 1) {
        boolean h = m[0] < 0;
        boolean v = m[4] < 0;
        return h == v ? new Orientation(h ? 180 : 0, false) : new Orientation(v ? 180 : 0, true);
      }
      if (Math.abs(theta - 270) < 1) {
        return new Orientation(270, m[3] < 0);
      }
      if (Math.abs(theta) < 1) {
        return m[4] < 0 ? new Orientation(180, true) : UPRIGHT;
      }
      return new Orientation((int) Math.floorMod(Math.round(theta / 90) * 90, 360), false);
    }
  }
}
