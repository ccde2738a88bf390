package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * The real service on a private session bus, as the tests run it: a video file stands in for the camera and a Y4M
 * file for the v4l2loopback device, with private configuration and state directories. Calls go through busctl.
 */
final class ServiceHarness implements AutoCloseable {

  static final String DEST = "io.github.vbackcam";
  static final String PATH = "/io/github/vbackcam";
  static final String IFACE = "io.github.vbackcam.Control1";

  final int width;
  final int height;
  final Path dir;
  final Path output;
  final Path log;
  final String address;
  private final Process bus;
  private Process service;

  record Result(int status, String out, String err) {}

  private ServiceHarness(int width, int height) throws Exception {
    this.width = width;
    this.height = height;
    installMissingTools(Map.of("dbus-daemon", "dbus-daemon", "busctl", "systemd", "dbus-send", "dbus-bin",
        "dbus-monitor", "dbus-bin"));
    dir = Files.createTempDirectory("vbackcam-live");
    String[] printed = new String[1];
    bus = privateBus(printed);
    address = printed[0];
    output = dir.resolve("out.y4m");
    log = dir.resolve("service.log");
  }

  /** Starts a private dbus-daemon; returns its address. */
  static Process privateBus(String[] address) throws IOException {
    Process bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // inherited, a leaked bus would hold Surefire's stderr
    address[0] = new java.io.BufferedReader(new java.io.InputStreamReader(bus.getInputStream(),
        StandardCharsets.UTF_8)).readLine();
    assertTrue(address[0] != null && address[0].startsWith("unix:"), "dbus-daemon printed no address");
    return bus;
  }

  /** A private bus with the service on it, running (frames flowing) when this returns. */
  static ServiceHarness start(int width, int height) throws Exception {
    return start(width, height, "");
  }

  /** As {@link #start(int, int)}, with {@code config} as the user's vbackcam.conf. */
  static ServiceHarness start(int width, int height, String config) throws Exception {
    ServiceHarness h = new ServiceHarness(width, height);
    Path file = h.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.createDirectories(file.getParent());
    Files.writeString(file, config);
    try {
      h.startService();
    } catch (Throwable t) {
      h.close(); // a bus left running keeps Maven waiting for the forked JVM's streams
      throw t;
    }
    return h;
  }

  /** The command line of the service: a video as camera, the Y4M output, the size. */
  ProcessBuilder runCommand() {
    Path video = sharedFile("data/videos/davis2016_lucia_854x480_24fps.mp4");
    return java("run", "--camera", video.toString(), "--output", output.toString(), "--size", width + "x" + height);
  }

  /** A private bus with no service on it yet: the test starts it with {@link #startService(ProcessBuilder, String)}. */
  static ServiceHarness bus(int width, int height) throws Exception {
    return new ServiceHarness(width, height);
  }

  /** Starts {@code vbackcam run} and waits until it is running; the log of each start is appended. */
  void startService() throws Exception {
    startService(runCommand(), "running");
  }

  /** Starts {@code run} (a {@link #java} command) and waits until the service's State is {@code state}. */
  void startService(ProcessBuilder run, String state) throws Exception {
    service = run.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!property("State").equals("s \"" + state + "\"")) {
      if (!service.isAlive()) {
        fail("the service exited with status " + service.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail("the service did not reach state " + state + " within 120 s:\n" + Files.readString(log));
      }
      Thread.sleep(250);
    }
  }

  /** SIGTERM, then waits for the exit; returns the exit status. */
  int stopService() throws Exception {
    service.destroy();
    assertTrue(service.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
    return service.exitValue();
  }

  Process service() {
    return service;
  }

  @Override
  public void close() {
    if (service != null && service.isAlive()) {
      service.destroyForcibly();
    }
    bus.destroy();
  }

  void call(String method, String... signatureAndArgs) throws Exception {
    Result r = busctl(method, signatureAndArgs);
    assertEquals(0, r.status, method + " failed: " + r.err);
    Thread.sleep(1200); // frames already composited with the old background drain out
  }

  Result busctl(String method, String... signatureAndArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("busctl", "--address=" + address, "call", DEST, PATH, IFACE, method));
    cmd.addAll(List.of(signatureAndArgs));
    return run(cmd.toArray(new String[0]));
  }

