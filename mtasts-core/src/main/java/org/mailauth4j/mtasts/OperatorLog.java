package org.mailauth4j.mtasts;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * What this package tells operators, through {@link System.Logger}: domains, kinds of failure and
 * sizes, never a policy body, a record's text or a message. Messages are built only when the level
 * is enabled. Immutable and thread-safe.
 */
final class OperatorLog {
  private static final int MAX_QUOTED = 253;

  private final Logger logger;

  OperatorLog(Logger logger) {
    this.logger = logger;
  }

  /** The package's logger for a class, named after it. */
  static OperatorLog of(Class<?> owner) {
    return new OperatorLog(System.getLogger(owner.getName()));
  }

  void debug(Supplier<String> message) {
    log(Level.DEBUG, message);
  }

  void warning(Supplier<String> message) {
    log(Level.WARNING, message);
  }

  private void log(Level level, Supplier<String> message) {
    if (logger.isLoggable(level)) {
      logger.log(level, message);
    }
  }

  /** Text from outside (a name, a header) made safe for one log line: no control characters. */
  static String safe(Object value) {
    String s = String.valueOf(value);
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_QUOTED));
    for (int i = 0; i < Math.min(s.length(), MAX_QUOTED); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return s.length() > MAX_QUOTED ? sb + "..." : sb.toString();
  }
}
