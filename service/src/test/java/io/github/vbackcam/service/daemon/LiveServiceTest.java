package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.vbackcam.service.dbus.Introspection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The real service on a private session bus: a video file stands in for the camera and a Y4M file for the
 * v4l2loopback device. Calls go through busctl, dbus-send and vbackcamctl; every check decodes frames written after
 * the call. The service's log is printed when a test fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveServiceTest {

  private static final String DEST = "io.github.vbackcam";
  private static final String PATH = "/io/github/vbackcam";
  private static final String IFACE = "io.github.vbackcam.Control1";
  private static final int W = 320;
  private static final int H = 180;

  private static Path dir;
  private static Process bus;
  private static String address;
  private static Process service;
  private static Path log;
  private static Path output;

  @RegisterExtension
  static final TestWatcher PRINT_LOG = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      try {
        System.err.println("---- service log (" + log + ") ----\n" + Files.readString(log)
            + "\n---- end of service log ----");
      } catch (IOException | RuntimeException e) {
        System.err.println("no service log: " + e);
      }
    }
  };

  @BeforeAll
  static void startBusAndService() throws Exception {
    Path video = sharedFile("data/videos/davis2016_lucia_854x480_24fps.mp4");
    installMissingTools(Map.of("dbus-daemon", "dbus-daemon", "busctl", "systemd", "dbus-send", "dbus-bin",
        "dbus-monitor", "dbus-bin"));
    dir = Files.createTempDirectory("vbackcam-live");
    bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    address = new String(bus.getInputStream().readNBytes(1), StandardCharsets.UTF_8)
        + new java.io.BufferedReader(new java.io.InputStreamReader(bus.getInputStream())).readLine();
    assertTrue(address.startsWith("unix:"), "dbus-daemon printed no address: " + address);
    output = dir.resolve("out.y4m");
    log = dir.resolve("service.log");
    service = java("run", "--camera", video.toString(), "--output", output.toString(), "--size", W + "x" + H)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!property("State").equals("s \"running\"")) {
      if (!service.isAlive()) {
        fail("the service exited with status " + service.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail("the service did not reach state running within 120 s:\n" + Files.readString(log));
      }
      Thread.sleep(250);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null && service.isAlive()) {
      service.destroyForcibly();
    }
    if (bus != null) {
      bus.destroy();
    }
  }

  @Test
  @Order(1)
  void introspectionServesTheShippedContractWithArgumentNames() throws Exception {
    String xml = run("busctl", "--address=" + address, "introspect", "--xml-interface", DEST, PATH).out;
    String served = Introspection.normalise(Introspection.controlInterface(xml));
    String shipped = Introspection.normalise(Introspection.controlInterface(Files.readString(
        Path.of("src/main/resources/io.github.vbackcam.Control1.xml"))));
    assertEquals(shipped, served);
    assertTrue(served.contains("<arg name=\"path\" type=\"s\" direction=\"in\"/>"), served);
  }

  @Test
  @Order(2)
  void propertiesReadWithBusctl() throws Exception {
    assertEquals("s \"running\"", property("State"));
    assertEquals("s \"selfie\"", property("Model"));
    assertEquals("s \"" + output + "\"", property("OutputDevice"));
    String log = Files.readString(LiveServiceTest.log);
    assertTrue(log.contains("no PipeWire camera node: no PipeWire daemon at " + dir.resolve("pipewire-0")), log);
    assertTrue(property("CameraDevice").contains("davis2016_lucia"), property("CameraDevice"));
    List<String> bundled;
    try (var files = Files.list(Path.of("../backgrounds"))) {
      bundled = files.filter(f -> f.toString().matches(".*\\.(png|jpe?g|webp)")).map(f -> "\""
          + f.toAbsolutePath().normalize() + "\"").sorted().toList();
    }
    assertEquals("as " + bundled.size() + " " + String.join(" ", bundled), property("Backgrounds"));
    assertTrue(property("Device").startsWith("s \"CPU") || property("Device").startsWith("s \"GPU"));
    assertEquals("u 1", property("Consumers"));
  }

  @Test
  @Order(3)
  void setColorTurnsTheBackgroundGreenAndSignalsTheChange() throws Exception {
    Path signals = dir.resolve("signals.txt");
    Process monitor = new ProcessBuilder("dbus-monitor", "--address", address,
        "type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'")
        .redirectErrorStream(true).redirectOutput(signals.toFile()).start();
    try {
      Thread.sleep(500);
      call("SetColor", "s", "#00ff00");
    } finally {
      monitor.destroy();
      monitor.waitFor(5, TimeUnit.SECONDS);
    }
    assertCorners(0, 255, 0, "after SetColor #00ff00");
    assertEquals("s \"color\"", property("Mode"));
    String seen = Files.readString(signals);
    assertTrue(seen.contains("string \"io.github.vbackcam.Control1\"") && seen.contains("string \"Mode\"")
        && seen.contains("string \"color\"") && seen.contains("string \"color #00ff00\""), seen);
  }

  @Test
  @Order(4)
  void setBlurShowsTheRealBackgroundAgain() throws Exception {
    call("SetBlur", "u", "30");
    int[] rgb = corner(lastFrame(), 4, 4);
    assertTrue(!(rgb[1] > 150 && rgb[0] < 100 && rgb[2] < 100), "still green after SetBlur: " + rgbText(rgb));
    assertEquals("s \"blur 30\"", property("Background"));
  }

  @Test
  @Order(5)
  void setBackgroundShowsTheImage() throws Exception {
    Path red = dir.resolve("red.ppm");
    writePpm(red, 255, 0, 0);
    call("SetBackground", "s", red.toString());
    assertCorners(255, 0, 0, "after SetBackground red.ppm");
    assertEquals("s \"image\"", property("Mode"));
  }

  @Test
  @Order(6)
  void badArgumentsFailAndTheBackgroundStays() throws Exception {
    Path corrupt = dir.resolve("corrupt.png");
    Files.writeString(corrupt, "not a picture");
    Map<String[], String> bad = new java.util.LinkedHashMap<>();
    bad.put(new String[] {"SetBackground", "s", "/no/such/file.png"}, "/no/such/file.png");
    bad.put(new String[] {"SetBackground", "s", corrupt.toString()}, corrupt.toString());
    bad.put(new String[] {"SetMode", "s", "sepia"}, "sepia");
    bad.put(new String[] {"SetModel", "s", "nosuchmodel"}, "nosuchmodel");
    bad.put(new String[] {"SetColor", "s", "greenish"}, "greenish");
    bad.put(new String[] {"SetBlur", "u", "0"}, "0");
    for (var e : bad.entrySet()) {
      String[] a = e.getKey();
      Result r = run("dbus-send", "--bus=" + address, "--print-reply", "--dest=" + DEST, PATH, IFACE + "." + a[0],
          (a[1].equals("s") ? "string:" : "uint32:") + a[2]);
      assertTrue(r.status != 0, a[0] + " " + a[2] + " was accepted");
      assertTrue(r.err.contains("org.freedesktop.DBus.Error.InvalidArgs"), a[0] + ": " + r.err);
      assertTrue(r.err.contains(e.getValue()), a[0] + " error does not quote '" + e.getValue() + "': " + r.err);
      Result viaBusctl = run("busctl", "--address=" + address, "call", DEST, PATH, IFACE, a[0], a[1], a[2]);
      assertTrue(viaBusctl.status != 0 && viaBusctl.err.contains(e.getValue()), viaBusctl.err);
    }
    assertCorners(255, 0, 0, "after the rejected calls");
    assertEquals("s \"selfie\"", property("Model"));
    assertEquals("s \"image\"", property("Mode"));
  }

  @Test
  @Order(7)
  void vbackcamctlSetsTheColourAndReportsErrors() throws Exception {
    Result ok = run(java("ctl", "color", "#0000ff"));
    assertEquals(0, ok.status, ok.err);
    Thread.sleep(1200);
    assertCorners(0, 0, 255, "after vbackcamctl color #0000ff");
    Result bad = run(java("ctl", "mode", "sepia"));
    assertEquals(1, bad.status);
    assertTrue(bad.err.contains("unknown mode 'sepia'"), bad.err);
    Result status = run(java("ctl", "status"));
    assertTrue(status.out.contains("State: running") && status.out.contains("Mode: color"), status.out);
    assertCorners(0, 0, 255, "after the rejected vbackcamctl mode");
  }

  @Test
  @Order(8)
  void modeNonePassesTheCameraThroughAndPauseShowsThePlaceholder() throws Exception {
    call("SetMode", "s", "none");
    int[] rgb = corner(lastFrame(), 4, 4);
    assertTrue(!(rgb[2] > 150 && rgb[0] < 100 && rgb[1] < 100), "still blue in mode none: " + rgbText(rgb));
    call("Pause");
    assertEquals("s \"paused\"", property("State"));
    Thread.sleep(1500);
    int[] grey = corner(lastFrame(), 4, 4);
    assertTrue(Math.abs(grey[0] - 40) < 12 && Math.abs(grey[1] - 40) < 12 && Math.abs(grey[2] - 40) < 12,
        "placeholder corner is not dark grey: " + rgbText(grey));
    call("Resume");
    assertEquals("s \"running\"", property("State"));
  }

  @Test
  @Order(9)
  void aHoldEndsWhenTheClientVanishes() throws Exception {
    Path out = dir.resolve("hold.txt");
    Process holder = java("ctl", "pause", "--hold").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!property("Holds").equals("u 1")) {
        assertTrue(holder.isAlive() && System.nanoTime() < deadline, "no hold: " + Files.readString(out));
        Thread.sleep(100);
      }
      while (!property("State").equals("s \"paused\"")) {
        assertTrue(System.nanoTime() < deadline, "not paused while held: " + property("State"));
        Thread.sleep(100);
      }
    } finally {
      holder.destroyForcibly(); // SIGKILL: the client cannot release; its bus name vanishing must
      holder.waitFor(5, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!property("State").equals("s \"running\"")) {
      assertTrue(System.nanoTime() < deadline, "still " + property("State") + " after the holder died");
      Thread.sleep(100);
    }
    assertEquals("u 0", property("Holds"));
  }

  @Test
  @Order(10)
  void reloadAppliesTheConfigurationAndRejectsABadFileWithItsLine() throws Exception {
    Path conf = dir.resolve("config/vbackcam/vbackcam.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "# test\nmode = color\ncolor = #ff00ff\n");
    call("Reload");
    assertCorners(255, 0, 255, "after Reload with color #ff00ff");
    Files.writeString(conf, "mode = blur\nblurr = 10\n");
    Result r = run("busctl", "--address=" + address, "call", DEST, PATH, IFACE, "Reload");
    assertTrue(r.status != 0 && r.err.contains(conf + ":2: unknown key 'blurr'"), r.err);
    Thread.sleep(1200);
    assertCorners(255, 0, 255, "after the rejected Reload");
    Files.delete(conf);
  }

  @Test
  @Order(11)
  void setEffectTakesAKindWithOptionsAndSoDoesVbackcamctlEffect() throws Exception {
    assertEquals("u 1", property("version"));
    call("SetEffect", "sa{sv}", "color", "2", "color", "s", "#00ffff", "hologram", "b", "false");
    assertCorners(0, 255, 255, "after SetEffect color #00ffff");
    assertEquals("s \"color #00ffff\"", property("Background"));
    String[][] bad = {{"blur", "radius", "u", "0", "'0'"}, {"blur", "size", "u", "3", "'size'"},
        {"sepia", "radius", "u", "3", "unknown mode 'sepia'"}};
    for (String[] c : bad) {
      Result r = run("busctl", "--address=" + address, "call", DEST, PATH, IFACE, "SetEffect", "sa{sv}", c[0], "1",
          c[1], c[2], c[3]);
      assertTrue(r.status != 0 && r.err.contains(c[4]), String.join(" ", c) + ": " + r.err);
    }
    Result ctl = run(java("ctl", "effect", "color", "color=0000ff"));
    assertEquals(0, ctl.status, ctl.err);
    Thread.sleep(1200);
    assertCorners(0, 0, 255, "after vbackcamctl effect color color=0000ff");
    Result hologram = run(java("ctl", "effect", "blur", "radius=12", "hologram=true"));
    assertEquals(0, hologram.status, hologram.err);
    assertEquals("s \"blur 12 + hologram\"", property("Background"));
    Result usage = run(java("ctl", "effect", "blur", "radius"));
    assertEquals(2, usage.status, usage.err);
    assertTrue(usage.err.contains("'radius' is not KEY=VALUE"), usage.err);
  }

  @Test
  @Order(12)
  void choicesAreRemembered() throws Exception {
    call("SetColor", "s", "#123456");
    String state = Files.readString(dir.resolve("state/vbackcam/state"));
    assertTrue(state.contains("mode = color") && state.contains("color = #123456"), state);
  }

  @Test
  @Order(13)
  void sigtermStopsTheServiceWithinASecond() throws Exception {
    long start = System.nanoTime();
    service.destroy(); // SIGTERM
    assertTrue(service.waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("service stopped " + millis + " ms after SIGTERM");
    assertTrue(millis < 1000, "took " + millis + " ms to stop");
    assertTrue(Pattern.compile("LiveEngine\\W+stopped").matcher(Files.readString(log)).find(),
        "no clean stop in the log");
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  private static void call(String method, String... signatureAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("busctl", "--address=" + address, "call", DEST, PATH, IFACE, method));
    cmd.addAll(List.of(signatureAndArgs));
    Result r = run(cmd.toArray(new String[0]));
    assertEquals(0, r.status, method + " failed: " + r.err);
    Thread.sleep(1200); // frames already composited with the old background drain out
  }

  private static String property(String name) throws Exception {
    return run("busctl", "--address=" + address, "get-property", DEST, PATH, IFACE, name).out.trim();
  }

  private static void assertCorners(int r, int g, int b, String when) throws IOException {
    byte[] frame = lastFrame();
    for (int[] xy : new int[][] {{4, 4}, {W - 12, 4}}) {
      int[] rgb = corner(frame, xy[0], xy[1]);
      assertTrue(Math.abs(rgb[0] - r) < 40 && Math.abs(rgb[1] - g) < 40 && Math.abs(rgb[2] - b) < 40,
          when + ": pixel at " + xy[0] + "," + xy[1] + " is " + rgbText(rgb) + ", expected ~" + r + "," + g + ","
              + b);
    }
  }

  /** The last complete frame of the Y4M output (I420). */
  private static byte[] lastFrame() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
      byte[] head = new byte[256];
      f.readFully(head, 0, (int) Math.min(256, f.length()));
      String text = new String(head, StandardCharsets.US_ASCII);
      int headerEnd = text.indexOf('\n') + 1;
      Matcher m = Pattern.compile(" W(\\d+) H(\\d+)").matcher(text);
      assertTrue(m.find() && Integer.parseInt(m.group(1)) == W && Integer.parseInt(m.group(2)) == H, text);
      int frameBytes = "FRAME\n".length() + W * H * 3 / 2;
      long frames = (f.length() - headerEnd) / frameBytes;
      assertTrue(frames > 0, "no frame written yet");
      byte[] frame = new byte[W * H * 3 / 2];
      f.seek(headerEnd + (frames - 1) * frameBytes + "FRAME\n".length());
      f.readFully(frame);
      return frame;
    }
  }

  /** The mean RGB of an 8x8 block at (x, y), converted from BT.601 limited-range YUV. */
  private static int[] corner(byte[] i420, int x0, int y0) {
    double y = 0;
    double u = 0;
    double v = 0;
    for (int y1 = y0; y1 < y0 + 8; y1++) {
      for (int x1 = x0; x1 < x0 + 8; x1++) {
        y += i420[y1 * W + x1] & 0xff;
        u += i420[W * H + (y1 / 2) * (W / 2) + x1 / 2] & 0xff;
        v += i420[W * H + W * H / 4 + (y1 / 2) * (W / 2) + x1 / 2] & 0xff;
      }
    }
    y = y / 64 - 16;
    u = u / 64 - 128;
    v = v / 64 - 128;
    return new int[] {clamp(1.164 * y + 1.596 * v), clamp(1.164 * y - 0.392 * u - 0.813 * v),
        clamp(1.164 * y + 2.017 * u)};
  }

  private static int clamp(double d) {
    return (int) Math.max(0, Math.min(255, Math.round(d)));
  }

  private static String rgbText(int[] rgb) {
    return rgb[0] + "," + rgb[1] + "," + rgb[2];
  }

  private static void writePpm(Path file, int r, int g, int b) throws IOException {
    byte[] head = ("P6\n64 36\n255\n").getBytes(StandardCharsets.US_ASCII);
    byte[] pixels = new byte[64 * 36 * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) r;
      pixels[i + 1] = (byte) g;
      pixels[i + 2] = (byte) b;
    }
    byte[] all = new byte[head.length + pixels.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(pixels, 0, all, head.length, pixels.length);
    Files.write(file, all);
  }

  /** The vbackcam program in a child JVM, on the private bus, with private config and state dirs. */
  private static ProcessBuilder java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dvbackcam.backgrounds=" + Path.of("../backgrounds").toAbsolutePath().normalize(),
        "-cp", System.getProperty("java.class.path"), "io.github.vbackcam.service.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DBUS_SESSION_BUS_ADDRESS", address);
    pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
    pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    // No PipeWire in this private runtime dir: the output is the Y4M file alone, whatever session runs the build
    // (core/src/test/pipewire/service tests the PipeWire node).
    pb.environment().put("XDG_RUNTIME_DIR", dir.toString());
    pb.environment().remove("PIPEWIRE_REMOTE");
    pb.environment().remove("PIPEWIRE_RUNTIME_DIR");
    return pb;
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... cmd) throws Exception {
    return run(new ProcessBuilder(cmd));
  }

  private static Result run(ProcessBuilder pb) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", pb.command()) + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * The test command installs what it needs, like rpm/test: missing tools are installed with apt-get when running as
   * root; a tool still missing afterwards fails the test (never a skip).
   */
  private static void installMissingTools(Map<String, String> toolToPackage) throws Exception {
    List<String> packages = toolToPackage.entrySet().stream().filter(e -> !onPath(e.getKey()))
        .map(Map.Entry::getValue).distinct().sorted().toList();
    if (!packages.isEmpty() && onPath("apt-get") && "root".equals(System.getProperty("user.name"))) {
      List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
      cmd.addAll(packages);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).inheritIO();
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      pb.start().waitFor(600, TimeUnit.SECONDS);
    }
    for (var e : toolToPackage.entrySet()) {
      if (!onPath(e.getKey())) {
        fail(e.getKey() + " is missing and could not be installed: apt-get install " + e.getValue());
      }
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Path sharedFile(String relative) {
    String configured = System.getProperty("vbackcam.shared");
    Path sharedDir = (configured != null ? Path.of(configured) : Path.of("../../shared")).toAbsolutePath().normalize();
    Path p = sharedDir.resolve(relative);
    if (!Files.exists(p)) {
      fail("test data " + relative + " not found at " + p + ": the shared data folder belongs beside the checkout"
          + " (../shared, or set -Dvbackcam.shared=DIR)");
    }
    return p;
  }
}
