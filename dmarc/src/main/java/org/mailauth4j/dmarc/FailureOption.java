package org.mailauth4j.dmarc;

import java.util.Optional;

/**
 * When a domain owner asks for failure reports (RFC 9989 §4.7 and RFC 7489 §6.3 {@code fo}, a
 * colon-separated list; the default is {@link #ALL}). Only meaningful together with {@code ruf}.
 */
public enum FailureOption {
  /** {@code 0}: report when all underlying mechanisms fail to produce an aligned pass. */
  ALL("0"),
  /** {@code 1}: report when any underlying mechanism produces something but an aligned pass. */
  ANY("1"),
  /** {@code d}: report when a DKIM signature fails to verify, aligned or not. */
  DKIM("d"),
  /** {@code s}: report when SPF fails, aligned or not. */
  SPF("s");

  private final String token;

  FailureOption(String token) {
    this.token = token;
  }

  /**
   * Returns the option as written in {@code fo}.
   *
   * @return {@code 0}, {@code 1}, {@code d} or {@code s}
   */
  public String token() {
    return token;
  }

  /** Reads one option, ignoring ASCII case; empty for anything else. */
  static Optional<FailureOption> fromToken(String value) {
    for (FailureOption option : values()) {
      if (option.token.equalsIgnoreCase(value)) {
        return Optional.of(option);
      }
    }
    return Optional.empty();
  }
}