  String property(String name) throws Exception {
    return run("busctl", "--address=" + address, "get-property", DEST, PATH, IFACE, name).out.trim();
  }

  void assertCorners(int r, int g, int b, String when) throws IOException {
    byte[] frame = lastFrame();
    for (int[] xy : new int[][] {{4, 4}, {width - 12, 4}}) {
      int[] rgb = corner(frame, xy[0], xy[1]);
      assertTrue(Math.abs(rgb[0] - r) < 40 && Math.abs(rgb[1] - g) < 40 && Math.abs(rgb[2] - b) < 40,
          when + ": pixel at " + xy[0] + "," + xy[1] + " is " + rgbText(rgb) + ", expected ~" + r + "," + g + ","
              + b);
    }
  }

  /** Waits up to 15 s (a loaded machine, a model warming up) for the corners to show the colour. */
  void awaitCorners(int r, int g, int b, String when) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        assertCorners(r, g, b, when);
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
  }

  /** Whole frames in the Y4M output so far (0 while FFmpeg has not yet flushed its header). */
  long frames() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
      return f.length() < 64 ? 0 : (f.length() - headerLength(f)) / frameBytes();
    }
  }

  /** Bytes after the last whole frame of the Y4M output: 0 when the file ends on a frame boundary. */
  long partialBytes() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
      return (f.length() - headerLength(f)) % frameBytes();
    }
  }

  private int frameBytes() {
    return "FRAME\n".length() + width * height * 3 / 2;
  }

  private int headerLength(RandomAccessFile f) throws IOException {
    byte[] head = new byte[256];
    f.seek(0);
    f.readFully(head, 0, (int) Math.min(256, f.length()));
    String text = new String(head, StandardCharsets.US_ASCII);
    Matcher m = Pattern.compile(" W(\\d+) H(\\d+)").matcher(text);
    assertTrue(m.find() && Integer.parseInt(m.group(1)) == width && Integer.parseInt(m.group(2)) == height, text);
    return text.indexOf('\n') + 1;
  }

  /** The last complete frame of the Y4M output (I420). */
  byte[] lastFrame() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(output.toFile(), "r")) {
      int headerEnd = headerLength(f);
      long frames = (f.length() - headerEnd) / frameBytes();
      assertTrue(frames > 0, "no frame written yet");
      byte[] frame = new byte[width * height * 3 / 2];
      f.seek(headerEnd + (frames - 1) * frameBytes() + "FRAME\n".length());
      f.readFully(frame);
      return frame;
    }
  }

  /** The mean RGB of an 8x8 block at (x, y), converted from BT.601 limited-range YUV. */
  int[] corner(byte[] i420, int x0, int y0) {
    int w = width;
    int h = height;
    double y = 0;
    double u = 0;
    double v = 0;
    for (int y1 = y0; y1 < y0 + 8; y1++) {
      for (int x1 = x0; x1 < x0 + 8; x1++) {
        y += i420[y1 * w + x1] & 0xff;
        u += i420[w * h + (y1 / 2) * (w / 2) + x1 / 2] & 0xff;
        v += i420[w * h + w * h / 4 + (y1 / 2) * (w / 2) + x1 / 2] & 0xff;
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

  static String rgbText(int[] rgb) {
    return rgb[0] + "," + rgb[1] + "," + rgb[2];
  }

  static void writePpm(Path file, int r, int g, int b) throws IOException {
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
  ProcessBuilder java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dvbackcam.backgrounds="
            + Path.of("../backgrounds").toAbsolutePath().normalize()));
    // The launcher's (rpm/vbackcam.sh) answers to the JVM's warnings on Java 24 and later (JEP 472, JEP 498), so
    // that the service's log holds only its own lines on every Java the tests run on.
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.vbackcam.service.Main"));
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

  Result run(String... cmd) throws Exception {
    return run(new ProcessBuilder(cmd));
  }

  Result run(ProcessBuilder pb) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", pb.command()) + " did not finish within 60 s");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** Prints the service's log (after a failed test). */
  void printLog() {
    try {
      System.err.println("---- service log (" + log + ") ----\n" + Files.readString(log)
          + "\n---- end of service log ----");
    } catch (IOException | RuntimeException e) {
      System.err.println("no service log: " + e);
    }
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

  static Path sharedFile(String relative) {
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
