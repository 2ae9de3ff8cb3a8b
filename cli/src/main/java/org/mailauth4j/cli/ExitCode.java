package org.mailauth4j.cli;

/**
 * The exit codes of every {@code mailauth} command, the same for all of them (also in {@code
 * cli/README.md}).
 */
public final class ExitCode {
  /** Everything was fine: the message authenticates, the domain has no error findings. */
  public static final int OK = 0;

  /**
   * The command worked and found something wrong: a failing result, a finding of error severity (or
   * of warning severity with {@code --fail-on warning}).
   */
  public static final int FINDINGS = 1;

  /**
   * The input could not be used: an unknown option, a missing or unreadable file, a broken zone, a
   * message or report that cannot be read.
   */
  public static final int INPUT = 2;

  /**
   * A temporary failure decided the result: DNS timed out or failed (SPF, DKIM or DMARC {@code
   * temperror}), a policy server could not be reached. Trying again later may give another answer.
   */
  public static final int TEMPORARY = 3;

  /** A fault of the tool itself; the message says what, {@code -v} adds the stack trace. */
  public static final int SOFTWARE = 4;

  private ExitCode() {}

  /**
   * Combines the codes of several results (bulk checks): a temporary failure outranks findings,
   * which outrank success; input errors and faults outrank all.
   *
   * @param a one code
   * @param b another
   * @return the code that says more
   */
  public static int worse(int a, int b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(int code) {
    switch (code) {
      case OK:
        return 0;
      case FINDINGS:
        return 1;
      case TEMPORARY:
        return 2;
      case INPUT:
        return 3;
      default:
        return 4;
    }
  }
}
