package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link TlsRptRecord#parse(CharSequence)} for text that is no valid TLS-RPT record (RFC
 * 8460 §3), and by {@link TlsRptUri#parse(CharSequence)} for text that is no usable report URI.
 * Like {@link java.time.format.DateTimeParseException}, it carries the input and the zero-based
 * index of the problem, and {@link #code()} says what kind of problem it is. {@link
 * TlsRptRecordResolver} never throws it: an invalid record is a {@link
 * TlsRptRecordLookup.Status#INVALID_RECORD} lookup.
 */
public final class TlsRptSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem. */
  private final TlsRptRecordProblem.Code code;

  TlsRptSyntaxException(
      String input, int errorIndex, TlsRptRecordProblem.Code code, String reason) {
    super(input, errorIndex, reason);
    this.code = requireNonNull(code, "code");
  }

  /**
   * Returns what kind of problem made the text unusable.
   *
   * @return the code, such as {@link TlsRptRecordProblem.Code#MISSING_RUA}
   */
  public TlsRptRecordProblem.Code code() {
    return code;
  }
}
