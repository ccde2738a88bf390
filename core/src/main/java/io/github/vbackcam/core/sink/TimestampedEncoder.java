package io.github.vbackcam.core.sink;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_CONSTRAINED_BASELINE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.internal.FFmpegLog;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Encodes YUV 4:2:0 pictures into a container with timestamps (mp4, mkv, mov, webm), each at its own presentation
 * time in a fine time base, not in ticks of a rate: a variable-rate input keeps every frame's time to the
 * container's precision, whatever rate it declares. (FFmpegFrameRecorder counts time in ticks of the frame rate it
 * is given, so frames off that grid moved onto it.) The declared rate still goes to the encoder, for its rate
 * control, and to the stream's average rate.
 *
 * <p>Each packet is held until the next one arrives, so that its duration is the real gap to the next frame; the
 * last one lasts until the end the caller names ({@link #finish}), else one frame of the declared rate. Pictures
 * come out of the encoders used here (OpenH264 constrained baseline, VP8) in presentation order, no B-frames.
 */
final class TimestampedEncoder implements AutoCloseable {

  static {
    FFmpegLog.quiet();
  }

  /** AVERROR(EAGAIN) on Linux: the encoder wants more input before it has a packet. */
  private static final int AVERROR_EAGAIN = -11;

  /** A timescale that holds milliseconds, 1/90000 (MPEG's clock, phones' mp4s) and the common rates exactly. */
  private static final int FINE_TIMESCALE = 90_000;

  private final Path path;
  private final AVFormatContext format;
  private final AVCodecContext encoder;
  private final AVStream stream;
  private final AVFrame picture = av_frame_alloc();
  private final AVPacket packet = av_packet_alloc();
  /** The packet waiting for the next one's time, which is its end. */
  private final AVPacket held = av_packet_alloc();
  private final long nominalTicks;
  private boolean holding;
  private long originMicros;
  private long lastTick = -1;

  /**
   * @param formatName FFmpeg's name of the container
   * @param codec the video encoder
   * @param millisecondsOnly the container counts time in milliseconds whatever it is given (Matroska)
   */
  TimestampedEncoder(Path path, String formatName, AVCodec codec, VideoSize size, double frameRate, long bitrate,
                     boolean millisecondsOnly) throws IOException {
    this.path = path;
    AVRational rate = av_d2q(frameRate, 1_001_000);
    AVRational timeBase = av_make_q(1, millisecondsOnly ? 1000 : timescale(rate));
    this.nominalTicks = Math.max(1, Math.round(timeBase.den() / (frameRate * timeBase.num())));
    format = new AVFormatContext(null);
    check(avformat_alloc_output_context2(format, null, formatName, path.toString()), "opening the container");
    encoder = avcodec_alloc_context3(codec);
    try {
      encoder.width(size.width()).height(size.height()).pix_fmt(AV_PIX_FMT_YUV420P).bit_rate(bitrate)
          .time_base(timeBase).framerate(rate);
      if (codec.id() == AV_CODEC_ID_H264) {
        encoder.profile(AV_PROFILE_H264_CONSTRAINED_BASELINE); // plays on anything, as FFmpegFrameRecorder chose
      }
      if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
        encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      check(avcodec_open2(encoder, codec, (AVDictionary) null), "opening the encoder");
      stream = avformat_new_stream(format, null);
      if (stream == null) {
        throw new IOException("cannot add a video stream to " + path);
      }
      check(avcodec_parameters_from_context(stream.codecpar(), encoder), "setting up the stream");
      stream.time_base(timeBase).avg_frame_rate(rate);
      if ((format.oformat().flags() & AVFMT_NOFILE) == 0) {
        AVIOContext io = new AVIOContext(null);
        check(avio_open(io, path.toString(), AVIO_FLAG_WRITE), "opening the file");
        format.pb(io);
      }
      check(avformat_write_header(format, (AVDictionary) null), "writing the header");
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
    picture.format(AV_PIX_FMT_YUV420P).width(size.width()).height(size.height());
  }

  /**
   * The finest grid an mp4 needs: a multiple of 90000 and of the rate's numerator, so that milliseconds, MPEG's
   * 90 kHz and every frame of a constant rate (1001/30000 s, 1/24 s) are whole ticks; 90000 alone where the rate
   * is no short fraction (an average of irregular frames, which lie on no grid of it anyway).
   */
  static int timescale(AVRational rate) {
    BigInteger num = BigInteger.valueOf(Math.max(1, rate.num()));
    BigInteger fine = BigInteger.valueOf(FINE_TIMESCALE);
    BigInteger lcm = num.multiply(fine).divide(num.gcd(fine));
    return lcm.compareTo(BigInteger.valueOf(1_000_000)) <= 0 ? lcm.intValue() : FINE_TIMESCALE;
  }

  /**
   * Encodes the picture {@code yuv} holds, presented at {@code ptsMicros} (the first picture is time 0). A time
   * already used (two frames within one tick) moves to the next tick, as timestamps must grow.
   */
  void write(Yuv420Converter yuv, long ptsMicros) throws IOException {
    if (lastTick < 0) {
      originMicros = ptsMicros;
    }
    AVRational tb = encoder.time_base();
    long tick = Math.max(lastTick + 1, Math.round((ptsMicros - originMicros) / 1e6 * tb.den() / tb.num()));
    yuv.fill(picture);
    picture.pts(tick).duration(nominalTicks);
    check(avcodec_send_frame(encoder, picture), "encoding");
    lastTick = tick;
    drain();
  }

  /**
   * Flushes the encoder and finishes the file, the last frame lasting until {@code endMicros} (on the timeline of
   * the times written), or one frame of the declared rate where that is unknown (negative) or before it.
   */
  void finish(long endMicros) throws IOException {
    check(avcodec_send_frame(encoder, null), "flushing the encoder");
    drain();
    if (holding) {
      AVRational tb = stream.time_base();
      long end = endMicros < 0 ? -1 : Math.round((endMicros - originMicros) / 1e6 * tb.den() / tb.num());
      long nominal = av_rescale_q(nominalTicks, encoder.time_base(), tb);
      // An end within the last frame's tick (a frame lasting microseconds) gives it one tick, not a frame's time:
      // a duration of 0 is one the muxer replaces with a frame of the average rate.
      held.duration(end >= held.pts() ? Math.max(1, end - held.pts()) : Math.max(1, nominal));
      writeHeld();
    }
    check(av_write_trailer(format), "finishing the file");
  }

  /** Moves every packet the encoder has ready into the file, each once the next one's time is known. */
  private void drain() throws IOException {
    int ret;
    while ((ret = avcodec_receive_packet(encoder, packet)) >= 0) {
      av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      if (holding) {
        held.duration(Math.max(1, packet.pts() - held.pts()));
        writeHeld();
      }
      av_packet_move_ref(held, packet);
      holding = true;
    }
    if (ret != AVERROR_EAGAIN && ret != AVERROR_EOF()) {
      check(ret, "encoding");
    }
  }

  private void writeHeld() throws IOException {
    holding = false;
    int ret = av_interleaved_write_frame(format, held); // takes the packet's data and leaves it blank
    av_packet_unref(held);
    check(ret, "writing a frame");
  }

  private void check(int ret, String what) throws IOException {
    if (ret < 0) {
      throw new IOException(what + " " + path + " failed: " + FFmpegLog.describe(ret));
    }
  }

  @Override
  public void close() {
    release();
  }

  private void release() {
    if (encoder != null && !encoder.isNull()) {
      avcodec_free_context(encoder);
    }
    if (!format.isNull()) {
      if (format.pb() != null && !format.pb().isNull()) {
        avio_closep(format.pb());
      }
      avformat_free_context(format);
      format.setNull();
    }
    av_frame_free(picture);
    av_packet_free(packet);
    av_packet_free(held);
  }
}
