package org.mailauth4j.dmarc;

import java.util.Locale;

/** The DMARC result of a message (RFC 9989 §9.2, RFC 8601 §2.7.1 {@code dmarc=}). */
public enum DmarcResult {
  /** An aligned identifier passed SPF or DKIM. */
  PASS,
  /** A policy was found and no aligned identifier passed. */
  FAIL,
  /** No DMARC policy applies: no record was found for the author domain. */
  NONE,
  /**
   * A temporary DNS failure kept the evaluation from concluding: nothing aligned passed and a
   * lookup of the policy, an organizational domain or an underlying SPF or DKIM check failed.
   */
  TEMPERROR,
  /** The message or the policy could not be evaluated: no usable author domain in From. */
  PERMERROR;

  /**
   * Returns the Authentication-Results token.
   *
   * @return the lower-case name
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
