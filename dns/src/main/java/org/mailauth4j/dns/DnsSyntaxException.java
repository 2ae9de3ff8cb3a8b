package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

/**
 * Thrown when text that should be a domain name is not one: an empty label, a label over 63 octets,
 * a name over 253 octets, a broken escape, an internationalized name that has no A-label form, or,
 * where a host name is required ({@link DomainName#parseHostName(CharSequence)}), a label that is
 * not letters, digits and inner hyphens.
 *
 * <p>Like {@link java.time.format.DateTimeParseException}, it keeps the input and the zero-based
 * index of the first character that does not fit, so a caller can point at the problem. Callers
 * that only need a yes or no use {@link DomainName#isValid(CharSequence)}.
 */
public final class DnsSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Error messages quote at most this many characters of a hostile, possibly huge, input. */
  private static final int QUOTED_INPUT_LIMIT = 100;

  /** The text that failed to parse. */
  private final String input;

  /** The zero-based index of the first character that does not fit. */
  private final int errorIndex;

  /** What was wrong. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed; for an internationalized name, its A-label form
   * @param errorIndex the zero-based index of the first character that does not fit
   * @param reason what was wrong, such as {@code "empty label"}
   */
  public DnsSyntaxException(String input, int errorIndex, String reason) {
    super(message(requireNonNull(input, "input"), errorIndex, requireNonNull(reason, "reason")));
    this.input = input;
    this.errorIndex = errorIndex;
    this.reason = reason;
  }

  private static String message(String input, int errorIndex, String reason) {
    String quoted =
        input.length() <= QUOTED_INPUT_LIMIT
            ? input
            : input.substring(0, QUOTED_INPUT_LIMIT) + "... (" + input.length() + " characters)";
    return reason + " at index " + errorIndex + " in \"" + quoted + "\"";
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
   * @return the zero-based index into {@link #input()} of the first character that does not fit
   */
  public int errorIndex() {
    return errorIndex;
  }

  /**
   * Returns what was wrong, without the input and position.
   *
   * @return a short human-readable reason, such as {@code "label longer than 63 octets"}
   */
  public String reason() {
    return reason;
  }
}
