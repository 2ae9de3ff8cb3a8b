package org.mailauth4j.mtasts;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by the {@code parse} methods of this package when text does not follow RFC 8461: an {@code
 * _mta-sts} record (§3.1), a policy file (§3.2) or an MX pattern. Like {@link
 * java.time.format.DateTimeParseException}, it carries the input and the zero-based index of the
 * problem. The policy resolver never throws it: an invalid record or policy is an outcome.
 */
public final class MtaStsSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public MtaStsSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
