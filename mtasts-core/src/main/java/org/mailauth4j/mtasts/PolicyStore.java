package org.mailauth4j.mtasts;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * Where a sender keeps the policies it fetched, one per policy domain. The in-memory store is the
 * default; a product that wants policies to survive restarts, or to share them between MTAs,
 * implements this over its own database. Implementations must be thread-safe: deliveries to the
 * same domain ask concurrently.
 */
public interface PolicyStore {

  /**
   * Returns the stored policy of a domain, expired or not.
   *
   * @param domain the policy domain
   * @return the entry, if any
   */
  Optional<CachedPolicy> get(DomainName domain);

  /**
   * Stores a policy, replacing the domain's previous one.
   *
   * @param policy the entry
   */
  void put(CachedPolicy policy);

  /**
   * Removes a domain's policy.
   *
   * @param domain the policy domain
   * @return {@code true} if there was one
   */
  boolean remove(DomainName domain);

  /**
   * Returns every stored policy, for inspection and proactive refresh.
   *
   * @return a snapshot
   */
  List<CachedPolicy> all();

  /**
   * Returns a store in memory that holds up to 100,000 domains, dropping the least recently used
   * beyond that.
   *
   * @return a new, empty store
   */
  static PolicyStore inMemory() {
    return inMemory(100_000);
  }

  /**
   * Returns a store in memory that holds up to {@code maxDomains} domains, dropping the least
   * recently used beyond that.
   *
   * @param maxDomains at least 1
   * @return a new, empty store
   */
  static PolicyStore inMemory(int maxDomains) {
    return new InMemoryPolicyStore(maxDomains);
  }
}
