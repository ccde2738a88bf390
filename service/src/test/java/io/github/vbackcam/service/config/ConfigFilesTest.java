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
        Map.entry("model", "meet"),
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
        {"just words", "expected key = value, got 'just words'"},
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
    ConfigFiles.apply(state, again);
    assertEquals("color", again.get("mode"));
    assertEquals("#abcdef", again.get("color"));
    assertEquals("meet", again.get("model"));
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
