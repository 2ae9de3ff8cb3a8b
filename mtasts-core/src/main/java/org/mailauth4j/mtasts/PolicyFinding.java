package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Objects;
import org.mailauth4j.dns.Severity;

/**
 * One thing wrong with a policy file, or with how it was served: what ({@link #problem()}), on
 * which line, and how serious. An {@link Severity#ERROR} makes the policy invalid ({@code
 * sts-policy-invalid} in TLS-RPT); a {@link Severity#WARNING} is a deviation that was tolerated.
 *
 * <p>Made by {@link MtaStsPolicy#parseWithFindings(CharSequence, PolicyLeniency)} and {@link
 * MtaStsPolicyFetcher}; it has no public constructor, so that later versions can add evidence
 * without breaking callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class PolicyFinding {
  private final int line;
  private final PolicyProblem problem;
  private final Severity severity;
  private final String message;

  PolicyFinding(int line, PolicyProblem problem, Severity severity, String message) {
    this.problem = requireNonNull(problem, "problem");
    this.severity = requireNonNull(severity, "severity");
    this.message = requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line " + line);
    }
    this.line = line;
  }

  /**
   * Returns the line the finding is about.
   *
   * @return the one-based line of the policy file, or 0 for the file as a whole
   */
  public int line() {
    return line;
  }

  /**
   * Returns what is wrong, for machines.
   *
   * @return the problem
   */
  public PolicyProblem problem() {
    return problem;
  }

  /**
   * Returns how serious the finding is.
   *
   * @return {@link Severity#ERROR} if the policy cannot be used, else {@link Severity#WARNING}
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Returns what is wrong, for people.
   *
   * @return the description
   */
  public String message() {
    return message;
  }

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is a finding with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyFinding f
        && line == f.line
        && problem == f.problem
        && severity == f.severity
        && message.equals(f.message);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(line, problem, severity, message);
  }

  /**
   * Returns the finding for logs, such as {@code line 3: error: unknown mode "Enforce"}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return (line == 0 ? "" : "line " + line + ": ")
        + severity.name().toLowerCase(Locale.ROOT)
        + ": "
        + message;
  }
}
