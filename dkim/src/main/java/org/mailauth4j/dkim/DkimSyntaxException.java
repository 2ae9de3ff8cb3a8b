package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dns.InputSyntaxException;

/**
 * Thrown by {@link DkimSignature#parse(CharSequence)} and {@link DkimKeyRecord#parse(CharSequence)}
 * when the text is not a valid DKIM-Signature value or key record. Like {@link
 * java.time.format.DateTimeParseException}, it carries the input and the zero-based index where the
 * problem is, and it names the problem in RFC terms ({@link #problem()}). Verifiers never throw it:
 * they report the problem's result with this message as the detail.
 */
public final class DkimSyntaxException extends InputSyntaxException {
  private static final long serialVersionUID = 1L;

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
    super(input, errorIndex, reason);
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
}
