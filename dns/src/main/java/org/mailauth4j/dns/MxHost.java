package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

/**
 * One MX record: a mail exchanger and its preference (RFC 5321 §5.1). Immutable.
 *
 * <p>A record, since its components are the MX RDATA of RFC 1035 §3.3.9, which later versions do
 * not change.
 *
 * @param preference lower values are tried first, from 0 to 65535
 * @param exchange the host that accepts mail; {@link DomainName#ROOT} for a null MX
 */
public record MxHost(int preference, DomainName exchange) {

  /**
   * Creates an MX host, checking the preference range.
   *
   * @param preference from 0 to 65535
   * @param exchange the mail exchanger
   */
  public MxHost {
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference out of range: " + preference);
    }
    requireNonNull(exchange, "exchange");
  }

  /**
   * Tells whether this is a "null MX" ({@code 0 .}), by which a domain says it accepts no mail (RFC
   * 7505).
   *
   * @return {@code true} if the exchange is the root
   */
  public boolean isNullMx() {
    return exchange.isRoot();
  }
}
