package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Imports point down the layers drawn in {@code package-info.java}: no package reaches up to one that uses it. */
class LayersTest {

  private static final Path SOURCES = Path.of("src/main/java/io/github/vbackcam/core");

  /** Which packages each package may import ("" is the root package: the contracts, EffectChain and Render). */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("live", Set.of("", "composite", "segment", "sink")),
      Map.entry("", Set.of("composite", "segment", "sink", "source", "internal")),
      Map.entry("composite", Set.of("", "source", "internal")),
      Map.entry("segment", Set.of("", "tfjs", "device", "internal")),
      Map.entry("sink", Set.of("", "internal", "internal.v4l2", "internal.pipewire")),
      Map.entry("source", Set.of("", "internal")),
      Map.entry("device", Set.of()),
      Map.entry("tfjs", Set.of("", "internal")),
      Map.entry("internal", Set.of("")),
      Map.entry("internal.v4l2", Set.of()),
      Map.entry("internal.pipewire", Set.of()));

  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?io\\.github\\.vbackcam\\.core\\."
      + "((?:[a-z0-9]+\\.)*)[A-Z]");

  @Test
  void noPackageImportsOneAboveIt() throws IOException {
    List<String> upward = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
          if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
            upward.add(SOURCES.relativize(file) + " imports core." + to);
          }
        }
      }
    }
    assertEquals(List.of(), upward);
  }
}
