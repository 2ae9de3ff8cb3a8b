package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with, or worth knowing about, a TLS-RPT record ({@link TlsRptRecord}): why the
 * record is refused ({@link Severity#ERROR}, carried by {@link TlsRptSyntaxException}), a part of
 * it that reporters skip ({@link Severity#WARNING}), or a field this library keeps without meaning
 * ({@link Severity#INFO}). Immutable.
 *
 * @param position the zero-based index in the record text where the field, URI or character the
 *     problem is about starts; the length of the text for something missing at its end. For a
 *     record made with {@link TlsRptRecord#builder()}, indexes refer to {@link
 *     TlsRptRecord#toText()}.
 * @param severity how serious
 * @param code what kind of problem, for tooling to switch on
 * @param message what was found, citing RFC 8460 where a rule applies
 */
public record TlsRptRecordProblem(int position, Severity severity, Code code, String message) {

  /** How serious a problem is. */
  public enum Severity {
    /** The record breaks RFC 8460 §3: senders treat the domain as publishing no TLS-RPT record. */
    ERROR,
    /** A part of the record that reporters skip or ignore; the rest of the record works. */
    WARNING,
    /** Advice: nothing is wrong. */
    INFO
  }

  /** What kind of problem; one constant per kind, so that tooling can switch on it. */
  public enum Code {
    // Errors: the record is refused (RFC 8460 §3).

    /** The text does not begin with {@code v=TLSRPTv1}, exactly in that case (ERROR). */
    NOT_TLSRPT_RECORD,
    /**
     * Something other than {@code ;} (with optional whitespace around it) after a field (ERROR).
     */
    MISSING_DELIMITER,
    /**
     * Whitespace at the end of the record, which the grammar allows only around {@code ;} (ERROR).
     */
    TRAILING_WHITESPACE,
    /** A field name that is not {@code tlsrpt-ext-name}, or a field without {@code =} (ERROR). */
    INVALID_FIELD_NAME,
    /**
     * An extension value that is empty or holds a character {@code tlsrpt-ext-value} excludes
     * (ERROR).
     */
    INVALID_FIELD_VALUE,
    /** No {@code rua} field, which RFC 8460 §3 requires (ERROR). */
    MISSING_RUA,
    /** A {@code rua} field without one URI a reporter can use (ERROR). */
    NO_USABLE_RUA,
    /**
     * A record longer than the resolver reads ({@link
     * TlsRptRecordResolver.Builder#maxRecordOctets}) (ERROR).
     */
    RECORD_TOO_LONG,

    // Warnings: part of the record is skipped.

    /** An element of {@code rua} that is not a URI, or not a usable one; skipped (WARNING). */
    INVALID_URI,
    /**
     * An element of {@code rua} whose scheme is neither {@code mailto} nor {@code https} (§3);
     * skipped (WARNING).
     */
    UNSUPPORTED_SCHEME,
    /** A field that appeared before; the first occurrence counts (WARNING). */
    DUPLICATE_FIELD,
    /**
     * A field named {@code rua} or {@code v} in another case: names are case-sensitive, so it is an
     * extension (WARNING).
     */
    FIELD_NAME_CASE,
    /** More URIs in {@code rua} than this library reads; the rest skipped (WARNING). */
    TOO_MANY_URIS,
    /** More extension fields than this library keeps; the rest checked and dropped (WARNING). */
    TOO_MANY_EXTENSIONS,
    /** More problems than are listed; the count is in the message (WARNING). */
    TOO_MANY_PROBLEMS,

    // Advice.

    /**
     * An extension field RFC 8460 does not define, kept in {@link TlsRptRecord#extensions()} and
     * otherwise ignored (§3) (INFO).
     */
    UNKNOWN_FIELD
  }

  /**
   * Creates a problem.
   *
   * @param position the index, zero or more
   * @param severity the severity
   * @param code the kind
   * @param message the description
   */
  public TlsRptRecordProblem {
    if (position < 0) {
      throw new IllegalArgumentException("position " + position);
    }
    requireNonNull(severity, "severity");
    requireNonNull(code, "code");
    requireNonNull(message, "message");
  }

  /** Returns the problem for a log line, such as {@code WARNING INVALID_URI at 16: ...}. */
  @Override
  public String toString() {
    return severity + " " + code + " at " + position + ": " + message;
  }
}
