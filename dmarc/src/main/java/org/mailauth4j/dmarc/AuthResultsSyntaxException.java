package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link AuthenticationResults#parse(CharSequence)} when no authserv-id can be read from
 * the field (RFC 8601 §2.2): the field is empty, or starts with something that is no value. Like
 * {@link java.time.format.DateTimeParseException}, it carries the input and the zero-based index of
 * the problem. Anything after a readable authserv-id is read leniently and never throws.
 */
public final class AuthResultsSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

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
  public AuthResultsSyntaxException(String input, int errorIndex, String reason) {
    super(
        requireNonNull(reason, "reason")
            + " at index "
            + errorIndex
            + " in "
            + AuthResultsFormat.quote(requireNonNull(input, "input")));
    this.input = input;
    this.errorIndex = errorIndex;
    this.reason = reason;
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
