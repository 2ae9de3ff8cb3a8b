package org.mailauth4j.dmarc.report;

import java.util.Locale;
import java.util.Optional;
import org.mailauth4j.spf.SpfResult;

/**
 * An SPF result as reports carry it ({@code auth_results/spf/result}, RFC 9990 §3.1.5 {@code
 * SPFResultType}): the results of RFC 7208 plus RFC 8601 §2.7.2's {@code policy}.
 */
public enum SpfReportResult {
  /** No record, or no domain to check. */
  NONE,
  /** Neutral. */
  NEUTRAL,
  /** Pass. */
  PASS,
  /** Fail. */
  FAIL,
  /** Softfail. */
  SOFTFAIL,
  /** The receiver's local policy refused the result (RFC 8601 §2.7.2); RFC 9990 only. */
  POLICY,
  /** A temporary error. */
  TEMPERROR,
  /** A permanent error. */
  PERMERROR;

  /**
   * Returns the token used in report XML.
   *
   * @return such as {@code softfail}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the report result of an SPF check.
   *
   * @param result the check's result
   * @return the same result
   */
  public static SpfReportResult of(SpfResult result) {
    return valueOf(result.name());
  }

  /**
   * Finds the result with a token, ignoring case. Reporters also write {@code hardfail} for {@code
   * fail} (RFC 4408's word), which is accepted.
   *
   * @param token the token
   * @return the result, or empty for an unknown token
   */
  public static Optional<SpfReportResult> fromToken(String token) {
    String t = token.strip();
    if (t.equalsIgnoreCase("hardfail")) {
      return Optional.of(FAIL);
    }
    for (SpfReportResult r : values()) {
      if (r.token().equalsIgnoreCase(t)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
