package org.mailauth4j.spf;

import java.util.Locale;

/** Which identity an SPF check authorizes (RFC 7208 §2.3, §2.4). */
public enum SpfIdentity {
  /** The MAIL FROM reverse-path, or {@code postmaster@<helo>} when it is null. */
  MAILFROM,
  /** The HELO or EHLO domain. */
  HELO;

  /**
   * Returns the token used in Received-SPF {@code identity=}.
   *
   * @return {@code mailfrom} or {@code helo}
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
