package org.mailauth4j.dane;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link TlsaRecord#parse(String)} when text is not a TLSA record in presentation form
 * (RFC 6698 §2.2). Like {@link java.time.format.DateTimeParseException}, it carries the input and
 * the zero-based index of the problem. Lookups never throw it: a malformed record from DNS is an
 * unusable record.
 */
public final class DaneSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public DaneSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
