package io.github.vbackcam.core.internal.pipewire;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One connection to the PipeWire daemon publishing one raw video output node that drives itself: its own thread
 * loop, context, core and stream, all freed by {@link #close}. A stream whose daemon goes away is not repaired;
 * {@link Listener#broken} says so and the owner opens a new one.
 *
 * <p>PipeWire calls back on its loop thread with the loop lock held; {@link #send} takes the same lock, so the
 * stream is never used from two threads at once, and {@link #send} and {@link #close} exclude each other, so no frame
 * reaches a freed stream. {@link #advertise} changes the offered frame rate under the same lock.
 */
public final class PipeWireStream implements AutoCloseable {

  /** What the stream reports; called on PipeWire's thread, so implementations must not block. */
  public interface Listener {
    /** True once a consumer has linked and the node runs; false when it pauses again. */
    void streaming(PipeWireStream stream, boolean streaming);

    /** The connection is lost (the daemon stopped, or refused the stream); {@code why} is one line. */
    void broken(PipeWireStream stream, String why);
  }

  /** What the node is and offers. */
  public record Spec(Map<String, String> properties, int width, int height, int rateNum, int rateDenom) {
    /** The same node offering another frame rate. */
    public Spec withRate(int num, int denom) {
      return new Spec(properties, width, height, num, denom);
    }
  }

  private static final int ENOENT = 2;
  private static final int ECONNREFUSED = 111;
  private static final int EHOSTDOWN = 112;

  private static LibPipeWire loaded;

  private final LibPipeWire lib;
  private final Pointer loop;
  private final Pointer context;
  private Pointer core;
  private Pointer stream;
  private final Memory hook = new Memory(LibPipeWire.SPA_HOOK_SIZE);
  private final LibPipeWire.StreamEvents events;
  private final Spec spec;
  private final int stride;
  private final Listener listener;
  private volatile double rate;
  private volatile int state = LibPipeWire.STATE_UNCONNECTED;
  private volatile boolean closing;

  /** The loaded library, or one line saying why it cannot be loaded. */
  public static synchronized String libraryVersion() throws IOException {
    return library().pw_get_library_version();
  }

  private static synchronized LibPipeWire library() throws IOException {
    if (loaded == null) {
      loaded = LibPipeWire.load(LibPipeWire.SONAME);
    }
    return loaded;
  }

  /**
   * Connects to the daemon and disconnects at once, publishing nothing: where the daemon answered, or one line
   * saying why {@link #open} would fail (the library, or no daemon for this user). For {@code vbackcam doctor}.
   */
  public static String reachDaemon() throws IOException {
    LibPipeWire lib = library();
    Pointer loop = lib.pw_thread_loop_new("vbackcam-probe", null);
    if (loop == null) {
      throw new IOException("PipeWire: cannot create its thread loop");
    }
    Pointer context = lib.pw_context_new(lib.pw_thread_loop_get_loop(loop), null, new NativeLong(0));
    if (context == null) {
      lib.pw_thread_loop_destroy(loop);
      throw new IOException("PipeWire: cannot create a context (are PipeWire's SPA support plugins installed?)");
    }
    try {
      lib.pw_core_disconnect(connect(lib, context));
      return socketPath();
    } finally {
      lib.pw_context_destroy(context);
      lib.pw_thread_loop_destroy(loop);
    }
  }

  /** Connects a context to the daemon; fails with one line naming the reason. */
  private static Pointer connect(LibPipeWire lib, Pointer context) throws IOException {
    Pointer core = lib.pw_context_connect(context, null, new NativeLong(0));
    if (core == null) {
      int errno = Native.getLastError();
      // libpipewire says EHOSTDOWN when no socket is there; ENOENT and ECONNREFUSED mean the same to a user.
      if (errno == ENOENT || errno == ECONNREFUSED || errno == EHOSTDOWN) {
        throw new IOException("no PipeWire daemon at " + socketPath() + " (is pipewire running for this user?)");
      }
      throw new IOException("cannot connect to PipeWire at " + socketPath() + ": " + errnoText(errno));
    }
    return core;
  }

  /** Connects to the daemon and publishes the node; fails with one line naming the reason. */
  public static PipeWireStream open(Spec spec, Listener listener) throws IOException {
    return new PipeWireStream(library(), spec, listener);
  }

  private PipeWireStream(LibPipeWire lib, Spec spec, Listener listener) throws IOException {
    this.lib = lib;
    this.spec = spec;
    this.stride = spec.width() * 2;
    this.rate = (double) spec.rateNum() / spec.rateDenom();
    this.listener = listener;
    this.events = new LibPipeWire.StreamEvents(this::stateChanged, this::paramChanged);
    hook.clear();
    loop = lib.pw_thread_loop_new("vbackcam-pipewire", null);
    if (loop == null) {
      throw new IOException("PipeWire: cannot create its thread loop");
    }
    context = lib.pw_context_new(lib.pw_thread_loop_get_loop(loop), null, new NativeLong(0));
    if (context == null) {
      lib.pw_thread_loop_destroy(loop);
      throw new IOException("PipeWire: cannot create a context (are PipeWire's SPA support plugins installed?)");
    }
    lib.pw_thread_loop_start(loop);
    lib.pw_thread_loop_lock(loop);
    try {
      core = connect(lib, context);
      Pointer props = lib.pw_properties_new_string("");
      spec.properties().forEach((k, v) -> lib.pw_properties_set(props, k, v));
      stream = lib.pw_stream_new(core, spec.properties().getOrDefault("node.name", "vbackcam"), props);
      if (stream == null) {
        throw new IOException("PipeWire refused a new stream (" + errnoText(Native.getLastError()) + ")");
      }
      lib.pw_stream_add_listener(stream, hook, events, null);
      try (Memory format = SpaPod.enumFormat(SpaPod.VIDEO_FORMAT_YUY2, spec.width(), spec.height(),
          spec.rateNum(), spec.rateDenom())) {
        int rc = lib.pw_stream_connect(stream, LibPipeWire.PW_DIRECTION_OUTPUT, LibPipeWire.PW_ID_ANY,
            LibPipeWire.PW_STREAM_FLAG_DRIVER | LibPipeWire.PW_STREAM_FLAG_MAP_BUFFERS, new Pointer[] {format}, 1);
        if (rc < 0) {
          throw new IOException("PipeWire refused to connect the stream (" + errnoText(-rc) + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      lib.pw_thread_loop_unlock(loop);
      close();
      throw e;
    }
    lib.pw_thread_loop_unlock(loop);
  }

  /** True while a consumer is linked and the node runs. */
  public boolean isStreaming() {
    return state == LibPipeWire.STATE_STREAMING;
  }

  /** The frame rate the node offers now, in frames a second: the spec's, then the last {@link #advertise}d. */
  public double rate() {
    return rate;
  }

  /** Writes one frame into a buffer PipeWire shares with the consumers. */
  public interface Filler {
    /** Fills {@code memory}: height rows of width x 2 bytes, YUY2, no padding. */
    void fill(ByteBuffer memory);
  }

  /**
   * Hands one frame to the consumers, written by {@code filler} straight into a shared buffer. Returns false,
   * dropping it, when the node is not streaming or every buffer is still with a consumer: a live camera shows the
   * newest frame, never a queue of old ones.
   */
  public synchronized boolean send(Filler filler) {
    if (closing) {
      return false; // closed: the loop is freed, so not even its lock may be taken
    }
    int length = stride * spec.height();
    lib.pw_thread_loop_lock(loop);
    try {
      if (closing || state != LibPipeWire.STATE_STREAMING) {
        return false;
      }
      Pointer buffer = lib.pw_stream_dequeue_buffer(stream);
      if (buffer == null) {
        return false;
      }
      // struct pw_buffer { struct spa_buffer *buffer; ... }, struct spa_buffer { n_metas, n_datas, metas, datas },
      // struct spa_data { type, flags, fd, mapoffset, maxsize, data, chunk }, struct spa_chunk { offset, size,
      // stride, flags }.
      Pointer spaBuffer = buffer.getPointer(0);
      Pointer data = spaBuffer.getPointer(16);
      int maxsize = data.getInt(20);
      Pointer memory = data.getPointer(24);
      Pointer chunk = data.getPointer(32);
      boolean fits = memory != null && maxsize >= length;
      if (fits) {
        filler.fill(memory.getByteBuffer(0, length));
      }
      chunk.setInt(0, 0);
      chunk.setInt(4, fits ? length : 0);
      chunk.setInt(8, stride);
      chunk.setInt(12, 0);
      lib.pw_stream_queue_buffer(stream, buffer);
      lib.pw_stream_trigger_process(stream);
      return fits;
    } finally {
      lib.pw_thread_loop_unlock(loop);
    }
  }

  /**
   * Offers the same format at a new frame rate, replacing the stream's {@code EnumFormat}: PipeWire renegotiates
   * the links, so linked consumers get a {@code Format} at this rate, and new ones see it offered. Fails with one
   * line when PipeWire refuses, changing nothing: frames keep flowing at the rate offered before.
   */
  public synchronized void advertise(int rateNum, int rateDenom) throws IOException {
    if (closing || stream == null) {
      throw new IOException("the stream is closed"); // and its loop freed: not even its lock may be taken
    }
    // PipeWire copies the params it is given, so the pod is freed here rather than left to the garbage collector.
    try (Memory format = SpaPod.enumFormat(SpaPod.VIDEO_FORMAT_YUY2, spec.width(), spec.height(), rateNum,
        rateDenom)) {
      lib.pw_thread_loop_lock(loop);
      try {
        int rc = lib.pw_stream_update_params(stream, new Pointer[] {format}, 1);
        if (rc < 0) {
          throw new IOException("PipeWire refused the new format (" + errnoText(-rc) + ")");
        }
        rate = (double) rateNum / rateDenom;
      } finally {
        lib.pw_thread_loop_unlock(loop);
      }
    }
  }

  private void stateChanged(Pointer data, int old, int now, String error) {
    state = now;
    if (closing) {
      return;
    }
    if (now == LibPipeWire.STATE_ERROR || now == LibPipeWire.STATE_UNCONNECTED) {
      listener.broken(this, error != null ? error : "the stream was disconnected");
    } else {
      listener.streaming(this, now == LibPipeWire.STATE_STREAMING);
    }
  }

  private void paramChanged(Pointer data, int id, Pointer param) {
    if (id == LibPipeWire.SPA_PARAM_FORMAT && param != null) {
      // The format is fixed by what we offered; say how big the buffers must be for it. Sent again at every
      // renegotiation (each rate change), so the pod is freed at once; PipeWire keeps its own copy.
      try (Memory buffers = SpaPod.buffers(stride * spec.height(), stride)) {
        lib.pw_stream_update_params(stream, new Pointer[] {buffers}, 1);
      }
    }
  }

  /** Destroys the node and the connection; safe after a failed open and after the daemon went away. */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    lib.pw_thread_loop_lock(loop);
    try {
      if (stream != null) {
        lib.pw_stream_destroy(stream);
        stream = null;
      }
      if (core != null) {
        lib.pw_core_disconnect(core);
        core = null;
      }
    } finally {
      lib.pw_thread_loop_unlock(loop);
    }
    lib.pw_thread_loop_stop(loop);
    lib.pw_context_destroy(context);
    lib.pw_thread_loop_destroy(loop);
  }

  /** Where libpipewire looks for the daemon's socket, for the message when there is none. */
  private static String socketPath() {
    String dir = System.getenv("PIPEWIRE_RUNTIME_DIR");
    if (dir == null) {
      dir = System.getenv("XDG_RUNTIME_DIR");
    }
    String remote = System.getenv("PIPEWIRE_REMOTE");
    if (remote == null) {
      remote = "pipewire-0";
    }
    return dir == null ? remote + " (XDG_RUNTIME_DIR is not set)" : dir + "/" + remote;
  }

  private static String errnoText(int errno) {
    return LibC.INSTANCE.strerror(errno);
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    String strerror(int errno);
  }
}
