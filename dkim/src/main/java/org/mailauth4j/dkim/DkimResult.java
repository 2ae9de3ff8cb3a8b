package org.mailauth4j.dkim;

import java.util.Locale;

/**
 * The result of verifying one DKIM signature ({@link DkimOutcome#result()}) or, summed up, the
 * signatures of a message ({@link DkimVerification#result()}), in the words of RFC 8601 §2.7.1,
 * which Authentication-Results and DMARC use.
 */
public enum DkimResult {
  /**
   * The message was not signed: it has no DKIM-Signature field. Only {@link
   * DkimVerification#result()} gives it, never an outcome.
   */
  NONE,
  /** The signature verified. */
  PASS,
  /** The signature was acceptable but did not verify: the body or the headers changed. */
  FAIL,
  /**
   * The signature was not acceptable to the verifier's local policy: a weak algorithm (rsa-sha1), a
   * key outside the allowed sizes, a body only partly covered by {@code l=}, or a limit.
   */
  POLICY,
  /** The signature could not be processed for a reason not covered by the other results. */
  NEUTRAL,
  /** A temporary problem, such as a DNS timeout while fetching the key; trying later may help. */
  TEMPERROR,
  /** A permanent problem: a malformed signature, no key, a revoked or unusable key. */
  PERMERROR;

  /**
   * Returns the token used in Authentication-Results, such as {@code pass} or {@code permerror}.
   *
   * @return the lower-case result name
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
