package org.mailauth4j.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * What a domain owner asks receivers to do with mail that fails DMARC (RFC 9989 §4.7 {@code p},
 * {@code sp}, {@code np}), ordered from the least to the most strict.
 */
public enum DmarcPolicy {
  /** No specific action: the owner only wants reports. */
  NONE,
  /** Treat the mail as suspicious, such as by filing it as spam. */
  QUARANTINE,
  /** Reject the mail, preferably during the SMTP transaction. */
  REJECT;

  /**
   * Returns the tag value, {@code none}, {@code quarantine} or {@code reject}.
   *
   * @return the lower-case token
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the next less strict policy: what {@code t=y} (RFC 9989 §4.7) and RFC 7489's sampling
   * (§6.6.4) apply instead of this one.
   *
   * @return quarantine for reject, none for quarantine and for none
   */
  public DmarcPolicy relaxed() {
    return this == REJECT ? QUARANTINE : NONE;
  }

  /**
   * Reads a tag value; policy tokens are case-insensitive in practice, as receivers treat them.
   *
   * @param token the value, such as {@code reject}
   * @return the policy, or empty for anything else
   */
  public static Optional<DmarcPolicy> fromToken(String token) {
    for (DmarcPolicy policy : values()) {
      if (policy.token().equalsIgnoreCase(token)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }
}
