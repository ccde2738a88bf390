package io.github.vbackcam.core.internal.pipewire;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.IOException;

/**
 * The few functions of libpipewire-0.3's stream API that a video source needs, through JNA. The library keeps this
 * ABI across 0.3.x and 1.x (the soname is still {@code libpipewire-0.3.so.0}); every layout used here is checked
 * against PipeWire 0.3.65's headers.
 */
interface LibPipeWire extends Library {

  /** The runtime library, not the development symlink: users have no -devel package. */
  String SONAME = "libpipewire-0.3.so.0";

  int PW_DIRECTION_OUTPUT = 1;
  int PW_ID_ANY = 0xffffffff;
  int PW_STREAM_FLAG_MAP_BUFFERS = 1 << 2;
  int PW_STREAM_FLAG_DRIVER = 1 << 3;

  int STATE_ERROR = -1;
  int STATE_UNCONNECTED = 0;
  int STATE_STREAMING = 3;

  /** {@code SPA_PARAM_Format}: the format both sides agreed on. */
  int SPA_PARAM_FORMAT = 4;

  /** {@code sizeof(struct spa_hook)}: six pointers. */
  int SPA_HOOK_SIZE = 6 * 8;

  void pw_init(Pointer argc, Pointer argv);

  String pw_get_library_version();

  Pointer pw_thread_loop_new(String name, Pointer props);

  Pointer pw_thread_loop_get_loop(Pointer loop);

  int pw_thread_loop_start(Pointer loop);

  void pw_thread_loop_stop(Pointer loop);

  void pw_thread_loop_destroy(Pointer loop);

  void pw_thread_loop_lock(Pointer loop);

  void pw_thread_loop_unlock(Pointer loop);

  Pointer pw_context_new(Pointer mainLoop, Pointer props, NativeLong userDataSize);

  void pw_context_destroy(Pointer context);

  Pointer pw_context_connect(Pointer context, Pointer props, NativeLong userDataSize);

  int pw_core_disconnect(Pointer core);

  Pointer pw_properties_new_string(String text);

  int pw_properties_set(Pointer props, String key, String value);

  Pointer pw_stream_new(Pointer core, String name, Pointer props);

  void pw_stream_add_listener(Pointer stream, Pointer hook, StreamEvents events, Pointer data);

  int pw_stream_connect(Pointer stream, int direction, int targetId, int flags, Pointer[] params, int nParams);

  int pw_stream_update_params(Pointer stream, Pointer[] params, int nParams);

  Pointer pw_stream_dequeue_buffer(Pointer stream);

  int pw_stream_queue_buffer(Pointer stream, Pointer buffer);

  int pw_stream_trigger_process(Pointer stream);

  void pw_stream_destroy(Pointer stream);

  /** Loads the library once, or says in one line why it cannot be used. */
  static LibPipeWire load(String soname) throws IOException {
    try {
      LibPipeWire lib = Native.load(soname, LibPipeWire.class);
      lib.pw_init(null, null);
      return lib;
    } catch (UnsatisfiedLinkError e) {
      throw new IOException("PipeWire's library " + soname + " cannot be loaded (install pipewire-libs on Fedora,"
          + " libpipewire-0.3-0 on Debian): " + reason(e.getMessage()));
    }
  }

  /**
   * The first line of JNA's message that gives a reason: it starts "Unable to load library 'NAME':" and puts the
   * loader's reasons on the lines after that.
   */
  static String reason(String message) {
    if (message == null) {
      return "not found";
    }
    return message.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.endsWith(":")).findFirst()
        .orElse(message.strip());
  }

  /** {@code void (*state_changed)(void *data, enum pw_stream_state old, enum pw_stream_state state, const char *)}. */
  interface StateChanged extends Callback {
    void invoke(Pointer data, int old, int state, String error);
  }

  /** {@code void (*param_changed)(void *data, uint32_t id, const struct spa_pod *param)}. */
  interface ParamChanged extends Callback {
    void invoke(Pointer data, int id, Pointer param);
  }

  /**
   * {@code struct pw_stream_events} at version 0: the members up to {@code drained}; the library reads nothing past
   * them from a version-0 table.
   */
  @Structure.FieldOrder({"version", "destroy", "stateChanged", "controlInfo", "ioChanged", "paramChanged",
      "addBuffer", "removeBuffer", "process", "drained"})
  final class StreamEvents extends Structure {
    public int version;
    public Pointer destroy;
    public StateChanged stateChanged;
    public Pointer controlInfo;
    public Pointer ioChanged;
    public ParamChanged paramChanged;
    public Pointer addBuffer;
    public Pointer removeBuffer;
    public Pointer process;
    public Pointer drained;

    StreamEvents(StateChanged stateChanged, ParamChanged paramChanged) {
      this.stateChanged = stateChanged;
      this.paramChanged = paramChanged;
      write();
    }
  }
}
