package org.mailauth4j.dmarc;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link DmarcRecord#parse(CharSequence)} for text that is no DMARC record at all (its
 * first tag is not {@code v=DMARC1}, RFC 9989 §4.7), and by {@link ReportUri#parse(CharSequence)}
 * for text that is no report URI. Like {@link java.time.format.DateTimeParseException}, it carries
 * the input and the zero-based index of the problem. Problems inside a DMARC record are not thrown:
 * they are {@link DmarcRecord#findings()}.
 */
public final class DmarcSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex the zero-based index of the problem
   * @param reason what was expected or wrong
   */
  public DmarcSyntaxException(String input, int errorIndex, String reason) {
    super(input, errorIndex, reason);
  }
}
