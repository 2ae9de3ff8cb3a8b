package org.mailauth4j.mtasts;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DomainName;

/**
 * Where a sender keeps the policies it fetched, one per policy domain. The in-memory store is the
 * default; a product that wants policies to survive restarts, or to share them between MTAs,
 * implements this over its own database, rebuilding entries with {@link CachedPolicy#builder()}.
 *
 * <p>Every method is asynchronous, and implementations must not block the calling thread: {@link
 * MtaStsPolicyResolver} calls them on the threads that complete DNS answers and HTTPS fetches.
 * Return a future that a database driver's own threads (or an executor of the implementation's)
 * complete later, or a completed future when the answer is at hand. Implementations must be
 * thread-safe: deliveries to the same domain ask concurrently.
 *
 * <p>What the resolver does when a store fails (its future completes exceptionally, or the method
 * throws): a failed {@link #get(DomainName)} counts as no cached policy, so the record's policy is
 * fetched and applied; a failed {@link #put(CachedPolicy)} is logged as a warning and the lookup
 * still returns the fetched policy; a failed {@link #remove(DomainName)} is logged and otherwise
 * ignored; a failed {@link #all()} is logged and refreshes nothing. The resolver's futures still
 * complete normally.
 */
public interface PolicyStore {

  /**
   * Returns the stored policy of a domain, expired or not.
   *
   * @param domain the policy domain
   * @return a future of the entry, if any; a failed future counts as no entry
   */
  CompletableFuture<Optional<CachedPolicy>> get(DomainName domain);

  /**
   * Stores a policy, replacing the domain's previous one.
   *
   * @param policy the entry
   * @return a future that completes once the entry is stored; a failed future is logged
   */
  CompletableFuture<Void> put(CachedPolicy policy);

  /**
   * Removes a domain's policy.
   *
   * @param domain the policy domain
   * @return a future of {@code true} if there was one
   */
  CompletableFuture<Boolean> remove(DomainName domain);

  /**
   * Returns every stored policy, for inspection and proactive refresh.
   *
   * @return a future of a snapshot
   */
  CompletableFuture<List<CachedPolicy>> all();

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
