package org.mailauth4j.dns;

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
public final class DnsSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed; for an internationalized name, its A-label form
   * @param errorIndex the zero-based index of the first character that does not fit
   * @param reason what was wrong, such as {@code "empty label"}
   */
  public DnsSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
