package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.segment.EngineChoice;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.ctl.CtlCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shell completion and vbackcamctl(1) are text that cannot ask the program; they must offer exactly the names
 * the program knows: the effect kinds, the models and the vbackcamctl commands.
 */
class CompletionsTest {

  private static final Path COMPLETION = Path.of("../completions/vbackcam.bash");

  /** The word list of every {@code compgen -W '...'} in the completion script that holds {@code word}. */
  private static List<Set<String>> listsWith(String script, String word) {
    Matcher m = Pattern.compile("compgen -W '([^']*)'").matcher(script);
    List<Set<String>> found = new java.util.ArrayList<>();
    while (m.find()) {
      Set<String> words = Set.of(m.group(1).trim().split("\\s+"));
      if (words.contains(word)) {
        found.add(words);
      }
    }
    return found;
  }

  @Test
  void theCompletionOffersTheKindsModelsAndCommandsTheProgramKnows() throws Exception {
    String script = Files.readString(COMPLETION);
    assertEquals(List.of(Set.copyOf(Effects.NAMES)), listsWith(script, "none"), "effect kinds");
    Set<String> models = Set.copyOf(ModelCatalog.NAMES);
    assertEquals(List.of(models, models), listsWith(script, ModelCatalog.DEFAULT), "vbackcamctl model, --model");
    Set<String> commands = new CommandLine(new CtlCommand()).getSubcommands().keySet();
    assertEquals(List.of(commands), listsWith(script, "pause"), "vbackcamctl's commands");
    Set<String> engines = Set.of(EngineChoice.CHOICES.split(", | or "));
    assertEquals(List.of(engines), listsWith(script, "onnxruntime"), "--engine");
  }

  @Test
  void vbackcamctlsManualDocumentsEveryCommand() throws Exception {
    String man = Files.readString(Path.of("../man/vbackcamctl.1"));
    Set<String> commands = new CommandLine(new CtlCommand()).getSubcommands().keySet();
    Set<String> documented = Pattern.compile("(?m)^\\.B (\\w+)").matcher(man).results().map(r -> r.group(1))
        .collect(Collectors.toSet());
    assertTrue(documented.containsAll(commands), "vbackcamctl(1) documents " + documented + ", not all of "
        + commands);
  }
}
