package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One thing wrong with a policy file, or with how it was served: its line and how serious it is. An
 * {@link Severity#ERROR} makes the policy invalid; a {@link Severity#WARNING} is a deviation that
 * was tolerated. Immutable.
 *
 * @param line the one-based line of the policy file, or 0 for the file as a whole
 * @param severity whether the policy can still be used
 * @param message what is wrong, for people
 */
public record PolicyProblem(int line, Severity severity, String message) {

  /** How serious a problem is. */
  public enum Severity {
    /** The policy is invalid ({@code sts-policy-invalid} in TLS-RPT). */
    ERROR,
    /** The policy was accepted despite it. */
    WARNING
  }

  /**
   * Creates a problem.
   *
   * @param line one-based line, or 0
   * @param severity the severity
   * @param message the description
   */
  public PolicyProblem {
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line " + line);
    }
  }

  /** Returns the problem for logs, such as {@code line 3: error: unknown mode "Enforce"}. */
  @Override
  public String toString() {
    return (line == 0 ? "" : "line " + line + ": ")
        + severity.name().toLowerCase(Locale.ROOT)
        + ": "
        + message;
  }
}
