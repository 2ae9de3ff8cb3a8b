package org.mailauth4j.dmarc;

/** Why a DMARC evaluation did not end in an ordinary pass or fail. */
public enum DmarcProblem {
  /**
   * The From field gives no author domain to evaluate: none, several From fields, no mailbox, a
   * mailbox without a valid domain (RFC 9989 §4.4, §11.5). {@link DmarcOutcome#author()} says
   * which.
   */
  NO_AUTHOR_DOMAIN,
  /** No DMARC record was found for the author domain: DMARC does not apply (RFC 9989 §4.10.1). */
  NO_RECORD,
  /**
   * Several DMARC records were found where discovery ends, so none applies: under RFC 7489 at the
   * author domain (§6.6.3 step 5), or under RFC 9989 at the last name of the walk.
   */
  SEVERAL_RECORDS,
  /**
   * A record was found, but without a valid {@code p} (or with an invalid {@code sp} or {@code np})
   * and without a valid {@code rua}, so DMARC does not apply (RFC 9989 §4.10.1).
   */
  UNUSABLE_RECORD,
  /**
   * A record was found without a valid policy, but with a valid {@code rua}, so it was applied as
   * {@code p=none} (RFC 9989 §4.10.1). The result stands; this only explains it.
   */
  POLICY_TAKEN_AS_NONE,
  /**
   * The From field has more distinct domains than the verifier evaluates ({@link
   * DmarcVerifier.Builder#maxAuthorDomains(int)}) and none of those evaluated failed: a domain left
   * out might, so the result is {@code permerror}, never {@code pass} (RFC 9989 §11.5).
   */
  TOO_MANY_AUTHOR_DOMAINS,
  /**
   * A DNS lookup of policy discovery failed temporarily, so whether a policy applies is unknown.
   */
  DISCOVERY_TEMPORARY_FAILURE,
  /**
   * Nothing aligned passed, and an aligned SPF or DKIM check, an organizational-domain lookup, or
   * the existence test of the author domain failed temporarily, so fail cannot be concluded (RFC
   * 9989 §4.10.2, §6.1 of RFC 7489).
   */
  CHECK_TEMPORARY_FAILURE
}
