package io.github.vbackcam.service.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.service.Main;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every path option expands {@code ~/} from {@code $HOME}, also where the shell leaves it alone ({@code --x=~/f}):
 * the real command tree of {@link Main} parses the arguments.
 */
class HomePathTest {

  private static final String HOME = FileTypes.expandHome("~");

  private static <T> T parsed(Class<T> command, String... args) {
    CommandLine cli = Main.commandLine();
    CommandLine.ParseResult result = cli.parseArgs(args);
    return command.cast(result.subcommand().commandSpec().userObject());
  }

  @Test
  void renderExpandsInputOutputAndBackground() {
    RenderCommand render = parsed(RenderCommand.class, "render", "-i", "~/in.mp4", "--output=~/out/o.mp4",
        "--background=~/Pictures/beach.png");
    assertEquals(Path.of(HOME, "in.mp4"), render.input);
    assertEquals(Path.of(HOME, "out/o.mp4"), render.output);
    assertEquals(Path.of(HOME, "Pictures/beach.png"), render.effect.choice.background);
  }

  @Test
  void benchAndSegmentExpandTheirPathsAndLeaveOthersAlone() {
    BenchCommand bench = parsed(BenchCommand.class, "bench", "--json=~/r.json", "-i", "clips/~/a.mp4");
    assertEquals(Path.of(HOME, "r.json"), bench.json);
    assertEquals(Path.of("clips/~/a.mp4"), bench.input);
    SegmentCommand segment = parsed(SegmentCommand.class, "segment", "-i=~", "-o", "~user/masks");
    assertEquals(Path.of(HOME), segment.input);
    assertEquals(Path.of("~user/masks"), segment.output);
  }
}
