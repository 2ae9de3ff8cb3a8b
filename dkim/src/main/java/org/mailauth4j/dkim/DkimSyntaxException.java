package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link DkimSignature#parse(CharSequence)} and {@link DkimKeyRecord#parse(CharSequence)}
 * when the text is not a valid DKIM-Signature value or key record. Like {@link
 * java.time.format.DateTimeParseException}, it carries the input and the zero-based index where the
 * problem is, and it names the problem in RFC terms ({@link #problem()}). Verifiers never throw it:
 * they report the problem's result with this message as the detail.
 */
public final class DkimSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int QUOTE_LIMIT = 120;

  /** The text that failed to parse. */
  private final String input;

  /** The zero-based index of the problem in the input. */
  private final int errorIndex;

  /** What was expected or wrong. */
  private final String reason;

  /** The problem in RFC terms. */
  private final DkimProblem problem;

  /**
   * Creates the exception.
   *
   * @param input the text that was parsed
   * @param errorIndex where the problem is
   * @param problem the problem in RFC terms, such as {@link DkimProblem#SIGNATURE_SYNTAX}
   * @param reason what was expected or wrong, such as {@code "duplicate tag b"}
   */
  public DkimSyntaxException(String input, int errorIndex, DkimProblem problem, String reason) {
    super(requireNonNull(reason, "reason") + " at index " + errorIndex + " in " + quote(input));
    this.input = input;
    this.errorIndex = errorIndex;
    this.reason = reason;
    this.problem = requireNonNull(problem, "problem");
  }

  /**
   * Returns the problem in RFC terms, which decides the verification result.
   *
   * @return such as {@link DkimProblem#MISSING_REQUIRED_TAG} or {@link DkimProblem#KEY_SYNTAX}
   */
  public DkimProblem problem() {
    return problem;
  }

  /**
   * Quotes the input for a message: abridged, with line breaks and other control characters shown
   * as escapes, so that hostile input cannot forge log lines.
   */
  private static String quote(String input) {
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
   * Returns what was wrong, without input or position.
   *
   * @return a short reason
   */
  public String reason() {
    return reason;
  }
}
