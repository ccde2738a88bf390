package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.vbackcam.service.dbus.Control1;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
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
 * The real service under hostile input, as an attacker or a careless user calls it: every method with every kind of
 * bad argument answers an error within a deadline, keeps the state it had and keeps frames flowing; files are judged
 * before they are read; the last request wins; whatever state the service is left in starts again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileServiceTest {

  /** Every bad call is answered within this. */
  private static final long DEADLINE_MS = 5000;

  private static ServiceHarness live;
  private static DBusConnection client;
  private static Control1 control;
  private static Properties properties;
  private static ServerSocketChannel socket;
  private static final Map<String, String> HOSTILE = new LinkedHashMap<>();
  private static final ExecutorService CALLERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hostile-caller");
    t.setDaemon(true);
    return t;
  });

  @RegisterExtension
  static final TestWatcher PRINT_LOG = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      live.printLog();
    }
  };

  @BeforeAll
  static void startAndMakeHostileFiles() throws Exception {
    live = ServiceHarness.start(160, 90);
    connect();
    Path d = Files.createDirectories(live.dir.resolve("hostile"));
    Path fifo = d.resolve("fifo.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    socket.bind(UnixDomainSocketAddress.of(d.resolve("socket.png")));
    Files.createSymbolicLink(d.resolve("loop-a.png"), d.resolve("loop-b.png"));
    Files.createSymbolicLink(d.resolve("loop-b.png"), d.resolve("loop-a.png"));
    Path sparse = d.resolve("huge.json");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(8L << 30); // 8 GB, sparse
    }
    Path bigJson = d.resolve("big.json");
    try (RandomAccessFile f = new RandomAccessFile(bigJson.toFile(), "rw")) {
      f.setLength(300L << 20);
    }
    Files.writeString(d.resolve("secret.json"), "{\"password\":\"hunter2\"}");
    Files.writeString(d.resolve("secret.png"), "{\"password\":\"hunter2\"}");
    Files.write(d.resolve("bomb.png"), pngClaiming(18000, 18000));
    HOSTILE.put("empty", "");
    HOSTILE.put("1 MB", "x".repeat(1 << 20));
    HOSTILE.put("newlines", "a.png\nmodel = /tmp/evil.json\nsize = 64x64\n#");
    HOSTILE.put("control characters", "\u0001\u0002\u001b[31mred\u007f\t.png");
    HOSTILE.put("FIFO", fifo.toString());
    HOSTILE.put("socket", d.resolve("socket.png").toString());
    HOSTILE.put("directory", d.toString());
    HOSTILE.put("device", "/dev/zero");
    HOSTILE.put("random device", "/dev/urandom");
    HOSTILE.put("symlink loop", d.resolve("loop-a.png").toString());
    HOSTILE.put("8 GB sparse JSON", sparse.toString());
    HOSTILE.put("300 MB JSON", bigJson.toString());
    HOSTILE.put("JSON with a secret", d.resolve("secret.json").toString());
    HOSTILE.put("secret named .png", d.resolve("secret.png").toString());
    HOSTILE.put("PNG of 18000x18000", d.resolve("bomb.png").toString());
    HOSTILE.put("missing", d.resolve("missing.png").toString());
  }

  private static void connect() throws Exception {
    client = DBusConnectionBuilder.forAddress(live.address).withShared(false).build();
    control = client.getRemoteObject(ServiceHarness.DEST, ServiceHarness.PATH, Control1.class);
    properties = client.getRemoteObject(ServiceHarness.DEST, ServiceHarness.PATH, Properties.class);
  }

  @AfterAll
  static void stop() throws IOException {
    if (client != null) {
      client.disconnect();
    }
    if (socket != null) {
      socket.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @Test
  @Order(1)
  void everyMethodAnswersEveryHostileArgumentWithAnErrorInTimeAndKeepsItsStateAndFrames() throws Exception {
    control.SetColor("#00ff00");
    Map<String, Consumer<String>> methods = new LinkedHashMap<>();
    methods.put("SetBackground", a -> control.SetBackground(a));
    methods.put("SetModel", a -> control.SetModel(a));
    methods.put("SetColor", a -> control.SetColor(a));
    methods.put("SetMode", a -> control.SetMode(a));
    methods.put("SetEffect(image, path)", a -> control.SetEffect("image", Map.of("path", new Variant<>(a))));
    methods.put("SetEffect(video, path)", a -> control.SetEffect("video", Map.of("path", new Variant<>(a))));
    methods.put("SetEffect(kind)", a -> control.SetEffect(a, Map.of()));
    methods.put("SetEffect(option name)", a -> control.SetEffect("blur", Map.of(a, new Variant<>(3))));
    methods.put("Hold(option name)", a -> control.Hold(Map.of(a, new Variant<>(a))));
    methods.put("Get(property)", a -> properties.Get(Control1.INTERFACE, a));
    int tried = 0;
    List<String> problems = new ArrayList<>();
    String background = live.property("Background");
    for (var method : methods.entrySet()) {
      long framesBefore = live.frames();
      for (var input : HOSTILE.entrySet()) {
        if (input.getKey().equals("empty") && method.getKey().equals("Get(property)")) {
          continue; // D-Bus itself has no empty-named property to refuse
        }
        tried++;
        String what = method.getKey() + " with " + input.getKey();
        Future<?> call = CALLERS.submit(() -> method.getValue().accept(input.getValue()));
        try {
          call.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
          problems.add(what + ": accepted");
        } catch (TimeoutException e) {
          problems.add(what + ": no answer within " + DEADLINE_MS + " ms");
          continue;
        } catch (java.util.concurrent.ExecutionException e) {
          String message = String.valueOf(e.getCause().getMessage());
          if (!(e.getCause() instanceof DBusExecutionException)) {
            problems.add(what + ": not a D-Bus error: " + e.getCause());
          } else if (message.contains("hunter2") || message.contains("\n") || message.length() > 1000) {
            problems.add(what + ": the message quotes content, holds a line break or is too long: "
                + message.substring(0, Math.min(300, message.length())));
          }
        }
        if (!live.property("Background").equals(background)) {
          problems.add(what + ": the background changed to " + live.property("Background"));
          control.SetColor("#00ff00");
        }
      }
      Thread.sleep(500);
      if (live.frames() <= framesBefore) {
        problems.add(method.getKey() + ": frames stopped");
      }
    }
    System.out.println("hostile inputs: " + tried + " tried, " + (tried - problems.size()) + " answered cleanly");
    assertEquals(List.of(), problems);
    assertEquals("s \"selfie\"", live.property("Model"));
    live.awaitCorners(0, 255, 0, "after the hostile calls");
  }

  @Test
  @Order(2)
  void everyRefusalNamesItsProblem() throws Exception {
    Path picture = live.dir.resolve("picture.ppm");
    ServiceHarness.writePpm(picture, 255, 0, 0);
    Path video = ServiceHarness.sharedFile("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4");
    String background = live.property("Background");
    Map<String, Runnable> calls = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    calls.put("SetBlur u 4294967295", () -> control.SetBlur(new UInt32(4294967295L)));
    expected.put("SetBlur u 4294967295", "blur radius '4294967295': out of range 1-200");
    calls.put("SetEffect blur radius x 4294967316", () -> control.SetEffect("blur",
        Map.of("radius", new Variant<>(4294967316L))));
    expected.put("SetEffect blur radius x 4294967316", "blur radius '4294967316': out of range 1-200");
    calls.put("SetEffect blur radius t 18446744073709551615", () -> control.SetEffect("blur",
        Map.of("radius", new Variant<>(new UInt64("18446744073709551615")))));
    expected.put("SetEffect blur radius t 18446744073709551615",
        "blur radius '18446744073709551615': out of range 1-200");
    calls.put("SetEffect blur radius y 255", () -> control.SetEffect("blur",
        Map.of("radius", new Variant<>((byte) 255))));
    expected.put("SetEffect blur radius y 255", "blur radius '255': out of range 1-200");
    for (String root : List.of("/", "//")) {
      calls.put("SetBackground " + root, () -> control.SetBackground(root));
      expected.put("SetBackground " + root, "/: not a regular file (a directory)");
    }
    calls.put("SetModel /", () -> control.SetModel("/"));
    expected.put("SetModel /", "/: a folder without model.json, so not a model folder");
    calls.put("SetModel of a missing model.json", () -> control.SetModel("/nonexistent/model.json"));
    expected.put("SetModel of a missing model.json", "/nonexistent/model.json: no such file");
    calls.put("SetModel of a missing folder", () -> control.SetModel("/nonexistent/bodypix/"));
    expected.put("SetModel of a missing folder", "/nonexistent/bodypix: no such file");
    calls.put("SetBackground relative", () -> control.SetBackground("beach.jpg"));
    expected.put("SetBackground relative", "not an absolute path: beach.jpg");
    calls.put("SetEffect image relative", () -> control.SetEffect("image",
        Map.of("path", new Variant<>("pictures/beach.jpg"))));
    expected.put("SetEffect image relative", "not an absolute path: pictures/beach.jpg");
    calls.put("SetEffect video relative", () -> control.SetEffect("video", Map.of("path", new Variant<>("clip.mp4"))));
    expected.put("SetEffect video relative", "not an absolute path: clip.mp4");
    calls.put("SetModel relative", () -> control.SetModel("bodypix/model.json"));
    expected.put("SetModel relative", "not an absolute path: bodypix/model.json");
    calls.put("SetModel relative .json", () -> control.SetModel("model.json"));
    expected.put("SetModel relative .json", "not an absolute path: model.json");
    calls.put("SetEffect video of a picture", () -> control.SetEffect("video",
        Map.of("path", new Variant<>(picture.toString()))));
    expected.put("SetEffect video of a picture", picture + ": a picture, not a video");
    calls.put("SetEffect image of a video", () -> control.SetEffect("image",
        Map.of("path", new Variant<>(video.toString()))));
    expected.put("SetEffect image of a video", video + ": a video, not a picture");
    List<String> problems = new ArrayList<>();
    for (var call : calls.entrySet()) {
      Future<?> answer = CALLERS.submit(call.getValue());
      try {
        answer.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        problems.add(call.getKey() + ": accepted");
      } catch (ExecutionException e) {
        String message = String.valueOf(e.getCause().getMessage());
        if (!(e.getCause() instanceof DBusExecutionException)) {
          problems.add(call.getKey() + ": not a D-Bus error: " + e.getCause());
        } else if (!message.contains(expected.get(call.getKey()))) {
          problems.add(call.getKey() + ": '" + message + "' does not say '" + expected.get(call.getKey()) + "'");
        }
      }
    }
    assertEquals(List.of(), problems);
    // The error's name, which dbus-java's client does not show.
    for (String[] args : new String[][] {{"SetBlur", "uint32:4294967295"},
        {"SetModel", "string:/nonexistent/model.json"}, {"SetModel", "string:model.json"},
        {"SetBackground", "string:beach.jpg"}}) {
      ServiceHarness.Result r = live.run("dbus-send", "--bus=" + live.address, "--print-reply",
          "--dest=" + ServiceHarness.DEST, ServiceHarness.PATH, ServiceHarness.IFACE + "." + args[0], args[1]);
      assertTrue(r.status() != 0 && r.err().contains("org.freedesktop.DBus.Error.InvalidArgs"),
          String.join(" ", args) + ": " + r.err());
    }
    // The numbers as QA sent them, through busctl.
    for (String[] args : new String[][] {{"SetBlur", "u", "4294967295"},
        {"SetEffect", "sa{sv}", "blur", "1", "radius", "x", "4294967316"},
        {"SetEffect", "sa{sv}", "blur", "1", "radius", "t", "18446744073709551615"}}) {
      ServiceHarness.Result r = live.busctl(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
      assertTrue(r.status() != 0 && r.err().contains("out of range 1-200"), String.join(" ", args) + ": " + r.err());
    }
    assertEquals(background, live.property("Background"));
    assertEquals("s \"selfie\"", live.property("Model"));
  }

  @Test
  @Order(3)
  void fourCallsOnAFifoPinNothing() throws Exception {
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(CompletableFuture.runAsync(() -> control.SetBackground(HOSTILE.get("FIFO")), CALLERS));
    }
    long start = System.nanoTime();
    assertEquals("s \"running\"", live.property("State"));
    for (CompletableFuture<Void> c : calls) {
      try {
        c.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        fail("a FIFO was accepted as background");
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause().getMessage().contains("not a regular file"), e.getCause().getMessage());
      }
    }
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS));
  }

  @Test
  @Order(4)
  void aModeIsTrimmedAsAColourIs() throws Exception {
    control.SetMode(" none ");
    assertEquals("s \"none\"", live.property("Mode"));
    control.SetColor(" #00ff00 ");
    assertEquals("s \"color #00ff00\"", live.property("Background"));
  }

  /**
   * Files whose read never returns, each standing for a file on a hung NFS, sshfs or FUSE mount: {@code /proc/kmsg}
   * is a regular, empty file whose read waits for the next kernel message. Only root may read it; the tests run as
   * root (in CI too), and as another user this fails, never skips.
   */
  private static Map<String, Path> stuckFiles() throws IOException {
    assertEquals("root", System.getProperty("user.name"), "reading /proc/kmsg needs root: run the tests as root");
    Path d = live.dir.resolve("stuck");
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("kmsg", Path.of("/proc/kmsg"));
    files.put("png", d.resolve("kmsg.png"));
    files.put("model dir", d.resolve("model"));
    files.put("model.json", d.resolve("model/model.json"));
    files.put("conf", d.resolve("vbackcam.conf"));
    if (!Files.isDirectory(d)) {
      Files.createDirectories(files.get("model dir"));
      for (String link : List.of("png", "model.json", "conf")) {
        Files.createSymbolicLink(files.get(link), Path.of("/proc/kmsg"));
      }
    }
    return files;
  }

  /**
   * A link named {@code name} in the folder {@code folder} (under the test's directory) to {@code /proc/kmsg}: a file
   * whose read never returns and that gets a read of its own (probes share one read per path). Root only, as above.
   */
  private static Path stuckLink(String folder, String name) throws IOException {
    stuckFiles();
    Path link = Files.createDirectories(live.dir.resolve(folder)).resolve(name);
    Files.deleteIfExists(link);
    return Files.createSymbolicLink(link, Path.of("/proc/kmsg"));
  }

  @Test
  @Order(5)
  void aFileWhoseReadNeverReturnsIsRefusedInTimeAndHoldsUpNoLaterCall() throws Exception {
    Map<String, Path> stuck = stuckFiles();
    String kmsg = stuck.get("kmsg").toString();
    Map<String, Runnable> calls = new LinkedHashMap<>();
    calls.put("SetBackground " + kmsg, () -> control.SetBackground(kmsg));
    calls.put("SetBackground " + stuck.get("png"), () -> control.SetBackground(stuck.get("png").toString()));
    calls.put("SetEffect video " + kmsg, () -> control.SetEffect("video", Map.of("path", new Variant<>(kmsg))));
    calls.put("SetModel " + stuck.get("model.json"), () -> control.SetModel(stuck.get("model.json").toString()));
    calls.put("SetModel " + stuck.get("model dir"), () -> control.SetModel(stuck.get("model dir").toString()));
    calls.put("SetBackground " + kmsg + " again", () -> control.SetBackground(kmsg));
    int colour = 0;
    for (var call : calls.entrySet()) {
      long start = System.nanoTime();
      Future<?> answer = CALLERS.submit(call.getValue());
      try {
        answer.get(10, TimeUnit.SECONDS);
        fail(call.getKey() + ": accepted");
      } catch (ExecutionException e) {
        String message = String.valueOf(e.getCause().getMessage());
        assertTrue(message.contains(": did not finish reading within 5 s"), call.getKey() + ": " + message);
      } catch (TimeoutException e) {
        fail(call.getKey() + ": no answer within 10 s");
      }
      System.out.println(call.getKey() + ": refused after " + (System.nanoTime() - start) / 1_000_000 + " ms");
      // The call that needs no file is not held up by the read still blocked.
      String hex = colour++ % 2 == 0 ? "#ff0000" : "#00ff00";
      CompletableFuture<Void> next = CompletableFuture.runAsync(() -> control.SetColor(hex), CALLERS);
      next.get(3, TimeUnit.SECONDS);
      assertEquals("s \"color " + hex + "\"", live.property("Background"), "after " + call.getKey());
      assertEquals("s \"selfie\"", live.property("Model"), "after " + call.getKey());
    }
    Path conf = live.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.deleteIfExists(conf);
    Files.createSymbolicLink(conf, stuck.get("conf"));
    try {
      control.Reload();
      fail("Reload of a configuration whose read never returns was accepted");
    } catch (DBusExecutionException e) {
      assertTrue(e.getMessage().startsWith("configuration not reloaded: " + conf + ": did not finish reading within"
          + " 5 s"), e.getMessage());
    } finally {
      Files.delete(conf);
    }
    control.SetBlur(new UInt32(7));
    assertEquals("s \"blur 7\"", live.property("Background"));
    control.SetColor("#00ff00"); // as the next tests expect
  }

  /**
   * dbus-java serves calls on a fixed pool of threads, and a call naming a file on a hung mount holds its thread for
   * seconds: with its default four threads, four such calls held up every property read. Callers checking files are
   * capped well below the pool, those beyond refused after a second's wait for a turn, so reads and calls that need
   * no file are answered meanwhile.
   */
  @Test
  @Order(5)
  void manyCallsOnFilesWhoseReadNeverReturnsHoldUpNoPropertyReadNorQuickCall() throws Exception {
    Map<String, CompletableFuture<Void>> calls = new LinkedHashMap<>();
    for (int i = 0; i < ServiceControls.FILE_CHECKS + 4; i++) {
      Path link = stuckLink("stuck-many", "kmsg-" + i + (i % 3 == 2 ? ".json" : ".png"));
      calls.put(link.toString(), CompletableFuture.runAsync(i % 3 == 2 ? () -> control.SetModel(link.toString())
          : () -> control.SetBackground(link.toString()), CALLERS));
    }
    Thread.sleep(300); // the calls reach the service and start their reads
    long slowest = 0;
    int colour = 0;
    while (calls.values().stream().anyMatch(c -> !c.isDone())) {
      long start = System.nanoTime();
      assertEquals("s \"running\"", live.property("State"));
      String hex = colour++ % 2 == 0 ? "#ff0000" : "#0000ff";
      control.SetColor(hex);
      assertEquals("s \"color " + hex + "\"", live.property("Background"));
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      Thread.sleep(100);
    }
    int refused = 0;
    for (var call : calls.entrySet()) {
      try {
        call.getValue().get(10, TimeUnit.SECONDS);
        fail(call.getKey() + ": accepted");
      } catch (ExecutionException e) {
        String message = String.valueOf(e.getCause().getMessage());
        if (message.contains(" not applied: " + ServiceControls.FILE_CHECKS + " other calls are waiting for files"
            + " that have not answered yet")) {
          refused++;
        } else {
          // "did not finish reading within 5 s", or what the file was found to be if a kernel message came meanwhile
          assertTrue(message.contains(call.getKey() + ": "), message);
        }
      }
    }
    System.out.println(calls.size() + " calls on files whose read never returns: " + refused
        + " refused after a second, slowest property read and SetColor " + slowest + " ms");
    // Each call beyond the checks in progress was refused after its second of waiting for a turn (fewer if a kernel
    // message let a read return early and a turn free).
    assertTrue(refused > 0 && refused <= calls.size() - ServiceControls.FILE_CHECKS, refused + " refused");
    assertTrue(slowest < 1000, "a property read and SetColor took " + slowest + " ms meanwhile");
    assertEquals("s \"selfie\"", live.property("Model"));
    control.SetColor("#00ff00"); // as the next tests expect
  }

  @Test
  @Order(6)
  void aSlowBackgroundThenAColourTheColourWins() throws Exception {
    Path big = live.dir.resolve("big.png");
    try (var image = new org.bytedeco.opencv.opencv_core.Mat(6000, 6000,
        org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(0, 0, 255, 0))) {
      assertTrue(org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(big.toString(), image));
    }
    CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> control.SetBackground(big.toString()), CALLERS);
    Thread.sleep(50);
    control.SetColor("#0000ff");
    try {
      slow.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Overtaken while it still waited for the loader: the other outcome in which the later request wins.
      assertTrue(String.valueOf(e.getCause().getMessage()).contains("was superseded by a later request"), e.toString());
    }
    assertEquals("s \"color #0000ff\"", live.property("Background"));
    live.awaitCorners(0, 0, 255, "after SetBackground big.png, then SetColor #0000ff");
  }

  @Test
  @Order(7)
  void aBurstOfSlowBackgroundsHoldsUpNeitherPropertyReadsNorTheLastRequest() throws Exception {
    Path big = live.dir.resolve("big.jpg");
    try (var image = new org.bytedeco.opencv.opencv_core.Mat(8000, 8000,
        org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(0, 255, 255, 0))) {
      assertTrue(org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(big.toString(), image));
    }
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(CompletableFuture.runAsync(() -> control.SetBackground(big.toString()), CALLERS));
    }
    // Each waiting call used to hold one of dbus-java's four method-call threads until the loader reached it, and
    // property reads queued behind them (1-4 s); a request overtaken while it waits is now answered at once.
    long slowest = 0;
    while (calls.stream().anyMatch(c -> !c.isDone())) {
      long start = System.nanoTime();
      assertEquals("s \"running\"", live.property("State"));
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      Thread.sleep(50);
    }
    int superseded = 0;
    int refused = 0;
    try {
      for (CompletableFuture<Void> c : calls) {
        try {
          c.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          String message = String.valueOf(e.getCause().getMessage());
          // Superseded while waiting; or, on a loaded machine where checking the 64-megapixel file takes longer,
          // refused after waiting its turn among the file checks (the bound that keeps the connection's threads free).
          if (message.contains("was superseded by a later request")) {
            superseded++;
          } else {
            assertTrue(message.contains("other calls are waiting for files that have not answered yet"), e.toString());
            refused++;
          }
        }
      }
      System.out.println("50 slow backgrounds at once: " + superseded + " superseded, " + refused
          + " refused while the files were checked, slowest property read " + slowest + " ms");
      assertTrue(slowest < 1000, "a property read took " + slowest + " ms during the burst");
      assertEquals("s \"image " + big + "\"", live.property("Background"));
      live.awaitCorners(255, 255, 0, "after the burst of " + big);
    } finally {
      control.SetColor("#0000ff"); // as the next test expects, whatever happened here
    }
  }

  @Test
  @Order(8)
  void reloadAppliesAllOfAFileOrNothing() throws Exception {
    Path conf = live.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.createDirectories(conf.getParent());
    Path corrupt = live.dir.resolve("corrupt.png");
    Files.write(corrupt, pngClaiming(64, 36)); // a sound header, no picture: passes the checks, fails to decode
    Path meet = Path.of("../core/target/models/meet/meet.json").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(meet), "the build fetches the meet model to " + meet);
    for (String background : List.of(live.dir.resolve("missing.png").toString(), HOSTILE.get("FIFO"),
        corrupt.toString())) {
      Files.writeString(conf, "model = " + meet + "\nmode = image\nbackground = " + background + "\n");
      try {
        control.Reload();
        fail("Reload with background " + background + " was accepted");
      } catch (DBusExecutionException e) {
        assertTrue(e.getMessage().startsWith("configuration not reloaded: " + conf + ":3: "), e.getMessage());
      }
      assertEquals("s \"selfie\"", live.property("Model"), "the model changed although " + background
          + " was refused");
      assertEquals("s \"color #0000ff\"", live.property("Background"));
    }
    for (String model : List.of("bogus", "/nonexistent/model.json")) {
      Files.writeString(conf, "# a model that does not load\nmode = color\ncolor = #ff00ff\nmodel = " + model + "\n");
      try {
        control.Reload();
        fail("Reload with model " + model + " was accepted");
      } catch (DBusExecutionException e) {
        assertTrue(e.getMessage().startsWith("configuration not reloaded: " + conf + ":4: cannot load model '" + model
            + "': "), e.getMessage());
        assertTrue(!model.startsWith("/") || e.getMessage().endsWith(model + ": no such file"), e.getMessage());
      }
      assertEquals("s \"color #0000ff\"", live.property("Background"), "a part of the file was applied");
    }
    // Saved by an editor that writes a byte-order mark.
    Files.write(conf, "\ufeffmode = color\ncolor = #ff00ff\n".getBytes(StandardCharsets.UTF_8));
    control.Reload();
    assertEquals("s \"color #ff00ff\"", live.property("Background"));
    Files.delete(conf);
  }

  @Test
  @Order(9)
  void anAnimatedGifBackgroundPlaysWhetherCalledOrConfigured() throws Exception {
    Path gif = redThenBlueGif(live.dir.resolve("anim.gif"));
    control.SetBackground(gif.toString());
    assertEquals("s \"image " + gif + "\"", live.property("Background"));
    awaitRedAndBlue("after SetBackground " + gif);
    Path conf = live.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.writeString(conf, "mode = image\nbackground = " + gif + "\n");
    live.stopService();
    client.disconnect();
    Files.delete(live.dir.resolve("state/vbackcam/state")); // the remembered choices would win over the file
    long logBefore = Files.size(live.log);
    live.startService();
    connect();
    try {
      assertEquals("s \"image " + gif + "\"", live.property("Background"));
      String log = Files.readString(live.log).substring((int) logBefore);
      assertFalse(log.contains("using the first bundled one"), log);
      awaitRedAndBlue("after a start with " + gif + " configured");
    } finally {
      Files.delete(conf);
    }
  }

  /** Waits up to 10 s for the output's corner to have shown red and blue, as the animation goes round. */
  private static void awaitRedAndBlue(String when) throws Exception {
    boolean red = false;
    boolean blue = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(red && blue) && System.nanoTime() < deadline) {
      if (live.frames() == 0) { // just started: FFmpeg has not written the header yet
        Thread.sleep(50);
        continue;
      }
      int[] rgb = live.corner(live.lastFrame(), 4, 4);
      red |= rgb[0] > 180 && rgb[1] < 80 && rgb[2] < 80;
      blue |= rgb[2] > 180 && rgb[0] < 80 && rgb[1] < 80;
      Thread.sleep(50);
    }
    assertTrue(red && blue, when + ": the corner showed " + (red ? "red" : blue ? "blue" : "neither") + " only");
  }

  /** An animated GIF, looped forever: red for half a second, then blue for half a second. */
  private static Path redThenBlueGif(Path file) throws Exception {
    try (var recorder = new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 64, 36, 0);
         var converter = new org.bytedeco.javacv.OpenCVFrameConverter.ToMat()) {
      recorder.setFormat("gif");
      recorder.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_GIF);
      recorder.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB8);
      recorder.setFrameRate(2);
      recorder.setOption("loop", "0");
      recorder.setOption("final_delay", "50");
      recorder.start();
      for (double[] bgr : new double[][] {{0, 0, 255}, {255, 0, 0}}) {
        try (var m = new org.bytedeco.opencv.opencv_core.Mat(36, 64, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
            new org.bytedeco.opencv.opencv_core.Scalar(bgr[0], bgr[1], bgr[2], 0))) {
          recorder.record(converter.convert(m), org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
        }
      }
      recorder.stop();
    }
    return file;
  }

  @Test
  @Order(10)
  void anInjectedPathAndModeNoneAreRememberedAndStartAgain() throws Exception {
    Path injected = live.dir.resolve("a\nmodel = evil\nsize = 64x64\n#.ppm");
    ServiceHarness.writePpm(injected, 255, 0, 0);
    control.SetBackground(injected.toString());
    control.SetMode("none");
    Path state = live.dir.resolve("state/vbackcam/state");
    String remembered = Files.readString(state);
    assertEquals(7, remembered.lines().count(), remembered);
    restart();
    assertEquals("s \"none\"", live.property("Mode"));
    assertEquals("s \"selfie\"", live.property("Model"));
    control.SetMode("image");
    live.awaitCorners(255, 0, 0, "mode image after the restart: the remembered background with newlines");
  }

  @Test
  @Order(11)
  void aBrokenStateFileOrAFifoRememberedAsModelAndBackgroundStillStarts() throws Exception {
    Path state = live.dir.resolve("state/vbackcam/state");
    live.stopService();
    Files.write(state, "mode = color\ncolor = #ff0000\nbackground = /home/j\u00f6rg\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    live.startService();
    connect();
    assertTrue(Files.exists(state.resolveSibling("state.bad")));
    assertTrue(Files.readString(live.log).contains("not UTF-8 text"), "no log line about the state file");
    assertEquals("s \"image\"", live.property("Mode"));
    live.stopService();
    client.disconnect();
    String fifo = HOSTILE.get("FIFO");
    Files.writeString(state, "mode = image\nbackground = " + fifo + "\nmodel = " + fifo + "\n");
    live.startService();
    connect();
    String log = Files.readString(live.log);
    assertTrue(log.contains("model " + fifo + ": " + fifo + ": not a regular file"), log);
    assertTrue(log.contains("background image: " + fifo + ": not a regular file"), log);
    assertEquals("s \"selfie\"", live.property("Model"));
  }

  @Test
  @Order(12)
  void aSecondInstanceWithTheSameOutputRefusesAtOnceAndTouchesNothing() throws Exception {
    long size = Files.size(live.output);
    Result sameBus = secondInstance(live.runCommand());
    assertEquals(1, sameBus.status, sameBus.text);
    assertTrue(sameBus.text.contains("another vbackcam service runs on this session bus"), sameBus.text);
    String[] address = new String[1];
    Process otherBus = ServiceHarness.privateBus(address);
    try {
      ProcessBuilder pb = live.runCommand();
      pb.environment().put("DBUS_SESSION_BUS_ADDRESS", address[0]);
      Result sameOutput = secondInstance(pb);
      assertEquals(1, sameOutput.status, sameOutput.text);
      assertTrue(sameOutput.text.contains("output " + live.output + " is in use by another vbackcam service"),
          sameOutput.text);
    } finally {
      otherBus.destroy();
    }
    assertTrue(Files.size(live.output) >= size, "the running service's output shrank");
    assertEquals("s \"running\"", live.property("State"));
  }

  private record Result(int status, long millis, String text) {}

  /** Runs a second service to its end: it must refuse before loading anything (a JVM start, well under 10 s). */
  private static Result secondInstance(ProcessBuilder pb) throws Exception {
    Path out = Files.createTempFile(live.dir, "second", ".log");
    long start = System.nanoTime();
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the second instance still runs after 10 s: "
        + Files.readString(out));
    return new Result(p.exitValue(), (System.nanoTime() - start) / 1_000_000, Files.readString(out));
  }

  @Test
  @Order(13)
  void sigtermUnderLoadStopsWithinTwoSecondsCleanlyWithWholeFrames() throws Exception {
    long logBefore = Files.size(live.log);
    java.util.concurrent.atomic.AtomicBoolean calling = new java.util.concurrent.atomic.AtomicBoolean(true);
    List<CompletableFuture<Void>> load = new ArrayList<>();
    // Callers whose files never answer, waiting in their checks when the signal comes: cut short, not waited for.
    for (int i = 0; i < 3; i++) {
      Path link = stuckLink("stuck-stop", "kmsg-" + i + ".png");
      load.add(CompletableFuture.runAsync(() -> control.SetBackground(link.toString()), CALLERS));
    }
    for (int i = 0; i < 3; i++) {
      int n = i;
      load.add(CompletableFuture.runAsync(() -> {
        while (calling.get()) {
          try {
            control.SetColor(n % 2 == 0 ? "#ff0000" : "#00ff00");
            control.SetBlur(new org.freedesktop.dbus.types.UInt32(5 + n));
            properties.Get(Control1.INTERFACE, "Fps");
          } catch (RuntimeException stopped) {
            return; // the service went away mid-call: expected
          }
        }
      }, CALLERS));
    }
    Thread.sleep(1000);
    long start = System.nanoTime();
    live.service().destroy(); // SIGTERM
    boolean ended = live.service().waitFor(2, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    calling.set(false);
    assertTrue(ended, "still running 2 s after SIGTERM");
    System.out.println("stopped " + millis + " ms after SIGTERM under load");
    assertEquals(0, live.service().exitValue(), "a clean stop is a clean exit");
    String log = Files.readString(live.log).substring((int) logBefore);
    assertFalse(log.contains("\tat ") || log.contains("Exception"), "stack traces on SIGTERM:\n" + log);
    assertEquals(0, live.partialBytes(), "the Y4M output ends in a partial frame");
  }

  @Test
  @Order(14)
  void aRememberedFileWhoseReadNeverReturnsStartsWithDefaultsAndAStopDuringTheStartIsClean() throws Exception {
    Map<String, Path> stuck = stuckFiles();
    Path state = live.dir.resolve("state/vbackcam/state");
    Files.writeString(state, "mode = video\nbackground = /proc/kmsg\nmodel = " + stuck.get("model dir") + "\n");
    // SIGTERM while the start still waits for the background: a clean exit within seconds.
    long logBefore = Files.size(live.log);
    Process starting = live.runCommand().redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(live.log.toFile())).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(live.log).substring((int) logBefore).contains("Inference engine")) {
        assertTrue(starting.isAlive() && System.nanoTime() < deadline, Files.readString(live.log));
        Thread.sleep(20);
      }
      starting.destroy(); // SIGTERM
      assertTrue(starting.waitFor(5, TimeUnit.SECONDS), "still running 5 s after a SIGTERM during the start");
      assertEquals(0, starting.exitValue(), "a stop during the start is a clean exit");
    } finally {
      starting.destroyForcibly();
    }
    // Left to start, it falls back to the defaults, saying why.
    logBefore = Files.size(live.log);
    live.startService();
    connect();
    String log = Files.readString(live.log).substring((int) logBefore);
    assertTrue(log.contains("background video: /proc/kmsg: did not finish reading within 5 s"), log);
    assertTrue(log.contains("model " + stuck.get("model dir") + ": " + stuck.get("model.json")
        + ": did not finish reading within 5 s"), log);
    assertEquals("s \"image\"", live.property("Mode"));
    assertEquals("s \"selfie\"", live.property("Model"));
    // A configuration file whose read never returns fails the start at once, naming it, as a binary one does.
    live.stopService();
    client.disconnect();
    Path conf = live.dir.resolve("config/vbackcam/vbackcam.conf");
    Files.deleteIfExists(conf);
    Files.createSymbolicLink(conf, stuck.get("conf"));
    try {
      Path out = Files.createTempFile(live.dir, "conf", ".log");
      Process p = live.runCommand().redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "still starting 30 s later: " + Files.readString(out));
      String text = Files.readString(out);
      assertEquals(1, p.exitValue(), text);
      assertTrue(text.contains(conf + ": did not finish reading within 5 s"), text);
    } finally {
      Files.delete(conf);
    }
    live.startService();
    connect();
  }

  @Test
  @Order(15)
  void sighupIsACleanStopWithWholeFrames() throws Exception {
    if (!live.service().isAlive()) { // run on its own
      Files.deleteIfExists(live.dir.resolve("state/vbackcam/state"));
      live.startService();
      connect();
    }
    long logBefore = Files.size(live.log);
    Thread.sleep(1000);
    assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(live.service().pid())).start().waitFor());
    assertTrue(live.service().waitFor(5, TimeUnit.SECONDS), "still running 5 s after SIGHUP");
    assertEquals(0, live.service().exitValue(), "a hangup is a clean stop");
    assertTrue(Files.readString(live.log).substring((int) logBefore).contains("stopping"));
    assertEquals(0, live.partialBytes(), "the Y4M output ends in a partial frame");
  }

  private static void restart() throws Exception {
    live.stopService();
    client.disconnect();
    live.startService();
    connect();
  }

  /** A valid PNG signature and header claiming {@code w x h} pixels, then the data of a 1x1 picture. */
  private static byte[] pngClaiming(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array();
    CRC32 crc = new CRC32();
    crc.update(ihdr);
    b.putInt(13).put(ihdr).putInt((int) crc.getValue());
    b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt(0xae426082);
    return b.array();
  }
}
