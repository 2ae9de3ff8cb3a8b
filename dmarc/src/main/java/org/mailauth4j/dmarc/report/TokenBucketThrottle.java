package org.mailauth4j.dmarc.report;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailauth4j.dns.DomainName;

/**
 * {@link FailureReportThrottle#perDomain}: a token bucket per policy domain, in a map in access
 * order so that the least recently used bucket goes first when the map is full. One lock: a report
 * is rare next to the messages evaluated, and the work under the lock is a few arithmetic steps.
 */
final class TokenBucketThrottle implements FailureReportThrottle {
  /** How many of the least recently used buckets eviction looks at. */
  private static final int EVICTION_SCAN = 64;

  private final double capacity;
  private final double perNano;
  private final Clock clock;
  private final int maxDomains;
  private final LinkedHashMap<DomainName, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  TokenBucketThrottle(int reports, Duration window, Clock clock, int maxDomains) {
    if (reports < 1) {
      throw new IllegalArgumentException("reports must be positive: " + reports);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the window must be positive: " + window);
    }
    this.capacity = reports;
    this.perNano = reports / (double) window.toNanos();
    this.clock = clock;
    this.maxDomains = maxDomains;
  }

  @Override
  public synchronized boolean tryAcquire(DomainName policyDomain, List<String> recipients) {
    long now = nanos();
    Bucket b = buckets.get(policyDomain);
    if (b == null) {
      if (buckets.size() >= maxDomains) {
        evict(now);
      }
      b = new Bucket(capacity, now);
      buckets.put(policyDomain, b);
    }
    refill(b, now);
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  /**
   * Forgets the full buckets among the least recently used few (they are as good as absent), else
   * the least recently used one: bounded work, however many domains are tracked.
   */
  private void evict(long now) {
    int looked = 0;
    for (Iterator<Map.Entry<DomainName, Bucket>> it = buckets.entrySet().iterator();
        it.hasNext() && looked < EVICTION_SCAN;
        looked++) {
      Bucket b = it.next().getValue();
      refill(b, now);
      if (b.tokens >= capacity) {
        it.remove();
      }
    }
    if (buckets.size() >= maxDomains) {
      Iterator<DomainName> eldest = buckets.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  private void refill(Bucket b, long now) {
    if (now > b.at) {
      b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perNano);
      b.at = now;
    }
  }

  private long nanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  int trackedDomains() {
    synchronized (this) {
      return buckets.size();
    }
  }
}
