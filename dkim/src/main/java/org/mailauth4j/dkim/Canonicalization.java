package org.mailauth4j.dkim;

import java.util.Locale;
import java.util.Optional;

/** The canonicalization algorithms of DKIM (RFC 6376 §3.4), for the header and the body. */
public enum Canonicalization {
  /** Tolerates no change at all (RFC 6376 §3.4.1, §3.4.3). */
  SIMPLE,
  /**
   * Tolerates common rewriting: header name case, folding and whitespace runs; trailing whitespace
   * and whitespace runs in the body (RFC 6376 §3.4.2, §3.4.4).
   */
  RELAXED;

  /**
   * Returns the name used in {@code c=}.
   *
   * @return {@code simple} or {@code relaxed}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Finds the algorithm for a name in {@code c=}, ignoring case.
   *
   * @param token {@code simple} or {@code relaxed}
   * @return the algorithm, or empty for an unknown name
   */
  public static Optional<Canonicalization> fromToken(String token) {
    switch (token.toLowerCase(Locale.ROOT)) {
      case "simple":
        return Optional.of(SIMPLE);
      case "relaxed":
        return Optional.of(RELAXED);
      default:
        return Optional.empty();
    }
  }
}
