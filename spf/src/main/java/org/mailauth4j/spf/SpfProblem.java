package org.mailauth4j.spf;

/**
 * Why a check did not reach a definitive result, in machine-readable form. The human-readable
 * detail is in {@link SpfOutcome#detail()}.
 */
public enum SpfProblem {
  /** The domain to check is not a valid multi-label domain name (§4.3): {@code none}. */
  INVALID_DOMAIN,
  /** The domain does not exist or publishes no SPF record (§4.3, §4.5): {@code none}. */
  NO_RECORD,
  /** The domain publishes more than one SPF record (§4.5): {@code permerror}. */
  MULTIPLE_RECORDS,
  /** A record does not follow the grammar of RFC 7208 §12: {@code permerror}. */
  SYNTAX,
  /**
   * An SPF record holds octets outside ASCII, which its grammar does not allow: {@code permerror}.
   */
  NON_ASCII_RECORD,
  /** More than the allowed DNS-querying terms (10 by default, §4.6.4): {@code permerror}. */
  DNS_LOOKUP_LIMIT,
  /** More than the allowed void lookups (2 by default, §4.6.4): {@code permerror}. */
  VOID_LOOKUP_LIMIT,
  /**
   * An {@code mx} term would need to look up more than the allowed hosts (10 by default, §4.6.4) to
   * decide: {@code permerror}.
   */
  MX_LIMIT,
  /** An {@code include} or {@code redirect} target has no SPF record (§5.2, §6.1). */
  TARGET_WITHOUT_RECORD,
  /** A DNS lookup failed for now: a timeout or a server failure (§4.4, §5): {@code temperror}. */
  DNS_ERROR,
  /** The evaluation ran past its time budget (§4.6.4): {@code temperror}. */
  TIME_LIMIT
}
