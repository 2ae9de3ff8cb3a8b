package org.mailauth4j.spf;

import java.util.Locale;

/** The results of check_host() (RFC 7208 §2.6). */
public enum SpfResult {
  /** No SPF record was found, or the domain could not be checked (§2.6.1). */
  NONE,
  /** The domain owner says nothing about whether the client is authorized (§2.6.2). */
  NEUTRAL,
  /** The client is authorized to use the domain (§2.6.3). */
  PASS,
  /** The client is explicitly not authorized (§2.6.4). */
  FAIL,
  /** The client is probably not authorized (§2.6.5). */
  SOFTFAIL,
  /** A transient error, such as a DNS timeout; a later check may succeed (§2.6.6). */
  TEMPERROR,
  /** The domain's records could not be interpreted correctly (§2.6.7). */
  PERMERROR;

  /**
   * Returns the token used in Received-SPF and Authentication-Results.
   *
   * @return such as {@code softfail}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
