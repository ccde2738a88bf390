package io.github.vbackcam.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.composite.Effect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file format: every key, and errors that name the file and the line. */
class ConfigFilesTest {

  @TempDir
  Path dir;

  private Settings read(String text) throws IOException {
    Path f = dir.resolve("vbackcam.conf");
    Files.writeString(f, text);
    Settings s = new Settings();
    ConfigFiles.apply(f, s);
    return s;
  }

  @Test
  void everyKeyIsReadWithCommentsAndBlankLinesIgnored() throws IOException {
    Map<String, String> good = Map.ofEntries(Map.entry("camera", "/dev/video2"), Map.entry("camera-format", "yuyv422"),
        Map.entry("camera-size", "640x480"), Map.entry("camera-fps", "15"), Map.entry("output", "/dev/video21"),
        Map.entry("pipewire", "no"), Map.entry("size", "960x540"), Map.entry("mode", "blur"), Map.entry("background", "~/Pictures/beach.jpg"),
        Map.entry("blur", "35"), Map.entry("color", "#112233"), Map.entry("hologram", "true"),
        Map.entry("model", "meet"), Map.entry("engine", "tensorflow"),
        Map.entry("threshold", "0.6"), Map.entry("feather", "3"), Map.entry("smoothing", "0.5"),
        Map.entry("placeholder-fps", "1"), Map.entry("still-fps", "25"));
    assertEquals(new HashSet<>(Settings.KEYS), good.keySet(), "every key has a case here");
    StringBuilder text = new StringBuilder("# a comment\n\n");
    good.forEach((k, v) -> text.append("  ").append(k).append(" = ").append(v).append("  \n"));
    Settings s = read(text.toString());
    good.forEach((k, v) -> assertEquals(v, s.get(k), k));
    assertEquals(new Effect.Blur(35, true), s.effect(Path.of("/default.png")));
  }

  @Test
  void aControlCharacterInALineIsRefusedWithFileAndLineNotTrimmedAway() {
    for (String bad : List.of("blur = 7\0", "blur = 7\u0007", "color = #00\u001bff00", "model\0 = meet")) {
      IOException e = assertThrows(IOException.class, () -> read("# ok\nmode = blur\n" + bad + "\n"),
          bad.replace("\0", "\\0"));
      assertTrue(e.getMessage().startsWith(dir.resolve("vbackcam.conf") + ":3: a control character (U+"),
          e.getMessage());
    }
  }

  @Test
  void tabsAndWindowsLineEndsAreNotControlCharactersToRefuse() throws IOException {
    assertEquals("7", read("blur\t=\t7\r\nmode = blur\r\n").get("blur"));
  }

  @Test
  void unknownKeyNamesFileAndLine() {
    IOException e = assertThrows(IOException.class, () -> read("# ok\nmodel = meet\nbackgorund = x.png\n"));
    assertTrue(e.getMessage().startsWith(dir.resolve("vbackcam.conf") + ":3: unknown key 'backgorund'"),
        e.getMessage());
  }

  @Test
  void badValuesNameFileLineAndValue() {
    String[][] cases = {
        {"size = 1281x720", "bad value '1281x720' for size"},
        {"blur = 0", "bad value '0' for blur: out of range 1-200"},
        {"color = green", "bad value 'green' for color: expected #rrggbb"},
        {"mode = sepia", "bad value 'sepia' for mode"},
        {"threshold = high", "bad value 'high' for threshold: not a number"},
        {"camera-fps = 0", "bad value '0' for camera-fps"},
        {"output = ", "bad value '' for output: must not be empty"},
        {"pipewire = maybe", "bad value 'maybe' for pipewire: yes or no"},
        {"engine = tflite", "bad value 'tflite' for engine: expected auto, onnxruntime or tensorflow"},
        {"just words", "expected key = value"},
    };
    for (String[] c : cases) {
      IOException e = assertThrows(IOException.class, () -> read("\n" + c[0] + "\n"), c[0]);
      assertTrue(e.getMessage().startsWith(dir.resolve("vbackcam.conf") + ":2: " + c[1]), e.getMessage());
    }
  }

  @Test
  void laterFilesOverrideEarlierOnesAndStateRoundTrips() throws IOException {
    Path system = dir.resolve("system.conf");
    Path user = dir.resolve("user.conf");
    Files.writeString(system, "model = meet\nblur = 10\n");
    Files.writeString(user, "blur = 40\n");
    Settings s = new Settings();
    ConfigFiles.apply(system, s);
    ConfigFiles.apply(user, s);
    assertEquals("meet", s.get("model"));
    assertEquals("40", s.get("blur"));
    s.remember(new Effect.Color(0xabcdef, false));
    Path state = dir.resolve("state/vbackcam/state");
    ConfigFiles.saveState(state, s);
    Settings again = new Settings();
    ConfigFiles.applyState(state, again);
    assertEquals("color", again.get("mode"));
    assertEquals("#abcdef", again.get("color"));
    assertEquals("meet", again.get("model"));
  }

