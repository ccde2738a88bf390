package io.github.vbackcam.service;

import io.github.vbackcam.service.cli.BenchCommand;
import io.github.vbackcam.service.cli.HomePath;
import io.github.vbackcam.service.cli.ModelsCommand;
import io.github.vbackcam.service.cli.RenderCommand;
import io.github.vbackcam.service.cli.SegmentCommand;
import io.github.vbackcam.service.ctl.CtlCommand;
import io.github.vbackcam.service.daemon.RunCommand;
import io.github.vbackcam.service.doctor.DoctorCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vbackcam} program: the service and its command line. */
@Command(name = "vbackcam", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Virtual-background camera for Linux.",
    subcommands = {RenderCommand.class, SegmentCommand.class, BenchCommand.class, ModelsCommand.class,
        RunCommand.class, CtlCommand.class, DoctorCommand.class})
public final class Main implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit status: 0 success, 1 failure, 2 bad usage. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #run(String...)}, with picocli's output and error text going to the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    System.setProperty("ai.djl.offline", "true");
    // JavaCPP (FFmpeg, OpenCV) logs to stderr in a format of its own unless told to use SLF4J; read when its Loader
    // class loads, which no command has done yet.
    if (System.getProperty(JAVACPP_LOGGER) == null) {
      System.setProperty(JAVACPP_LOGGER, "slf4j");
    }
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(Main::report);
    return cli.execute(args);
  }

  /**
   * The command tree, with every {@link Path} option read through {@link HomePath}: {@code --background=~/x.png}
   * and {@code --json=~/r.json} reach us with the {@code ~} unexpanded, since the shell expands it only at the start
   * of a word.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(Path.class, new HomePath());
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Errors reach the user as one line naming the problem; the stack trace goes to the debug log only. */
  private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
      err.println("vbackcam " + cli.getCommandName() + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    err.println("vbackcam " + cli.getCommandName() + ": " + Errors.describe(e));
    err.flush();
    LOG.debug("failure", e);
    return 1;
  }

  /** The version baked in at build time. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vbackcam " + version()};
    }

    /** The version; read from the jar once, as the D-Bus status asks for it every second. */
    public static String version() {
      return Read.VERSION;
    }

    private static final class Read {
      static final String VERSION = read();

      private static String read() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
          if (in != null) {
            p.load(in);
          }
        } catch (IOException e) {
          return "unknown";
        }
        return p.getProperty("version", "unknown");
      }
    }
  }
}
