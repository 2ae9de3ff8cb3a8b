package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link DnsResolver} that remembers the answers of another one for as long as their TTLs allow,
 * so that the same key, policy or SPF include is not fetched for every message.
 *
 * <ul>
 *   <li>Positive answers are kept for their TTL, negative ones ({@link DnsStatus#NO_DATA}, {@link
 *       DnsStatus#NXDOMAIN}) for their negative-caching TTL (RFC 2308), each clamped to the
 *       configured bounds. Temporary failures are not kept unless {@link
 *       Builder#failureTtl(Duration)} says so (RFC 2308 §7 allows up to five minutes).
 *   <li>A cached answer is handed out with the TTL that remains of it.
 *   <li>Concurrent lookups of the same question while it is in flight share one upstream query.
 *   <li>The cache holds at most {@link Builder#maxEntries(int)} answers and evicts the least
 *       recently used first.
 * </ul>
 *
 * <p>Instances are thread-safe; share one per process (or per tenant), in front of a {@link
 * NetworkDnsResolver}.
 *
 * <pre>{@code
 * DnsResolver dns = CachingDnsResolver.builder(NetworkDnsResolver.builder().build())
 *     .maxEntries(50_000)
 *     .build();
 * }</pre>
 */
public final class CachingDnsResolver implements DnsResolver {
  private final DnsResolver delegate;
  private final Clock clock;
  private final int maxEntries;
  private final Duration minTtl;
  private final Duration maxTtl;
  private final Duration maxNegativeTtl;
  private final Duration failureTtl;

  /** Guarded by itself; in access order, so the eldest entry is the least recently used. */
  private final LinkedHashMap<DnsQuery<?>, Entry> entries;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /**
   * An answer being fetched ({@code expires == null}) or fetched and valid until {@code expires}.
   */
  private static final class Entry {
    final CompletableFuture<? extends DnsAnswer<?>> pending;
    final DnsAnswer<?> answer;
    final Instant expires;

    Entry(CompletableFuture<? extends DnsAnswer<?>> pending) {
      this.pending = pending;
      this.answer = null;
      this.expires = null;
    }

    Entry(DnsAnswer<?> answer, Instant expires) {
      this.pending = null;
      this.answer = answer;
      this.expires = expires;
    }
  }

  private CachingDnsResolver(Builder b) {
    this.delegate = b.delegate;
    this.clock = b.clock;
    this.maxEntries = b.maxEntries;
    this.minTtl = b.minTtl;
    this.maxTtl = b.maxTtl;
    this.maxNegativeTtl = b.maxNegativeTtl;
    this.failureTtl = b.failureTtl;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * Starts configuring a cache in front of a resolver.
   *
   * @param delegate the resolver that answers what the cache does not hold
   * @return a builder with the defaults described on its methods
   */
  public static Builder builder(DnsResolver delegate) {
    return new Builder(requireNonNull(delegate, "delegate"));
  }

  @Override
  @SuppressWarnings("unchecked") // entries are keyed by query, so an entry's answer has its T
  public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
    requireNonNull(query, "query");
    Instant now = clock.instant();
    CompletableFuture<DnsAnswer<T>> fetch;
    synchronized (entries) {
      Entry entry = entries.get(query);
      if (entry != null && entry.pending != null) {
        hits.increment();
        // A copy, so that no caller can complete or cancel the future the others wait on.
        return ((CompletableFuture<DnsAnswer<T>>) entry.pending).copy();
      }
      if (entry != null && now.isBefore(entry.expires)) {
        hits.increment();
        DnsAnswer<T> answer = (DnsAnswer<T>) entry.answer;
        return CompletableFuture.completedFuture(
            answer.isTempFail() ? answer : answer.withTtl(Duration.between(now, entry.expires)));
      }
      misses.increment();
      fetch = new CompletableFuture<>();
      put(query, new Entry(fetch));
    }
    CompletableFuture<DnsAnswer<T>> upstream;
    try {
      upstream = delegate.lookupAsync(query);
    } catch (RuntimeException e) {
      upstream = CompletableFuture.failedFuture(e);
    }
    upstream.whenComplete((answer, error) -> store(query, fetch, answer, error));
    return fetch.copy();
  }

  private <T> void store(
      DnsQuery<T> query, CompletableFuture<DnsAnswer<T>> fetch, DnsAnswer<T> answer, Throwable e) {
    Duration keep = answer == null ? Duration.ZERO : cacheTime(answer);
    synchronized (entries) {
      Entry current = entries.get(query);
      if (current != null && current.pending == fetch) {
        if (keep.isZero()) {
          entries.remove(query);
        } else {
          put(query, new Entry(answer, clock.instant().plus(keep)));
        }
      }
    }
    if (answer != null) {
      fetch.complete(answer.isTempFail() || keep.isZero() ? answer : answer.withTtl(keep));
    } else {
      fetch.completeExceptionally(e);
    }
  }

  private Duration cacheTime(DnsAnswer<?> answer) {
    switch (answer.status()) {
      case FOUND:
        return clamp(answer.ttl(), maxTtl);
      case NO_DATA:
      case NXDOMAIN:
        return clamp(answer.ttl(), maxNegativeTtl);
      case TEMP_FAIL:
        return failureTtl;
    }
    throw new AssertionError(answer.status());
  }

  private Duration clamp(Duration ttl, Duration max) {
    Duration atLeast = ttl.compareTo(minTtl) < 0 ? minTtl : ttl;
    return atLeast.compareTo(max) > 0 ? max : atLeast;
  }

  /** Must hold the lock. */
  private void put(DnsQuery<?> query, Entry entry) {
    entries.put(query, entry);
    // Evict the least recently used; expired entries age to the front of the order by themselves.
    for (Iterator<Map.Entry<DnsQuery<?>, Entry>> it = entries.entrySet().iterator();
        entries.size() > maxEntries && it.hasNext(); ) {
      it.next();
      it.remove();
      evictions.increment();
    }
  }

  /**
   * Returns how the cache has done so far.
   *
   * @return a snapshot of the counters and the current size
   */
  public CacheStats stats() {
    int size;
    synchronized (entries) {
      size = entries.size();
    }
    return new CacheStats(hits.sum(), misses.sum(), evictions.sum(), size);
  }

  /** Forgets every cached answer; lookups in flight complete as usual but are not kept. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  /**
   * Counters of a {@link CachingDnsResolver}. It has no public constructor, so that later versions
   * can add fields without breaking callers. Immutable and thread-safe; equal when all their fields
   * are.
   */
  public static final class CacheStats {
    private final long hits;
    private final long misses;
    private final long evictions;
    private final int size;

    CacheStats(long hits, long misses, long evictions, int size) {
      this.hits = hits;
      this.misses = misses;
      this.evictions = evictions;
      this.size = size;
    }

    /**
     * Returns the lookups answered from the cache, including those that joined a lookup in flight.
     *
     * @return the hits
     */
    public long hits() {
      return hits;
    }

    /**
     * Returns the lookups passed to the resolver behind the cache.
     *
     * @return the misses
     */
    public long misses() {
      return misses;
    }

    /**
     * Returns the answers dropped to stay within the size bound.
     *
     * @return the evictions
     */
    public long evictions() {
      return evictions;
    }

    /**
     * Returns the answers (and lookups in flight) held now.
     *
     * @return the size
     */
    public int size() {
      return size;
    }

    /**
     * Returns the share of lookups answered from the cache.
     *
     * @return from 0.0 to 1.0; 0.0 before any lookup
     */
    public double hitRate() {
      long total = hits + misses;
      return total == 0 ? 0.0 : (double) hits / total;
    }

    /**
     * Compares all fields.
     *
     * @param other the other object
     * @return {@code true} if {@code other} is {@code CacheStats} with equal fields
     */
    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      return other instanceof CacheStats o
          && hits == o.hits
          && misses == o.misses
          && evictions == o.evictions
          && size == o.size;
    }

    /**
     * Hashes all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return Objects.hash(hits, misses, evictions, size);
    }

    /**
     * Describes the value for logs, with every field.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "CacheStats[hits="
          + hits
          + ", misses="
          + misses
          + ", evictions="
          + evictions
          + ", size="
          + size
          + "]";
    }
  }

  /**
   * Configures a {@link CachingDnsResolver}. Not thread-safe; build once, then share the result.
   */
  public static final class Builder {
    private final DnsResolver delegate;
    private Clock clock = Clock.systemUTC();
    private int maxEntries = 10_000;
    private Duration minTtl = Duration.ZERO;
    private Duration maxTtl = Duration.ofDays(1);
    private Duration maxNegativeTtl = Duration.ofHours(3);
    private Duration failureTtl = Duration.ZERO;

    private Builder(DnsResolver delegate) {
      this.delegate = delegate;
    }

    /**
     * Sets the most answers the cache holds. Default 10,000.
     *
     * @param maxEntries at least 1
     * @return this builder
     */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * Sets the shortest time an answer is kept, even if its TTL is shorter. Default zero: TTLs are
     * honoured as published.
     *
     * @param minTtl zero or more
     * @return this builder
     */
    public Builder minTtl(Duration minTtl) {
      this.minTtl = notNegative(minTtl, "minTtl");
      return this;
    }

    /**
     * Sets the longest time a positive answer is kept, whatever its TTL. Default one day.
     *
     * @param maxTtl zero or more
     * @return this builder
     */
    public Builder maxTtl(Duration maxTtl) {
      this.maxTtl = notNegative(maxTtl, "maxTtl");
      return this;
    }

    /**
     * Sets the longest time a negative answer is kept. Default three hours, the upper end of what
     * RFC 2308 §5 recommends.
     *
     * @param maxNegativeTtl zero or more
     * @return this builder
     */
    public Builder maxNegativeTtl(Duration maxNegativeTtl) {
      this.maxNegativeTtl = notNegative(maxNegativeTtl, "maxNegativeTtl");
      return this;
    }

    /**
     * Sets how long a temporary failure is remembered, so that a failing server is not asked again
     * for every message. Default zero (not remembered); RFC 2308 §7.1 allows up to five minutes.
     *
     * @param failureTtl from zero to five minutes
     * @return this builder
     */
    public Builder failureTtl(Duration failureTtl) {
      if (notNegative(failureTtl, "failureTtl").compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("failureTtl above five minutes: " + failureTtl);
      }
      this.failureTtl = failureTtl;
      return this;
    }

    /**
     * Sets the clock that ages entries. Default the system clock in UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the cache, empty.
     *
     * @return the cache
     */
    public CachingDnsResolver build() {
      if (minTtl.compareTo(maxTtl) > 0) {
        throw new IllegalArgumentException("minTtl " + minTtl + " above maxTtl " + maxTtl);
      }
      return new CachingDnsResolver(this);
    }

    private static Duration notNegative(Duration d, String what) {
      if (requireNonNull(d, what).isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
