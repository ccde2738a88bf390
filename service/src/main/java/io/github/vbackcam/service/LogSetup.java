package io.github.vbackcam.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * The program's logging, set up in code (found by logback through {@code META-INF/services}): one line per event on
 * stdout, which journald takes when the service runs under systemd, at {@code VBACKCAM_LOG_LEVEL} (a level name;
 * INFO when unset or not a level).
 * It replaces a logback.xml because reading one (logback's Joran: an XML parser, its model and some 70 lambdas) was
 * start-up CPU at every start. A {@code logback-test.xml} on the class path (the tests') or a
 * {@code -Dlogback.configurationFile} still wins: then this steps aside.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  /**
   * JavaCPP's logger is SLF4J's (Main sets {@code org.bytedeco.javacpp.logger}), so its lines come out as ours. One of
   * them is known and harmless: OpenCV 1.5.14's presets ask for OpenBLAS 0.3.34-1.5.14, which was never published to
   * Maven Central, and the 1.5.13 build we take instead (the root pom says why) loads and works. A warning at every
   * start that a user can do nothing about would only teach them to skip warnings; any other mismatch still shows.
   */
  static final class KnownOpenBlasMismatch extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
        Throwable t) {
      return format != null && logger.getName().equals("org.bytedeco.javacpp.Loader")
          && format.startsWith("Versions of org.bytedeco:javacpp:") && format.contains(" and org.bytedeco:openblas:")
          ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%-5level %logger{0}: %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
    out.setContext(context);
    out.setName("OUT");
    out.setEncoder(encoder);
    out.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    // As logback.xml's ${VBACKCAM_LOG_LEVEL} did: a system property of that name first, then the environment.
    String level = System.getProperty("VBACKCAM_LOG_LEVEL", System.getenv("VBACKCAM_LOG_LEVEL"));
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(out);
    context.getLogger("ai.djl").setLevel(Level.WARN);
    // DJL warns on every engine start that it cannot count GPUs; DeviceProbe logs the real decision.
    context.getLogger("ai.djl.util.cuda.CudaUtils").setLevel(Level.ERROR);
    context.getLogger("org.bytedeco").setLevel(Level.WARN);
    // We build DJL's TensorFlow natives' jar in as a CPU build on purpose (core's tensorflow.properties override);
    // DJL warns on every TensorFlow start that the jar says otherwise.
    context.getLogger("ai.djl.util.Platform").setLevel(Level.ERROR);
    context.addTurboFilter(new KnownOpenBlasMismatch());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
