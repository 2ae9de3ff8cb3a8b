package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link DmarcRecord#parse(CharSequence)} for text that is no DMARC record at all (its
 * first tag is not {@code v=DMARC1}, RFC 9989 §4.7), and by {@link ReportUri#parse(CharSequence)}
 * for text that is no report URI. Like {@link java.time.format.DateTimeParseException}, it carries
 * the input and the zero-based index of the problem. Problems inside a DMARC record are not thrown:
 * they are {@link DmarcRecord#problems()}.
 */
public final class DmarcSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int QUOTE_LIMIT = 120;

  /** The text that failed to parse. */
  private final String input;

  /** The zero-based index of the problem. */
  private final int errorIndex;

  /** What was expected or wrong. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public DmarcSyntaxException(String input, int errorIndex, String reason) {
    super(requireNonNull(reason, "reason") + " at index " + errorIndex + " in " + quote(input));
    this.input = input;
    this.errorIndex = errorIndex;
    this.reason = reason;
  }

  /** Quotes the input abridged, control characters escaped, so it cannot forge log lines. */
  private static String quote(String input) {
    StringBuilder sb = new StringBuilder("\"");
    int end = Math.min(input.length(), QUOTE_LIMIT);
    for (int i = 0; i < end; i++) {
      char c = input.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(input.length() > QUOTE_LIMIT ? "...\"" : "\"").toString();
  }

  /**
   * Returns the text that failed to parse.
   *
   * @return the whole input
   */
  public String input() {
    return input;
  }

  /**
   * Returns where the problem is.
   *
   * @return a zero-based index into {@link #input()}
   */
  public int errorIndex() {
    return errorIndex;
  }

  /**
   * Returns what was wrong, without input and position.
   *
   * @return a short reason
   */
  public String reason() {
    return reason;
  }
}
