package io.github.vbackcam.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one class logs while this is open: for tests of what users are told. Lines may come from any thread. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures what {@code source}'s logger logs from now until {@link #close}. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  /** Every line's message, formatted, in the order logged. */
  public List<String> lines() {
    return lines(Level.ALL);
  }

  /** The messages logged at {@code level} ({@link Level#ALL}: every one), formatted, in the order logged. */
  public List<String> lines(Level level) {
    synchronized (appender) { // AppenderBase appends under the appender's lock
      return appender.list.stream()
          .filter(e -> level == Level.ALL || e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
