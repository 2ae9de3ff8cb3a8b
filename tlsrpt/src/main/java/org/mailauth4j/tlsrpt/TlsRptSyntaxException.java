package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link TlsRptRecord#parse(CharSequence)} for text that is no valid TLS-RPT record (RFC
 * 8460 §3), and by {@link TlsRptUri#parse(CharSequence)} for text that is no usable report URI.
 * Like {@link java.time.format.DateTimeParseException}, it carries the input and the zero-based
 * index of the problem, and {@link #problem()} says what kind of problem it is. {@link
 * TlsRptRecordResolver} never throws it: an invalid record is a {@link
 * TlsRptRecordLookup.Status#INVALID_RECORD} lookup.
 */
public final class TlsRptSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem. */
  private final TlsRptRecordProblem problem;

  TlsRptSyntaxException(String input, int errorIndex, TlsRptRecordProblem problem, String reason) {
    super(input, errorIndex, reason);
    this.problem = requireNonNull(problem, "problem");
  }

  /**
   * Returns what kind of problem made the text unusable.
   *
   * @return the problem, such as {@link TlsRptRecordProblem#MISSING_RUA}
   */
  public TlsRptRecordProblem problem() {
    return problem;
  }
}
