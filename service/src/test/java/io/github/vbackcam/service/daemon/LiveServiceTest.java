package io.github.vbackcam.service.daemon;

import static io.github.vbackcam.service.daemon.ServiceHarness.DEST;
import static io.github.vbackcam.service.daemon.ServiceHarness.IFACE;
import static io.github.vbackcam.service.daemon.ServiceHarness.PATH;
import static io.github.vbackcam.service.daemon.ServiceHarness.rgbText;
import static io.github.vbackcam.service.daemon.ServiceHarness.writePpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.service.daemon.ServiceHarness.Result;
import io.github.vbackcam.service.dbus.Introspection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The real service on a private session bus ({@link ServiceHarness}): a video file stands in for the camera and a
 * Y4M file for the v4l2loopback device. Calls go through busctl, dbus-send and vbackcamctl; every check decodes
 * frames written after the call. The service's log is printed when a test fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveServiceTest {

  private static ServiceHarness live;

  @RegisterExtension
  static final TestWatcher PRINT_LOG = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      live.printLog();
    }
  };

  @BeforeAll
  static void startBusAndService() throws Exception {
    live = ServiceHarness.start(320, 180);
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  @Order(1)
  void introspectionServesTheShippedContractWithArgumentNames() throws Exception {
    String xml = live.run("busctl", "--address=" + live.address, "introspect", "--xml-interface", DEST, PATH).out();
    String served = Introspection.normalise(Introspection.controlInterface(xml));
    String shipped = Introspection.normalise(Introspection.controlInterface(Files.readString(
        Path.of("src/main/resources/io.github.vbackcam.Control1.xml"))));
    assertEquals(shipped, served);
    assertTrue(served.contains("<arg name=\"path\" type=\"s\" direction=\"in\"/>"), served);
  }

  @Test
  @Order(2)
  void propertiesReadWithBusctl() throws Exception {
    assertEquals("s \"running\"", live.property("State"));
    assertEquals("s \"selfie\"", live.property("Model"));
    assertEquals("s \"" + live.output + "\"", live.property("OutputDevice"));
    String log = Files.readString(live.log);
    // No daemon in the test's private runtime dir, or (in a root without PipeWire) no libpipewire at all.
    assertTrue(log.contains("no PipeWire camera node: no PipeWire daemon at " + live.dir.resolve("pipewire-0"))
        || log.contains("no PipeWire camera node: PipeWire's library "), log);
    assertTrue(live.property("CameraDevice").contains("davis2016_lucia"), live.property("CameraDevice"));
    List<String> bundled;
    try (var files = Files.list(Path.of("../backgrounds"))) {
      bundled = files.filter(f -> f.toString().matches(".*\\.(png|jpe?g|webp)")).map(f -> "\""
          + f.toAbsolutePath().normalize() + "\"").sorted().toList();
    }
    assertEquals("as " + bundled.size() + " " + String.join(" ", bundled), live.property("Backgrounds"));
    assertTrue(live.property("Device").startsWith("s \"CPU") || live.property("Device").startsWith("s \"GPU"));
    String engine = live.property("Engine");
    assertTrue(engine.startsWith("s \"onnxruntime (auto: no usable GPU")
        || engine.startsWith("s \"tensorflow (auto: a usable GPU"), engine);
    assertTrue(log.contains("Inference engine: " + engine.substring(3, engine.length() - 1)), log);
    assertEquals("u 1", live.property("Consumers"));
  }

  @Test
  @Order(2)
  void theLogHoldsOnlyTheServicesOwnLines() throws Exception {
    // Every line is a log event in the test's logback pattern: nothing a native library printed in a format of its
    // own (FFmpeg's muxer summary, "Output #0, yuv4mpegpipe, ...", came before its log level was set).
    Pattern ours = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) [\\w$]+ - .*");
    List<String> foreign = Files.readAllLines(live.log).stream().filter(line -> !ours.matcher(line).matches())
        .toList();
    assertEquals(List.of(), foreign);
  }

  @Test
  @Order(3)
  void setColorTurnsTheBackgroundGreenAndSignalsTheChange() throws Exception {
    Path signals = live.dir.resolve("signals.txt");
    Process monitor = new ProcessBuilder("dbus-monitor", "--address", live.address,
        "type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'")
        .redirectErrorStream(true).redirectOutput(signals.toFile()).start();
    try {
      Thread.sleep(500);
      live.call("SetColor", "s", "#00ff00");
    } finally {
      monitor.destroy();
      monitor.waitFor(5, TimeUnit.SECONDS);
    }
    live.assertCorners(0, 255, 0, "after SetColor #00ff00");
    assertEquals("s \"color\"", live.property("Mode"));
    String seen = Files.readString(signals);
    assertTrue(seen.contains("string \"io.github.vbackcam.Control1\"") && seen.contains("string \"Mode\"")
        && seen.contains("string \"color\"") && seen.contains("string \"color #00ff00\""), seen);
  }

  @Test
  @Order(4)
  void setBlurShowsTheRealBackgroundAgain() throws Exception {
    live.call("SetBlur", "u", "30");
    int[] rgb = live.corner(live.lastFrame(), 4, 4);
    assertTrue(!(rgb[1] > 150 && rgb[0] < 100 && rgb[2] < 100), "still green after SetBlur: " + rgbText(rgb));
    assertEquals("s \"blur 30\"", live.property("Background"));
  }

  @Test
  @Order(5)
  void setBackgroundShowsTheImage() throws Exception {
    Path red = live.dir.resolve("red.ppm");
    writePpm(red, 255, 0, 0);
    live.call("SetBackground", "s", red.toString());
    live.assertCorners(255, 0, 0, "after SetBackground red.ppm");
    assertEquals("s \"image\"", live.property("Mode"));
  }

  @Test
  @Order(6)
  void badArgumentsFailAndTheBackgroundStays() throws Exception {
    Path corrupt = live.dir.resolve("corrupt.png");
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
      Result r = live.run("dbus-send", "--bus=" + live.address, "--print-reply", "--dest=" + DEST, PATH,
          IFACE + "." + a[0],
          (a[1].equals("s") ? "string:" : "uint32:") + a[2]);
      assertTrue(r.status() != 0, a[0] + " " + a[2] + " was accepted");
      assertTrue(r.err().contains("org.freedesktop.DBus.Error.InvalidArgs"), a[0] + ": " + r.err());
      assertTrue(r.err().contains(e.getValue()), a[0] + " error does not quote '" + e.getValue() + "': " + r.err());
      Result viaBusctl = live.run("busctl", "--address=" + live.address, "call", DEST, PATH, IFACE, a[0], a[1],
          a[2]);
      assertTrue(viaBusctl.status() != 0 && viaBusctl.err().contains(e.getValue()), viaBusctl.err());
    }
    live.assertCorners(255, 0, 0, "after the rejected calls");
    assertEquals("s \"selfie\"", live.property("Model"));
    assertEquals("s \"image\"", live.property("Mode"));
  }

  @Test
  @Order(7)
  void vbackcamctlSetsTheColourAndReportsErrors() throws Exception {
    Result ok = live.run(live.java("ctl", "color", "#0000ff"));
    assertEquals(0, ok.status(), ok.err());
    Thread.sleep(1200);
    live.assertCorners(0, 0, 255, "after vbackcamctl color #0000ff");
    Result bad = live.run(live.java("ctl", "mode", "sepia"));
    assertEquals(1, bad.status());
    assertTrue(bad.err().contains("unknown mode 'sepia'"), bad.err());
    Result status = live.run(live.java("ctl", "status"));
    assertTrue(status.out().contains("State: running") && status.out().contains("Mode: color"), status.out());
    live.assertCorners(0, 0, 255, "after the rejected vbackcamctl mode");
  }

  @Test
  @Order(8)
  void vbackcamctlSendsRelativePathsAsAbsoluteOnesFromItsOwnDirectory() throws Exception {
    Path pictures = Files.createDirectories(live.dir.resolve("pictures"));
    writePpm(pictures.resolve("yellow.ppm"), 255, 255, 0);
    writePpm(pictures.resolve("cyan.ppm"), 0, 255, 255);
    Result background = live.run(live.java("ctl", "background", "yellow.ppm").directory(pictures.toFile()));
    assertEquals(0, background.status(), background.err());
    assertEquals("s \"image " + pictures.resolve("yellow.ppm") + "\"", live.property("Background"));
    live.awaitCorners(255, 255, 0, "after vbackcamctl background yellow.ppm");
    ProcessBuilder effect = live.java("ctl", "effect", "image", "path=~/cyan.ppm").directory(live.dir.toFile());
    effect.environment().put("HOME", pictures.toString()); // no shell expands the ~ after path=
    Result tilde = live.run(effect);
    assertEquals(0, tilde.status(), tilde.err());
    assertEquals("s \"image " + pictures.resolve("cyan.ppm") + "\"", live.property("Background"));
    Result model = live.run(live.java("ctl", "model", "model.json").directory(pictures.toFile()));
    assertEquals(1, model.status(), model.err());
    assertTrue(model.err().contains(pictures.resolve("model.json") + ": no such file"), model.err());
    Result relative = live.run("busctl", "--address=" + live.address, "call", DEST, PATH, IFACE, "SetBackground", "s",
        "yellow.ppm");
    assertTrue(relative.status() != 0 && relative.err().contains("not an absolute path: yellow.ppm"), relative.err());
    assertEquals("s \"image " + pictures.resolve("cyan.ppm") + "\"", live.property("Background"));
  }

  @Test
  @Order(9)
  void modeNonePassesTheCameraThroughAndPauseShowsThePlaceholder() throws Exception {
    live.call("SetMode", "s", "none");
    int[] rgb = live.corner(live.lastFrame(), 4, 4);
    assertTrue(!(rgb[2] > 150 && rgb[0] < 100 && rgb[1] < 100), "still blue in mode none: " + rgbText(rgb));
    live.call("Pause");
    assertEquals("s \"paused\"", live.property("State"));
    Thread.sleep(1500);
    int[] grey = live.corner(live.lastFrame(), 4, 4);
    assertTrue(Math.abs(grey[0] - 40) < 12 && Math.abs(grey[1] - 40) < 12 && Math.abs(grey[2] - 40) < 12,
        "placeholder corner is not dark grey: " + rgbText(grey));
    live.call("Resume");
    assertEquals("s \"running\"", live.property("State"));
  }

  @Test
  @Order(10)
  void aHoldEndsWhenTheClientVanishes() throws Exception {
    Path out = live.dir.resolve("hold.txt");
    Process holder = live.java("ctl", "pause", "--hold").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!live.property("Holds").equals("u 1")) {
        assertTrue(holder.isAlive() && System.nanoTime() < deadline, "no hold: " + Files.readString(out));
        Thread.sleep(100);
      }
      while (!live.property("State").equals("s \"paused\"")) {
        assertTrue(System.nanoTime() < deadline, "not paused while held: " + live.property("State"));
        Thread.sleep(100);
      }
    } finally {
      holder.destroyForcibly(); // SIGKILL: the client cannot release; its bus name vanishing must
      holder.waitFor(5, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!live.property("State").equals("s \"running\"")) {
      assertTrue(System.nanoTime() < deadline, "still " + live.property("State") + " after the holder died");
      Thread.sleep(100);
    }
    assertEquals("u 0", live.property("Holds"));
  }

  @Test
  @Order(11)
  void reloadAppliesTheConfigurationAndRejectsABadFileWithItsLine() throws Exception {
    Path conf = live.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "# test\nmode = color\ncolor = #ff00ff\n");
    live.call("Reload");
    live.assertCorners(255, 0, 255, "after Reload with color #ff00ff");
    Files.writeString(conf, "mode = blur\nblurr = 10\n");
    Result r = live.run("busctl", "--address=" + live.address, "call", DEST, PATH, IFACE, "Reload");
    assertTrue(r.status() != 0 && r.err().contains(conf + ":2: unknown key 'blurr'"), r.err());
    Thread.sleep(1200);
    live.assertCorners(255, 0, 255, "after the rejected Reload");
    Files.delete(conf);
  }

  @Test
  @Order(12)
  void setEffectTakesAKindWithOptionsAndSoDoesVbackcamctlEffect() throws Exception {
    assertEquals("u 1", live.property("version"));
    live.call("SetEffect", "sa{sv}", "color", "2", "color", "s", "#00ffff", "hologram", "b", "false");
    live.assertCorners(0, 255, 255, "after SetEffect color #00ffff");
    assertEquals("s \"color #00ffff\"", live.property("Background"));
    String[][] bad = {{"blur", "radius", "u", "0", "'0'"}, {"blur", "size", "u", "3", "'size'"},
        {"sepia", "radius", "u", "3", "unknown mode 'sepia'"}};
    for (String[] c : bad) {
      Result r = live.run("busctl", "--address=" + live.address, "call", DEST, PATH, IFACE, "SetEffect", "sa{sv}",
          c[0], "1",
          c[1], c[2], c[3]);
      assertTrue(r.status() != 0 && r.err().contains(c[4]), String.join(" ", c) + ": " + r.err());
    }
    Result ctl = live.run(live.java("ctl", "effect", "color", "color=0000ff"));
    assertEquals(0, ctl.status(), ctl.err());
    Thread.sleep(1200);
    live.assertCorners(0, 0, 255, "after vbackcamctl effect color color=0000ff");
    Result hologram = live.run(live.java("ctl", "effect", "blur", "radius=12", "hologram=true"));
    assertEquals(0, hologram.status(), hologram.err());
    assertEquals("s \"blur 12 + hologram\"", live.property("Background"));
    Result usage = live.run(live.java("ctl", "effect", "blur", "radius"));
    assertEquals(2, usage.status(), usage.err());
    assertTrue(usage.err().contains("'radius' is not KEY=VALUE"), usage.err());
  }

  @Test
  @Order(13)
  void choicesAreRemembered() throws Exception {
    live.call("SetColor", "s", "#123456");
    String state = Files.readString(live.dir.resolve("state/vbackcam/state"));
    assertTrue(state.contains("mode = color") && state.contains("color = #123456"), state);
  }

  @Test
  @Order(14)
  void sigtermStopsTheServiceWithinASecond() throws Exception {
    long start = System.nanoTime();
    live.service().destroy(); // SIGTERM
    assertTrue(live.service().waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGTERM");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("service stopped " + millis + " ms after SIGTERM");
    assertTrue(millis < 1000, "took " + millis + " ms to stop");
    assertTrue(Pattern.compile("LiveEngine\\W+stopped").matcher(Files.readString(live.log)).find(),
        "no clean stop in the log");
  }
}
