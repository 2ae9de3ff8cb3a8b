package org.mailauth4j.spf;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link SpfRecord#parse(CharSequence)} and {@link MacroString#parse(CharSequence)} when
 * the text does not follow the grammar of RFC 7208 §12. Like {@link
 * java.time.format.DateTimeParseException}, it carries the input and the zero-based index of the
 * problem. The verifier never throws it: a syntax error is {@link SpfResult#PERMERROR} with this
 * message as the detail.
 */
public final class SpfSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public SpfSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
