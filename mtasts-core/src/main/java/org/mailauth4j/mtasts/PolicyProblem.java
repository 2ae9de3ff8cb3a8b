package org.mailauth4j.mtasts;

/**
 * What is wrong with a policy file, or with how it was served: the machine-readable reason of a
 * {@link PolicyFinding}. Whether it makes the policy invalid is the finding's severity, which for
 * some problems depends on the {@link PolicyLeniency}.
 */
public enum PolicyProblem {
  /** The file starts with a byte-order mark (RFC 8461 §3.2). */
  BYTE_ORDER_MARK,
  /** A blank line, which the grammar has no room for (RFC 8461 §3.2). */
  BLANK_LINE,
  /** A line starts with white space (RFC 8461 §3.2, {@code sts-policy-field}). */
  LEADING_WHITE_SPACE,
  /** Lines end in LF alone instead of CRLF (RFC 8461 §3.2). */
  LF_LINE_ENDINGS,
  /** There is no {@code version} field (RFC 8461 §3.2). */
  MISSING_VERSION,
  /** There is no {@code mode} field (RFC 8461 §3.2). */
  MISSING_MODE,
  /** There is no {@code max_age} field (RFC 8461 §3.2). */
  MISSING_MAX_AGE,
  /**
   * Mode {@code enforce} or {@code testing} without a usable {@code mx} pattern (RFC 8461 §3.2).
   */
  MISSING_MX,
  /** A line is not {@code key: value} (RFC 8461 §3.2, {@code sts-policy-field}). */
  MALFORMED_LINE,
  /** A key is not a field name (RFC 8461 §3.2, {@code sts-policy-term}). */
  INVALID_KEY,
  /** A known key written in another case, which RFC 8461 §3.2 makes an unknown field. */
  KEY_CASE,
  /** A value holds a control character (RFC 8461 §3.2, {@code sts-policy-vchar}). */
  CONTROL_CHARACTER,
  /** A field has no value (RFC 8461 §3.2). */
  EMPTY_VALUE,
  /** A field other than {@code mx} appears again, and only the first counts (RFC 8461 §3.2). */
  DUPLICATE_FIELD,
  /** The {@code version} is not {@code STSv1} (RFC 8461 §3.2). */
  INVALID_VERSION,
  /** The {@code version} is {@code STSv1} written in another case (RFC 8461 §3.2). */
  VERSION_CASE,
  /** The {@code mode} is not {@code enforce}, {@code testing} or {@code none} (RFC 8461 §3.2). */
  INVALID_MODE,
  /** The {@code mode} is a valid mode written in another case (RFC 8461 §3.2). */
  MODE_CASE,
  /** An {@code mx} value is not a pattern (RFC 8461 §3.2, {@code sts-policy-mx-value}). */
  INVALID_MX,
  /** An {@code mx} value off only in spelling, read as the pattern it means (RFC 8461 §3.2). */
  MX_SPELLING,
  /** An {@code mx} value that is no host name, so it matches no MX host (RFC 8461 §3.2, §4.1). */
  MX_NOT_HOST_NAME,
  /** The {@code max_age} is not 1 to 10 digits (RFC 8461 §3.2, {@code sts-policy-max-age}). */
  INVALID_MAX_AGE,
  /** The {@code max_age} is above 31557600 seconds (RFC 8461 §3.2). */
  MAX_AGE_TOO_LARGE,
  /** The response's media type is not plainly {@code text/plain} (RFC 8461 §3.2). */
  MEDIA_TYPE,
  /** The body is not UTF-8 text (RFC 8461 §3.2, the policy is a text file). */
  NOT_UTF8,
  /**
   * More findings than are listed; this one counts the rest (a limit of this parser, for files RFC
   * 8461 §3.2 would not produce).
   */
  MORE_NOT_LISTED
}
