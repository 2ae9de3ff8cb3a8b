package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

/**
 * What every parser of mailauth4j throws for text it cannot read: a domain name, a DKIM signature
 * or key record, an SPF record, an MTA-STS record or policy, a DMARC record, an
 * Authentication-Results field. Each module has its own final subclass, so that a caller can catch
 * one protocol's errors or all of them.
 *
 * <p>Like {@link java.time.format.DateTimeParseException}, it keeps the input and the zero-based
 * index of the problem, so that a caller can point at it. The message quotes the input abridged,
 * with line breaks and other control characters escaped, so that hostile input cannot forge log
 * lines; {@link #input()} keeps it whole.
 */
public abstract class InputSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** How much of the input the message quotes. */
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
   * @param reason what was expected or wrong, such as {@code "empty label"}
   */
  protected InputSyntaxException(String input, int errorIndex, String reason) {
    super(
        requireNonNull(reason, "reason")
            + " at index "
            + errorIndex
            + " in "
            + quote(requireNonNull(input, "input")));
    this.input = input;
    this.errorIndex = errorIndex;
    this.reason = reason;
  }

  /**
   * Quotes text for a message: abridged, with line breaks and other control characters shown as
   * escapes.
   *
   * @param input the text
   * @return the quoted text
   */
  static String quote(String input) {
    StringBuilder sb = new StringBuilder("\"");
    int end = Math.min(input.length(), QUOTE_LIMIT);
    for (int i = 0; i < end; i++) {
      char c = input.charAt(i);
      if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (input.length() > QUOTE_LIMIT) {
      sb.append("...\" (").append(input.length()).append(" characters)");
      return sb.toString();
    }
    return sb.append('"').toString();
  }

  /**
   * Returns the text that failed to parse.
   *
   * @return the whole input, unabridged
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
