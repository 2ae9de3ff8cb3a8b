package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Thrown by the readers of received DMARC reports ({@code AggregateReportReader}, {@code
 * FailureReportReader}) for input that is not a report they can read: not well-formed XML, a DTD or
 * entity, over a limit, without an element a report cannot do without, a corrupt or nested archive,
 * or an e-mail without a report. {@link #reason()} says which, {@link #location()} points at the
 * fault inside the XML where there is one (an element path such as {@code
 * /feedback/record[3]/row/count}), and the message says both in words. Values quoted in the message
 * are abridged and have their control characters escaped, so that hostile input cannot forge log
 * lines.
 *
 * <p>Like the syntax exceptions of the other modules, it is an {@link IllegalArgumentException}:
 * the input was not a valid report. A failure of the stream being read is not this exception but an
 * {@link java.io.UncheckedIOException}.
 */
public final class DmarcReportException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** How much of a value a message quotes. */
  private static final int QUOTE_LIMIT = 80;

  /** Why a report could not be read. */
  public enum Reason {
    /** The input is not well-formed XML, or not only XML. */
    MALFORMED_XML,
    /**
     * The input has a document type declaration or an entity reference: refused before any entity
     * is expanded or fetched (XXE, entity expansion).
     */
    ENTITY_REFUSED,
    /** The document is well-formed but its root is not {@code feedback}. */
    NOT_A_REPORT,
    /** An element the report cannot do without is absent or empty (such as {@code report_id}). */
    MISSING_ELEMENT,
    /**
     * An element has an unusable value where the report cannot do without it: a count that is not a
     * number, a date range that ends before it begins.
     */
    BAD_VALUE,
    /**
     * The input, the decompressed data, a text value or an e-mail is larger than allowed, or
     * compressed data expands more than the ratio allowed.
     */
    TOO_LARGE,
    /** Elements, or an e-mail's multiparts, are nested deeper than allowed. */
    TOO_DEEP,
    /** More records, elements, archive entries or e-mail parts than allowed. */
    TOO_MANY_ITEMS,
    /** gzip or zip data that does not decompress: truncated, corrupt, a bad checksum. */
    CORRUPT_COMPRESSION,
    /** An archive inside an archive, or an archive entry whose name is unsafe. */
    NESTED_ARCHIVE,
    /** An e-mail could not be parsed as MIME within the limits. */
    MALFORMED_MESSAGE,
    /** An e-mail has no part that holds a report of the kind asked for. */
    NO_REPORT_IN_MESSAGE
  }

  /** Why the report could not be read. */
  private final Reason reason;

  /** The element path of the fault, or null. */
  private final String location;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param location an element path to the fault, or null where there is none
   * @param detail what was wrong, without the location
   */
  DmarcReportException(Reason reason, String location, String detail) {
    this(reason, location, detail, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param reason why
   * @param location an element path to the fault, or null
   * @param detail what was wrong
   * @param cause what was thrown below, or null
   */
  DmarcReportException(Reason reason, String location, String detail, Throwable cause) {
    super(message(requireNonNull(reason, "reason"), location, requireNonNull(detail, "detail")));
    this.reason = reason;
    this.location = location;
    if (cause != null) {
      initCause(cause);
    }
  }

  private static String message(Reason reason, String location, String detail) {
    return location == null ? reason + ": " + detail : reason + " at " + location + ": " + detail;
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
   * Returns where in the XML the fault is, as an element path such as {@code
   * /feedback/record[3]/row/count} (records counted from 1).
   *
   * @return the path, or empty where the fault is not inside the XML (a size, the archive, the
   *     e-mail)
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
      if (c < 0x20
          || c == 0x7F
          || c == '"'
          || c == '\\'
          || (c >= 0x80 && c < 0xA0)
          || Character.getType(c) == Character.FORMAT) { // bidirectional controls and the like
        sb.append(String.format("\\u%04x", (int) c));
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
