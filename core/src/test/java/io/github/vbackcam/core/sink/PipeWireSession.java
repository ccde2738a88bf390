package io.github.vbackcam.core.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A private PipeWire user session for a test: a session bus, the PipeWire daemon and WirePlumber, started and
 * stopped as real processes. The JVM must already run with a private, empty {@code XDG_RUNTIME_DIR} (mode 700),
 * because libpipewire finds the daemon from the environment; {@code core/src/test/pipewire/run} sets that up.
 */
final class PipeWireSession implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Path runtimeDir;
  private final Path logs;
  private Process dbus;
  private String busAddress;
  private Process pipewire;
  private Process wireplumber;

  PipeWireSession(Path logs) throws IOException {
    String dir = System.getenv("XDG_RUNTIME_DIR");
    if (dir == null) {
      fail("XDG_RUNTIME_DIR is not set: run this test through core/src/test/pipewire/run");
    }
    runtimeDir = Path.of(dir);
    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeDir));
    if (!mode.equals("rwx------") || Files.exists(socket())) {
      fail("XDG_RUNTIME_DIR " + runtimeDir + " must be private (mode " + mode + ") and have no PipeWire in it: run"
          + " this test through core/src/test/pipewire/run");
    }
    this.logs = logs;
    Files.createDirectories(logs);
  }

  Path socket() {
    return runtimeDir.resolve("pipewire-0");
  }

  /** Starts the bus (once), PipeWire and WirePlumber, and waits until WirePlumber is a client of PipeWire. */
  void start() throws Exception {
    if (dbus == null) {
      dbus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
          .redirectError(logs.resolve("dbus.log").toFile()).start();
      busAddress = new BufferedReader(new InputStreamReader(dbus.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
    pipewire = spawn("pipewire");
    await("PipeWire's socket " + socket(), () -> Files.exists(socket()));
    wireplumber = spawn("wireplumber");
    await("WirePlumber connected to PipeWire", () -> dumpObjects().stream().anyMatch(o ->
        "WirePlumber".equals(prop(o, "application.name")) && "PipeWire:Interface:Client".equals(str(o, "type"))));
  }

  /** Stops WirePlumber and PipeWire as a user's session ending would, and waits for the socket to go. */
  void stop() throws Exception {
    for (Process p : new Process[] {wireplumber, pipewire}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    wireplumber = null;
    pipewire = null;
    Files.deleteIfExists(socket());
    Files.deleteIfExists(runtimeDir.resolve("pipewire-0.lock"));
  }

  private Process spawn(String program) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(program);
    pb.environment().put("DBUS_SESSION_BUS_ADDRESS", busAddress);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(program + ".log").toFile()));
    return pb.start();
  }

  /** Runs a command to completion within the deadline and returns its standard output. */
  String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
        logs.resolve("commands.log").toFile())).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + DEADLINE);
    }
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed; see " + logs.resolve("commands.log"));
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Every object {@code pw-dump} lists. */
  List<JsonObject> dumpObjects() {
    try {
      JsonArray all = JsonParser.parseString(run("pw-dump")).getAsJsonArray();
      List<JsonObject> objects = new ArrayList<>();
      all.forEach(e -> objects.add(e.getAsJsonObject()));
      return objects;
    } catch (Exception e) {
      return List.of();
    }
  }

  /** The node {@code pw-dump} lists under this name, if any. */
  Optional<JsonObject> node(String name) {
    return dumpObjects().stream()
        .filter(o -> "PipeWire:Interface:Node".equals(str(o, "type")) && name.equals(prop(o, "node.name")))
        .findFirst();
  }

  static String prop(JsonObject object, String key) {
    JsonElement info = object.get("info");
    if (info == null || !info.isJsonObject() || !info.getAsJsonObject().has("props")) {
      return null;
    }
    JsonElement value = info.getAsJsonObject().getAsJsonObject("props").get(key);
    return value == null ? null : value.getAsString();
  }

  private static String str(JsonObject object, String key) {
    JsonElement value = object.get(key);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  Path logs() {
    return logs;
  }

  /** Polls {@code condition} every 100 ms until it holds, failing after the deadline with {@code what}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + DEADLINE.toSeconds() + " s waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    if (dbus != null) {
      dbus.destroy();
      dbus.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
