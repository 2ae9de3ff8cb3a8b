package org.mailauth4j.dmarc;

/**
 * Which generation of DMARC a receiver follows. Both read the same {@code v=DMARC1} records; they
 * differ in how the organizational domain is found and in the tags honoured.
 */
public enum DmarcProfile {
  /**
   * RFC 9989 (the default): the DNS tree walk (§4.10) finds policies and organizational domains;
   * {@code np}, {@code psd} and {@code t} are honoured; {@code pct}, {@code rf} and {@code ri} are
   * read but ignored.
   */
  RFC9989,

  /**
   * RFC 7489, for receivers that must keep its behaviour: the public suffix list finds the
   * organizational domain (§3.2), policy discovery asks at most the author domain and its
   * organizational domain (§6.6.3), and {@code pct} sampling applies (§6.6.4); {@code np}, {@code
   * psd} and {@code t} are read but ignored.
   */
  RFC7489
}
