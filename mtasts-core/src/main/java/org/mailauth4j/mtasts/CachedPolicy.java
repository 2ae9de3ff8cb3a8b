package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Objects;
import org.mailauth4j.dns.DomainName;

/**
 * A policy as a sender keeps it (RFC 8461 §3.3, §5.1): for which domain, under which record {@code
 * id}, and when it was fetched. It may be applied until {@code max_age} after the fetch.
 *
 * <p>Made by {@link MtaStsPolicyResolver}; a {@link PolicyStore} implementation that keeps policies
 * elsewhere rebuilds one with {@link #builder()}. It has no public constructor, so that later
 * versions can add evidence without breaking callers. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class CachedPolicy {
  private final DomainName domain;
  private final String id;
  private final MtaStsPolicy policy;
  private final Instant fetchedAt;

  CachedPolicy(DomainName domain, String id, MtaStsPolicy policy, Instant fetchedAt) {
    this.domain = requireNonNull(domain, "domain");
    this.id = requireNonNull(id, "id");
    this.policy = requireNonNull(policy, "policy");
    this.fetchedAt = requireNonNull(fetchedAt, "fetchedAt");
  }

  /**
   * Starts an entry, for store implementations that rebuild one from what they kept.
   *
   * @return a builder with nothing set; every value is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder that starts from this entry.
   *
   * @return a builder with all values of this entry
   */
  public Builder toBuilder() {
    return new Builder().domain(domain).id(id).policy(policy).fetchedAt(fetchedAt);
  }

  /**
   * Returns the policy domain, the recipient domain it was fetched for.
   *
   * @return the domain
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the {@code id} of the {@code _mta-sts} record when the policy was fetched.
   *
   * @return the record id
   */
  public String id() {
    return id;
  }

  /**
   * Returns the policy.
   *
   * @return the policy
   */
  public MtaStsPolicy policy() {
    return policy;
  }

  /**
   * Returns when the policy was fetched.
   *
   * @return the fetch time
   */
  public Instant fetchedAt() {
    return fetchedAt;
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

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is an entry with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CachedPolicy c
        && domain.equals(c.domain)
        && id.equals(c.id)
        && policy.equals(c.policy)
        && fetchedAt.equals(c.fetchedAt);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(domain, id, policy, fetchedAt);
  }

  /**
   * Describes the entry as {@code CachedPolicy[domain=…, id=…, policy=…, fetchedAt=…]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "CachedPolicy[domain="
        + domain
        + ", id="
        + id
        + ", policy="
        + policy
        + ", fetchedAt="
        + fetchedAt
        + "]";
  }

  /** Builds a {@link CachedPolicy}. Not thread-safe. */
  public static final class Builder {
    private DomainName domain;
    private String id;
    private MtaStsPolicy policy;
    private Instant fetchedAt;

    private Builder() {}

    /**
     * Sets the policy domain. Required.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder domain(DomainName domain) {
      this.domain = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the record {@code id} the policy was fetched under. Required.
     *
     * @param id the id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the policy. Required.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(MtaStsPolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets when the policy was fetched. Required.
     *
     * @param fetchedAt the fetch time
     * @return this builder
     */
    public Builder fetchedAt(Instant fetchedAt) {
      this.fetchedAt = requireNonNull(fetchedAt, "fetchedAt");
      return this;
    }

    /**
     * Builds the entry.
     *
     * @return the entry
     * @throws NullPointerException if a value was not set
     */
    public CachedPolicy build() {
      return new CachedPolicy(domain, id, policy, fetchedAt);
    }
  }
}
