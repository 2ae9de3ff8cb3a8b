package org.mailauth4j.mtasts;

import java.util.Locale;

/** A policy's {@code mode} (RFC 8461 §5): what a sender does when an MX fails validation. */
public enum MtaStsMode {
  /** Do not deliver to an MX that fails validation; try the next one. */
  ENFORCE,
  /** Deliver anyway, and report the failure by TLS-RPT (RFC 8460). */
  TESTING,
  /** As if there were no policy: the way a domain opts out (RFC 8461 §8.3). */
  NONE;

  /**
   * Returns the mode as written in a policy file.
   *
   * @return {@code enforce}, {@code testing} or {@code none}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode for a token, matched exactly as RFC 8461 §3.2 asks, or null. */
  static MtaStsMode of(String token) {
    for (MtaStsMode mode : values()) {
      if (mode.token().equals(token)) {
        return mode;
      }
    }
    return null;
  }
}