  @Test
  void aLineThatIsNotAKeyValuePairIsNamedWithoutQuotingIt() {
    IOException e = assertThrows(IOException.class, () -> read("root:x:0:0:secret\n"));
    assertEquals(dir.resolve("vbackcam.conf") + ":1: expected key = value", e.getMessage());
  }

  @Test
  void textThatIsNotUtf8IsNamedWithFileAndLine() throws IOException {
    Path f = dir.resolve("latin1.conf");
    Files.write(f, "# ok\nbackground = /home/j\u00f6rg/bg.png\n".getBytes(StandardCharsets.ISO_8859_1));
    IOException e = assertThrows(IOException.class, () -> ConfigFiles.apply(f, new Settings()));
    assertEquals(f + ":2: not UTF-8 text (save the file as UTF-8)", e.getMessage());
    Path binary = dir.resolve("binary.conf");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
    e = assertThrows(IOException.class, () -> ConfigFiles.apply(binary, new Settings()));
    assertEquals(binary + ":1: not UTF-8 text (save the file as UTF-8)", e.getMessage());
  }

  @Test
  void aByteOrderMarkAtTheStartIsSkippedAndNowhereElse() throws IOException {
    Path f = dir.resolve("bom.conf");
    Files.write(f, "\ufeffmode = color\ncolor = #112233\n".getBytes(StandardCharsets.UTF_8));
    Settings s = new Settings();
    ConfigFiles.apply(f, s);
    assertEquals("color", s.get("mode"));
    assertEquals("#112233", s.get("color"));
    Files.write(f, "\ufeff# a comment first\n\ufeffmode = color\n".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> ConfigFiles.apply(f, new Settings()));
    assertTrue(e.getMessage().startsWith(f + ":2: unknown key '\ufeffmode'"), e.getMessage());
    Path state = dir.resolve("state");
    Files.write(state, "\ufeffmode = blur\nblur = 7\n".getBytes(StandardCharsets.UTF_8));
    Settings remembered = new Settings();
    ConfigFiles.applyState(state, remembered);
    assertEquals(new Effect.Blur(7, false), remembered.effect(Path.of("/default.png")));
  }

  @Test
  void eachValueReadFromAFileKnowsItsFileAndLine() throws IOException {
    Settings s = read("# models\n\nmodel = bogus\nblur = 7\n");
    assertEquals(dir.resolve("vbackcam.conf") + ":3", s.origin("model").orElseThrow());
    assertEquals(dir.resolve("vbackcam.conf") + ":4", s.origin("blur").orElseThrow());
    assertTrue(s.origin("mode").isEmpty(), "a default has no file");
    s.set("model", "selfie");
    assertTrue(s.origin("model").isEmpty(), "a value set at run time still names the file");
    s.remember(new Effect.Blur(9, false));
    assertTrue(s.origin("blur").isEmpty(), "a remembered effect still names the file");
  }

  @Test
  void aDirectoryAFifoOrAHugeFileInPlaceOfTheConfigurationIsNamed() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("as-dir.conf"));
    IOException e = assertThrows(IOException.class, () -> ConfigFiles.apply(directory, new Settings()));
    assertEquals(directory + ": a directory, not a file", e.getMessage());
    Path fifo = dir.resolve("fifo.conf");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    long start = System.nanoTime();
    e = assertThrows(IOException.class, () -> ConfigFiles.apply(fifo, new Settings()));
    assertEquals(fifo + ": not a regular file (a FIFO, device or socket)", e.getMessage());
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "reading a FIFO blocked");
    Path huge = dir.resolve("huge.conf");
    try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(8L << 30); // sparse: 8 GB that take no disk
    }
    e = assertThrows(IOException.class, () -> ConfigFiles.apply(huge, new Settings()));
    assertTrue(e.getMessage().startsWith(huge + ": too large"), e.getMessage());
  }

  @Test
  void aStateValueCannotAddOrChangeAnotherKey() throws IOException {
    Settings s = new Settings();
    String hostile = "/tmp/a\nmodel = /tmp/evil.json\r\nsize = 64x64\n#\\n\u0001.png";
    s.set("background", hostile);
    Path state = dir.resolve("state");
    ConfigFiles.saveState(state, s);
    List<String> lines = Files.readAllLines(state);
    assertEquals(1 + Settings.REMEMBERED.size(), lines.size(), String.join("\n", lines));
    Settings again = new Settings();
    ConfigFiles.applyState(state, again);
    assertEquals(hostile, again.get("background"));
    assertEquals("selfie", again.get("model"));
    assertEquals("1280x720", again.get("size"));
  }

  @Test
  void theExampleFileDocumentsEveryKeyAndParses() throws IOException {
    String example;
    try (InputStream in = getClass().getResourceAsStream("/vbackcam.conf.example")) {
      example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Set<String> documented = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^#\\s*([a-z-]+) = ").matcher(example);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(new HashSet<>(Settings.KEYS), documented);
    String uncommented = example.replaceAll("(?m)^#\\s*([a-z-]+ = )", "$1");
    read(uncommented);
    String man = Files.readString(Path.of("../man/vbackcam.1"));
    for (String key : Settings.KEYS) {
      assertTrue(man.contains(key.replace("-", "\\-")), "vbackcam(1) does not document " + key);
    }
  }
}
