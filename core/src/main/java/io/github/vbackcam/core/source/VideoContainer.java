package io.github.vbackcam.core.source;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import io.github.vbackcam.core.internal.FFmpegLog;
import io.github.vbackcam.core.internal.FileChecks;
import io.github.vbackcam.core.internal.OpenedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The file as FFmpeg's demuxer sees it before any decoder runs: a second, short-lived opening that vets the header
 * (so that the grabber's own opening, whose {@code avformat_find_stream_info} may decode a frame, never meets a
 * picture too large) and reads the first packets' times (to find the grid of a variable rate) without disturbing
 * the grabber's position.
 */
final class VideoContainer implements AutoCloseable {

  static {
    FFmpegLog.quiet();
  }

  private final Path path;
  private final AVFormatContext context;

  private VideoContainer(Path path, AVFormatContext context) {
    this.path = path;
    this.context = context;
  }

  static VideoContainer open(Path path, OpenedFile file) throws IOException {
    checkY4mHeader(path, file.path());
    AVFormatContext context = new AVFormatContext(null);
    int ret = avformat_open_input(context, file.path().toString(), null, null);
    if (ret < 0) {
      throw unreadable(path, ret);
    }
    VideoContainer container = new VideoContainer(path, context);
    try {
      container.checkVideo();
    } catch (IOException | RuntimeException e) {
      container.close();
      throw e;
    }
    return container;
  }

  /**
   * A video stream of a decodable codec within the size limit. Sizes come from the header where it states them
   * (mp4, mkv, webm, avi, y4m); where it does not (an MPEG-TS or raw stream), FFmpeg's probe decodes a frame, with
   * decoders held to the limit.
   */
  private void checkVideo() throws IOException {
    if (!videoSizesKnown()) {
      int n = context.nb_streams();
      PointerPointer<AVDictionary> options = new PointerPointer<>(Math.max(1, n));
      try {
        for (int i = 0; i < n; i++) {
          AVDictionary d = new AVDictionary(null);
          av_dict_set(d, "max_pixels", Long.toString(FileChecks.MAX_IMAGE_PIXELS), 0);
          options.put(i, d);
        }
        int ret;
        synchronized (avcodec.class) { // it opens decoders: under the lock JavaCV's start() takes for that
          ret = avformat_find_stream_info(context, options);
        }
        if (ret < 0) {
          throw unreadable(path, ret);
        }
      } finally {
        for (int i = 0; i < n; i++) {
          av_dict_free(new AVDictionary(options.get(i)));
        }
        options.close();
      }
    }
    boolean found = false;
    for (int i = 0; i < context.nb_streams(); i++) {
      AVCodecParameters par = context.streams(i).codecpar();
      if (par.codec_type() != AVMEDIA_TYPE_VIDEO) {
        continue;
      }
      checkSize(path, par.width(), par.height());
      if (par.width() > 0 && par.height() > 0) {
        if (avcodec_find_decoder(par.codec_id()) == null) {
          throw new IOException(path + " is a video in " + avcodec_get_name(par.codec_id()).getString()
              + ", which this FFmpeg cannot decode");
        }
        found = true;
      }
    }
    if (!found) {
      throw new IOException("no video stream in " + path);
    }
  }

  /** Whether the header named at least one video stream, each with its size. */
  private boolean videoSizesKnown() {
    boolean any = false;
    for (int i = 0; i < context.nb_streams(); i++) {
      AVCodecParameters par = context.streams(i).codecpar();
      if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
        if (par.width() <= 0 || par.height() <= 0) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /**
   * Presentation times, in seconds, of up to {@code max} packets of stream {@code index} from the start, read
   * without decoding; fewer where the file ends or cannot be read further (the grabber reports that, not this).
   */
  double[] times(int index, int max) {
    if (index >= context.nb_streams()) {
      return new double[0];
    }
    for (int i = 0; i < context.nb_streams(); i++) {
      if (i != index) {
        context.streams(i).discard(AVDISCARD_ALL); // their data is skipped, not read
      }
    }
    AVRational base = context.streams(index).time_base();
    double tick = (double) base.num() / base.den();
    double[] times = new double[max];
    int count = 0;
    AVPacket packet = av_packet_alloc();
    try {
      for (int reads = 0; count < max && reads < 20 * max && av_read_frame(context, packet) >= 0; reads++) {
        if (packet.stream_index() == index && packet.pts() != AV_NOPTS_VALUE) {
          times[count++] = packet.pts() * tick;
        }
        av_packet_unref(packet);
      }
    } finally {
      av_packet_free(packet);
    }
    return Arrays.copyOf(times, count);
  }

  @Override
  public void close() {
    avformat_close_input(context);
  }


  /**
   * A YUV4MPEG2 header's size, checked before FFmpeg sees it: its demuxer refuses a size it cannot allocate with
   * an error that says nothing of the size, and allocates one it can for every frame.
   */
  private static void checkY4mHeader(Path path, Path opened) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(opened)) {
      head = in.readNBytes(256);
    }
    String line = new String(head, StandardCharsets.US_ASCII);
    if (!line.startsWith("YUV4MPEG2 ")) {
      return;
    }
    int newline = line.indexOf('\n');
    long width = 0;
    long height = 0;
    for (String field : (newline < 0 ? line : line.substring(0, newline)).split(" ")) {
      if (field.length() > 1 && (field.charAt(0) == 'W' || field.charAt(0) == 'H')) {
        try {
          long value = Long.parseLong(field.substring(1));
          width = field.charAt(0) == 'W' ? value : width;
          height = field.charAt(0) == 'H' ? value : height;
        } catch (NumberFormatException e) {
          return; // a damaged header: FFmpeg's demuxer says so
        }
      }
    }
    checkSize(path, width, height);
  }

  /** An FFmpeg error opening a file, in its words; the end of the file before a frame, as that. */
  static IOException unreadable(Path path, int code) {
    return code == avutil.AVERROR_EOF()
        ? new IOException("no video frames in " + path)
        : new IOException(path + " is not a video FFmpeg can read: " + FFmpegLog.describe(code));
  }

  private static void checkSize(Path path, long width, long height) throws IOException {
    if (width > 0 && height > 0 && width * height > FileChecks.MAX_IMAGE_PIXELS) {
      throw new FileSystemException(path.toString(), null, String.format(Locale.ROOT,
          "video of %dx%d pixels is too large (at most %d megapixels)", width, height,
          FileChecks.MAX_IMAGE_MEGAPIXELS));
    }
  }
}
