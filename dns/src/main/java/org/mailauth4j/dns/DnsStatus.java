package org.mailauth4j.dns;

/**
 * Which of the four possible things a DNS lookup found. The protocols built on this module depend
 * on the difference: SPF counts {@link #NO_DATA} and {@link #NXDOMAIN} as void lookups and turns
 * {@link #TEMP_FAIL} into {@code temperror}; DKIM treats a missing key as {@code permerror} but a
 * failed lookup as {@code temperror}; DMARC applies {@code np=} to names that do not exist.
 */
public enum DnsStatus {
  /** At least one record of the asked type exists (after following CNAMEs). */
  FOUND,

  /** The name exists but has no record of the asked type (NOERROR with an empty answer). */
  NO_DATA,

  /** The name does not exist (RCODE 3, NXDOMAIN). */
  NXDOMAIN,

  /**
   * The question could not be answered now: a timeout, SERVFAIL, REFUSED, a network error, a
   * malformed response, a CNAME loop or a failed DNSSEC validation. {@link DnsAnswer#failure()}
   * says which.
   */
  TEMP_FAIL
}
