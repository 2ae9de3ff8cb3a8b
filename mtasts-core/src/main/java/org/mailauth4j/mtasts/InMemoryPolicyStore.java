package org.mailauth4j.mtasts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/** The default {@link PolicyStore}: a size-bounded map in least-recently-used order. */
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
  public synchronized Optional<CachedPolicy> get(DomainName domain) {
    return Optional.ofNullable(entries.get(domain));
  }

  @Override
  public synchronized void put(CachedPolicy policy) {
    entries.put(policy.domain(), policy);
  }

  @Override
  public synchronized boolean remove(DomainName domain) {
    return entries.remove(domain) != null;
  }

  @Override
  public synchronized List<CachedPolicy> all() {
    return List.copyOf(entries.values());
  }
}
