package org.mailauth4j.mtasts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DomainName;

/**
 * The default {@link PolicyStore}: a size-bounded map in least-recently-used order. Its futures are
 * complete when returned.
 */
final class InMemoryPolicyStore implements PolicyStore {
  private final Map<DomainName, CachedPolicy> entries;

  InMemoryPolicyStore(int maxDomains) {
    if (maxDomains < 1) {
      throw new IllegalArgumentException("maxDomains must be positive: " + maxDomains);
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<DomainName, CachedPolicy> eldest) {
            return size() > maxDomains;
          }
        };
  }

  @Override
  public CompletableFuture<Optional<CachedPolicy>> get(DomainName domain) {
    synchronized (this) {
      return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(domain)));
    }
  }

  @Override
  public CompletableFuture<Void> put(CachedPolicy policy) {
    synchronized (this) {
      entries.put(policy.domain(), policy);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> remove(DomainName domain) {
    synchronized (this) {
      return CompletableFuture.completedFuture(entries.remove(domain) != null);
    }
  }

  @Override
  public CompletableFuture<List<CachedPolicy>> all() {
    synchronized (this) {
      return CompletableFuture.completedFuture(List.copyOf(entries.values()));
    }
  }
}
