package org.mailauth4j.mtasts;

import java.util.Optional;

/** The {@code policy-type} of a TLS-RPT report's policy block (RFC 8460 §4.4). */
public enum TlsRptPolicyType {
  /** An MTA-STS policy applied (RFC 8461). */
  STS("sts"),
  /** DANE TLSA records applied (RFC 7672). */
  TLSA("tlsa"),
  /** Neither applied: the sessions were opportunistic TLS, or no TLS. */
  NO_POLICY_FOUND("no-policy-found");

  private final String token;

  TlsRptPolicyType(String token) {
    this.token = token;
  }

  /**
   * Returns the type as a report writes it.
   *
   * @return {@code sts}, {@code tlsa} or {@code no-policy-found}
   */
  public String token() {
    return token;
  }

  /**
   * Finds the type a report's {@code policy-type} names.
   *
   * @param token the value, compared exactly
   * @return the type, or empty if the value is none of the three
   */
  public static Optional<TlsRptPolicyType> fromToken(String token) {
    for (TlsRptPolicyType type : values()) {
      if (type.token.equals(token)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
