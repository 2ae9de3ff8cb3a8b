package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Thrown by {@link TlsReportReader} for input that is not a report it can read: not JSON, over a
 * limit, without a required field, with a value of the wrong type, corrupt gzip, or an e-mail
 * without a report. {@link #reason()} says which, {@link #location()} points at the fault inside
 * the JSON where there is one, and the message says both in words. Values quoted in the message are
 * abridged and have their control characters escaped, so that hostile input cannot forge log lines.
 *
 * <p>Like the syntax exceptions of the other modules, it is an {@link IllegalArgumentException}:
 * the input was not a valid report. A failure of the stream being read is not this exception but an
 * {@link java.io.UncheckedIOException}.
 */
public final class TlsReportException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** How much of a value a message quotes. */
  private static final int QUOTE_LIMIT = 80;

  /** Why a report could not be read. */
  public enum Reason {
    /** The input is not JSON, or not only JSON: a syntax error, an early end, trailing content. */
    NOT_JSON,
    /**
     * The input, the decompressed JSON, a string, a number or an e-mail is larger than allowed, or
     * gzip expands more than the ratio allowed; see {@link TlsReportReader.Builder}.
     */
    TOO_LARGE,
    /** Objects and arrays, or an e-mail's multiparts, are nested deeper than allowed. */
    TOO_DEEP,
    /** More policies, failure details, policy strings or e-mail parts than allowed. */
    TOO_MANY_ITEMS,
    /** A field the report cannot do without is absent (RFC 8460 §4.4). */
    MISSING_FIELD,
    /** A field has the wrong JSON type: a string for a count, a fraction, an object for a text. */
    WRONG_TYPE,
    /** A field has the right type but an unusable value: a negative count, a bad timestamp. */
    BAD_VALUE,
    /** A field appears twice in one object, which I-JSON forbids (RFC 7493 §2.3). */
    DUPLICATE_FIELD,
    /** The input starts as gzip but does not decompress: truncated, corrupt, a bad checksum. */
    CORRUPT_COMPRESSION,
    /** An e-mail could not be parsed as MIME within the limits. */
    MALFORMED_MESSAGE,
    /** An e-mail has no part that holds a TLS report (RFC 8460 §5.3). */
    NO_REPORT_IN_MESSAGE
  }

  /** Why the report could not be read. */
  private final Reason reason;

  /** The JSON pointer of the fault, or null. */
  private final String location;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param location a JSON pointer (RFC 6901) to the fault, such as {@code
   *     /policies/0/summary/total-failure-session-count}, or null where there is none
   * @param detail what was wrong, without the location
   */
  TlsReportException(Reason reason, String location, String detail) {
    this(reason, location, detail, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param reason why
   * @param location a JSON pointer to the fault, or null
   * @param detail what was wrong
   * @param cause what was thrown below, or null
   */
  TlsReportException(Reason reason, String location, String detail, Throwable cause) {
    super(message(requireNonNull(reason, "reason"), location, requireNonNull(detail, "detail")));
    this.reason = reason;
    this.location = location;
    if (cause != null) {
      initCause(cause);
    }
  }

  private static String message(Reason reason, String location, String detail) {
    return location == null
        ? reason + ": " + detail
        : reason + " at " + quote(location.isEmpty() ? "/" : location) + ": " + detail;
  }

  /**
   * Returns why the report could not be read.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns where in the JSON the fault is, as a JSON pointer (RFC 6901): {@code ""} for the whole
   * document, {@code /policies/0/policy/policy-type} for a field, including one that is missing.
   *
   * @return the pointer, or empty where the fault is not inside the JSON (a size, gzip, the e-mail)
   */
  public Optional<String> location() {
    return Optional.ofNullable(location);
  }

  /**
   * Quotes untrusted text for a message: abridged, control characters escaped.
   *
   * @param text the text
   * @return the text in double quotes
   */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), QUOTE_LIMIT) + 8).append('"');
    int end = Math.min(text.length(), QUOTE_LIMIT);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || (c >= 0x80 && c < 0xA0)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else if (Character.getType(c) == Character.FORMAT) {
        sb.append(String.format("\\u%04x", (int) c)); // bidirectional controls and the like
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    if (text.length() > QUOTE_LIMIT) {
      sb.append("... (").append(text.length()).append(" characters)");
    }
    return sb.toString();
  }
}
