package io.github.vbackcam.service.ctl;

import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.service.cli.Choices;
import io.github.vbackcam.service.dbus.Control1;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vbackcam ctl} (installed as {@code vbackcamctl}): a thin client of the service's D-Bus API on the session
 * bus. It uses only the interface definition and, for help and completion, the names of effects and models.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
    description = "Controls the running camera service over D-Bus (also installed as vbackcamctl).",
    subcommands = {CtlCommand.Effect.class, CtlCommand.Background.class, CtlCommand.Blur.class,
        CtlCommand.Color.class, CtlCommand.Mode.class, CtlCommand.Model.class, CtlCommand.Pause.class,
        CtlCommand.Resume.class, CtlCommand.Reload.class, CtlCommand.Status.class})
public final class CtlCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** One call on the service; a D-Bus error becomes the command's one-line error and exit status 1. */
  interface Call {
    void on(Control1 control, Properties properties) throws DBusException;
  }

  static int call(CommandSpec spec, Call call) {
    quietTransportLog();
    java.io.PrintWriter err = spec.commandLine().getErr();
    try (DBusConnection bus = io.github.vbackcam.service.dbus.SessionBus.connect()) {
      Control1 control = bus.getRemoteObject(Control1.BUS_NAME, Control1.OBJECT_PATH, Control1.class);
      Properties props = bus.getRemoteObject(Control1.BUS_NAME, Control1.OBJECT_PATH, Properties.class);
      call.on(control, props);
      return 0;
    } catch (DBusExecutionException e) {
      err.println("vbackcamctl: " + e.getMessage());
      err.flush();
      return 1;
    } catch (DBusException | java.io.IOException e) {
      err.println("vbackcamctl: cannot reach the vbackcam service on the session bus: " + e.getMessage()
          + " (is it running? systemctl --user start vbackcam)");
      err.flush();
      return 1;
    }
  }

  /**
   * A path as the user typed it, made absolute against this command's working directory ({@code ~} expanded): the
   * service refuses relative paths, since it would resolve them against its own directory, not the user's.
   */
  static String absolute(String path) {
    return Path.of(FileTypes.expandHome(path)).toAbsolutePath().toString();
  }

  /** dbus-java logs its transport choice at info level; a command-line client prints only its answer. */
  private static void quietTransportLog() {
    if (org.slf4j.LoggerFactory.getLogger("org.freedesktop") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  @Command(name = "effect", description = {"Switch the effect, with its parameters as KEY=VALUE:",
      "  effect image path=FILE | video path=FILE | blur radius=1-200 | color color=#RRGGBB | none",
      "  every kind but none also takes hologram=true|false."})
  static final class Effect implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", completionCandidates = Choices.EffectKinds.class,
        description = "${COMPLETION-CANDIDATES}")
    String kind;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE")
    List<String> parameters = new ArrayList<>();

    @Override
    public Integer call() {
      Map<String, Variant<?>> options = new LinkedHashMap<>();
      for (String p : parameters) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new ParameterException(spec.commandLine(), "'" + p + "' is not KEY=VALUE");
        }
        String key = p.substring(0, eq);
        String value = p.substring(eq + 1);
        options.put(key, new Variant<>(key.equals("path") ? absolute(value) : value));
      }
      return CtlCommand.call(spec, (c, p) -> c.SetEffect(kind, options));
    }
  }

  @Command(name = "background", description = "Show an image or looped video behind you.")
  static final class Background implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    String file;

    @Override
    public Integer call() {
      String path = absolute(file);
      return CtlCommand.call(spec, (c, p) -> c.SetBackground(path));
    }
  }

  @Command(name = "blur", description = "Blur your real background.")
  static final class Blur implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RADIUS", description = "1-200")
    long radius;

    @Override
    public Integer call() {
      if (radius < 0 || radius > 0xffffffffL) {
        // Not a D-Bus u: sent as text, so that the service's own rule answers.
        return CtlCommand.call(spec, (c, p) -> c.SetEffect("blur", Map.of("radius", new Variant<>(radius + ""))));
      }
      return CtlCommand.call(spec, (c, p) -> c.SetBlur(new UInt32(radius)));
    }
  }

  @Command(name = "color", description = "A solid colour background.")
  static final class Color implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "#RRGGBB")
    String color;

    @Override
    public Integer call() {
      return CtlCommand.call(spec, (c, p) -> c.SetColor(color));
    }
  }

  @Command(name = "mode", description = "Switch the effect, keeping its last parameters (none: no effect).")
  static final class Mode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODE", completionCandidates = Choices.EffectKinds.class,
        description = "${COMPLETION-CANDIDATES}")
    String mode;

    @Override
    public Integer call() {
      return CtlCommand.call(spec, (c, p) -> c.SetMode(mode));
    }
  }

  @Command(name = "model", description = "Switch the segmentation model.")
  static final class Model implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", completionCandidates = Choices.Models.class,
        description = "${COMPLETION-CANDIDATES}, or the path of a TF.js model.json")
    String model;

    @Override
    public Integer call() {
      String name = model.contains("/") || model.endsWith(".json") ? absolute(model) : model;
      return CtlCommand.call(spec, (c, p) -> c.SetModel(name));
    }
  }

  @Command(name = "pause", description = "Close the camera and show a 'paused' picture.")
  static final class Pause implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--hold",
        description = "Pause only while this command runs (until Ctrl-C); the pause ends if it is killed.")
    boolean hold;

    @Override
    public Integer call() {
      if (!hold) {
        return CtlCommand.call(spec, (c, p) -> c.Pause());
      }
      return CtlCommand.call(spec, (c, p) -> {
        c.Hold(Map.of());
        spec.commandLine().getOut().println("camera paused while this runs; Ctrl-C to resume");
        spec.commandLine().getOut().flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  @Command(name = "resume", description = "End a pause.")
  static final class Resume implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      return CtlCommand.call(spec, (c, p) -> c.Resume());
    }
  }

  @Command(name = "reload", description = "Read the configuration files again and reopen the camera.")
  static final class Reload implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      return CtlCommand.call(spec, (c, p) -> c.Reload());
    }
  }

  @Command(name = "status", description = "Show the service's state, effect, frame rate and latency.")
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      return CtlCommand.call(spec, (c, p) -> {
        Map<String, Variant<?>> all = new TreeMap<>(p.GetAll(Control1.INTERFACE));
        for (var e : all.entrySet()) {
          Object v = e.getValue().getValue();
          String text = v instanceof Object[] a ? String.join(", ", java.util.Arrays.stream(a)
              .map(String::valueOf).toList()) : v instanceof java.util.List<?> l
              ? String.join(", ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
          spec.commandLine().getOut().println(e.getKey() + ": " + text);
        }
        spec.commandLine().getOut().flush();
      });
    }
  }
}
