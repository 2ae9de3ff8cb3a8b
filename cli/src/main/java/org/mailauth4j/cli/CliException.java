package org.mailauth4j.cli;

/**
 * A failure a command reports as one line on standard error, with its exit code: bad input, or a
 * temporary failure that left nothing to show.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Input that cannot be used: exit code {@link ExitCode#INPUT}. */
  static CliException input(String message) {
    return new CliException(ExitCode.INPUT, message, null);
  }

  /** Input that cannot be used, with the exception that says why. */
  static CliException input(String message, Throwable cause) {
    return new CliException(ExitCode.INPUT, message, cause);
  }

  /** A temporary failure: exit code {@link ExitCode#TEMPORARY}. */
  static CliException temporary(String message) {
    return new CliException(ExitCode.TEMPORARY, message, null);
  }

  int exitCode() {
    return exitCode;
  }
}
