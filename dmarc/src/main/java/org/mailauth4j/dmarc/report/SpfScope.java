package org.mailauth4j.dmarc.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Which identity an SPF result in a report is for ({@code auth_results/spf/scope}). RFC 9990 §3.1.5
 * has only {@code mfrom}; RFC 7489 Appendix C also {@code helo}.
 */
public enum SpfScope {
  /** The RFC5321.MailFrom identity. */
  MFROM,
  /** The HELO identity (RFC 7489 only). */
  HELO;

  /**
   * Returns the token used in report XML.
   *
   * @return {@code mfrom} or {@code helo}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds the scope with a token, ignoring case.
   *
   * @param token the token
   * @return the scope, or empty for an unknown token
   */
  public static Optional<SpfScope> fromToken(String token) {
    for (SpfScope s : values()) {
      if (s.token().equalsIgnoreCase(token.strip())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
