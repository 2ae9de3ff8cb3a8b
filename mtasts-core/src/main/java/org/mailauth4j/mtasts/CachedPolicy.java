package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.mailauth4j.dns.DomainName;

/**
 * A policy as a sender keeps it (RFC 8461 §3.3, §5.1): for which domain, under which record {@code
 * id}, and when it was fetched. It may be applied until {@code max_age} after the fetch. Immutable.
 *
 * @param domain the policy domain, the recipient domain it was fetched for
 * @param id the {@code id} of the {@code _mta-sts} record when the policy was fetched
 * @param policy the policy
 * @param fetchedAt when it was fetched
 */
public record CachedPolicy(DomainName domain, String id, MtaStsPolicy policy, Instant fetchedAt) {

  /**
   * Creates a cache entry.
   *
   * @param domain the policy domain
   * @param id the record id
   * @param policy the policy
   * @param fetchedAt the fetch time
   */
  public CachedPolicy {
    requireNonNull(domain, "domain");
    requireNonNull(id, "id");
    requireNonNull(policy, "policy");
    requireNonNull(fetchedAt, "fetchedAt");
  }

  /**
   * Returns when the policy stops applying: the fetch time plus {@code max_age}.
   *
   * @return the expiry instant
   */
  public Instant expiresAt() {
    return fetchedAt.plus(policy.maxAge());
  }

  /**
   * Tells whether the policy no longer applies.
   *
   * @param now the current time
   * @return {@code true} from {@link #expiresAt()} on
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt());
  }
}
