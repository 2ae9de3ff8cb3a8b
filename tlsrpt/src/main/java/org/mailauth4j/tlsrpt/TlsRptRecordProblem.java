package org.mailauth4j.tlsrpt;

/**
 * What kind of thing a {@link TlsRptRecordFinding} reports about a TLS-RPT record, for tooling to
 * switch on: why a record is refused, a part of it that reporters skip, or a field kept without
 * meaning.
 */
public enum TlsRptRecordProblem {
  // Errors: the record is refused (RFC 8460 §3).

  /** The text does not begin with {@code v=TLSRPTv1}, exactly in that case (ERROR). */
  NOT_TLSRPT_RECORD,
  /** Something other than {@code ;} (with optional whitespace around it) after a field (ERROR). */
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
   * A record longer than the resolver reads ({@link TlsRptRecordResolver.Builder#maxRecordOctets})
   * (ERROR).
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
