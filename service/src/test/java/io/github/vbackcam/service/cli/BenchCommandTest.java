package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "tensorflow"})
  void theJsonNamesTheEngineThatRanAndWhy(String engine) throws Exception {
    Path json = dir.resolve(engine + ".json");
    Cli r = Cli.run("bench", "--input", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--size", "320x180", "--frames", "20", "--engine", engine, "--json", json.toString());
    assertEquals(0, r.status(), r.err());
    String text = Files.readString(json);
    assertTrue(text.contains("\"engine\": \"" + engine + "\""), text);
    assertTrue(text.contains("\"engineReason\": \"requested\""), text);
    assertTrue(text.matches("(?s).*\"firstFrameSeconds\": [0-9]*[1-9][0-9]*\\.[0-9]{3},.*"), text);
    assertTrue(text.matches("(?s).*\"firstFrameCpuSeconds\": [0-9]+\\.[0-9]{3},.*"), text);
  }

  @Test
  void autoOnAMachineWithoutAUsableGpuTakesOnnxRuntime() throws Exception {
    Path json = dir.resolve("auto.json");
    Cli r = Cli.run("bench", "--input", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--size", "320x180", "--frames", "10", "--json", json.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.readString(json).contains("\"engine\": \"onnxruntime\""), Files.readString(json));
  }

  @Test
  void theJsonStaysJsonWhateverTheBackgroundIsCalledAndSaysNoClassDataArchiveWasMapped() throws Exception {
    // A file name may hold quotes, backslashes and control characters; the report must still parse.
    Path background = dir.resolve("a \"quoted\\ name\t.png");
    Files.copy(Path.of("../backgrounds/dusk-bokeh.png"), background);
    Path json = dir.resolve("odd.json");
    Cli r = Cli.run("bench", "--input", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--size", "320x180", "--frames", "5", "--background", background.toString(), "--json", json.toString());
    assertEquals(0, r.status(), r.err());
    JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    // (The effect's own text shows the tab as '?', as in log lines.)
    assertTrue(report.get("background").getAsString().contains(dir + "/a \"quoted\\ name"), report.toString());
    // These tests run in Surefire's JVM, started without the launcher's archive (rpm/test checks the mapped case).
    assertTrue(report.get("classDataArchive").isJsonNull(), report.toString());
  }

  @Test
  void anUnknownEngineIsOneLineNamingIt() throws Exception {
    Cli r = Cli.run("bench", "--input", Cli.shared("data/videos/tears_of_steel_excerpt_640x360_24fps.mp4").toString(),
        "--engine", "cuda", "--json", dir.resolve("x.json").toString());
    assertTrue(r.status() != 0, "exit status " + r.status());
    assertTrue(r.err().contains("engine 'cuda': expected auto, onnxruntime or tensorflow"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
