package org.mailauth4j.dmarc;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link AuthenticationResults#parse(CharSequence)} when no authserv-id can be read from
 * the field (RFC 8601 §2.2): the field is empty, or starts with something that is no value. Like
 * {@link java.time.format.DateTimeParseException}, it carries the input and the zero-based index of
 * the problem. Anything after a readable authserv-id is read leniently and never throws.
 */
public final class AuthResultsSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public AuthResultsSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
