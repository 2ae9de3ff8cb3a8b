package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import org.mailauth4j.dns.Severity;

/**
 * One thing wrong with, or worth knowing about, a TLS-RPT record ({@link TlsRptRecord}): why the
 * record is refused ({@link Severity#ERROR}, carried by {@link TlsRptSyntaxException}), a part of
 * it that reporters skip ({@link Severity#WARNING}), or a field this library keeps without meaning
 * ({@link Severity#INFO}), with its kind ({@link #problem()}).
 *
 * <p>Findings are made by the record parser; they have no public constructor, so that later
 * versions can add evidence without breaking callers. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class TlsRptRecordFinding {
  private final int position;
  private final Severity severity;
  private final TlsRptRecordProblem problem;
  private final String message;

  TlsRptRecordFinding(
      int position, Severity severity, TlsRptRecordProblem problem, String message) {
    if (position < 0) {
      throw new IllegalArgumentException("position " + position);
    }
    this.position = position;
    this.severity = requireNonNull(severity, "severity");
    this.problem = requireNonNull(problem, "problem");
    this.message = requireNonNull(message, "message");
  }

  /**
   * Returns the zero-based index in the record text where the field, URI or character the finding
   * is about starts; the length of the text for something missing at its end. For a record made
   * with {@link TlsRptRecord#builder()}, indexes refer to {@link TlsRptRecord#toText()}.
   *
   * @return the position
   */
  public int position() {
    return position;
  }

  /**
   * Returns how serious the finding is.
   *
   * @return the severity
   */
  public Severity severity() {
    return severity;
  }

  /**
   * Returns what kind of problem this is, for tooling to switch on.
   *
   * @return the problem
   */
  public TlsRptRecordProblem problem() {
    return problem;
  }

  /**
   * Returns what was found, citing RFC 8460 where a rule applies.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsRptRecordFinding other
        && position == other.position
        && severity == other.severity
        && problem == other.problem
        && message.equals(other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, severity, problem, message);
  }

  /** Returns the finding for logs, such as {@code WARNING INVALID_URI at 14: ...}. */
  @Override
  public String toString() {
    return severity + " " + problem + " at " + position + ": " + message;
  }
}
