package org.mailauth4j.dmarc;

import java.util.Optional;

/**
 * What a record says about its domain's place in the DNS tree walk (RFC 9989 §4.7 {@code psd}):
 * whether the domain is a public suffix domain, an organizational domain, or neither is said.
 */
public enum PsdFlag {
  /** {@code psd=y}: the domain is a public suffix domain; the walk stops here (§4.10). */
  YES("y"),
  /** {@code psd=n}: the domain is an organizational domain; the walk stops here (§4.10). */
  NO("n"),
  /** {@code psd=u} or no {@code psd} tag (the default): the walk goes on. */
  UNSPECIFIED("u");

  private final String token;

  PsdFlag(String token) {
    this.token = token;
  }

  /**
   * Returns the tag value.
   *
   * @return {@code y}, {@code n} or {@code u}
   */
  public String token() {
    return token;
  }

  /** Reads a tag value, ignoring ASCII case; empty for anything else. */
  static Optional<PsdFlag> fromToken(String value) {
    for (PsdFlag flag : values()) {
      if (flag.token.equalsIgnoreCase(value)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }
}
