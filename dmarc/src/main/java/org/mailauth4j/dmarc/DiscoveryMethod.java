package org.mailauth4j.dmarc;

import java.util.Locale;

/**
 * How the policy and organizational domains were found; RFC 9990 aggregate reports carry it as
 * {@code discovery_method}.
 */
public enum DiscoveryMethod {
  /** The public suffix list (RFC 7489 §3.2), under {@link DmarcProfile#RFC7489}. */
  PSL,
  /** The DNS tree walk (RFC 9989 §4.10), under {@link DmarcProfile#RFC9989}. */
  TREEWALK;

  /**
   * Returns the report token.
   *
   * @return {@code psl} or {@code treewalk}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
