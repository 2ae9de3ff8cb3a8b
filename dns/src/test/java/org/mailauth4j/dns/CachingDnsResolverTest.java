package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mailauth4j.testkit.MutableClock;

class CachingDnsResolverTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountingResolver upstream =
      new CountingResolver(
          ZoneFileResolver.builder()
              .zone(
                  "$TTL 300\n"
                      + "example.test. SOA ns.example.test. h.example.test. 1 1 1 1 60\n"
                      + "example.test. TXT \"v=spf1 -all\"\n"
                      + "short.example.test. 5 A 192.0.2.1\n"
                      + "long.example.test. 604800 A 192.0.2.2\n")
              .fail(DomainName.parse("down.example.test"), DnsFailure.Kind.SERVER_FAILURE)
              .build());

  private static DnsQuery<TxtRecord> txt(String name) {
    return DnsQuery.txt(DomainName.parse(name));
  }

  @Test
  void answersFromTheCacheUntilTheTtlRunsOut() {
    CachingDnsResolver cache = CachingDnsResolver.builder(upstream).clock(clock).build();

    assertThat(cache.lookup(txt("example.test")).ttl()).hasSeconds(300);
    clock.advance(Duration.ofSeconds(100));
    DnsAnswer<TxtRecord> second = cache.lookup(txt("example.test"));
    assertThat(second.ttl()).as("remaining TTL").hasSeconds(200);
    assertThat(second.records()).containsExactly(TxtRecord.of("v=spf1 -all"));
    assertThat(upstream.calls.get()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(200));
    cache.lookup(txt("example.test"));
    assertThat(upstream.calls.get()).as("expired, so asked again").isEqualTo(2);
    assertThat(cache.stats()).isEqualTo(new CachingDnsResolver.CacheStats(1, 2, 0, 1));
    assertThat(cache.stats().hitRate()).isEqualTo(1.0 / 3);
  }

  @Test
  void cachesNegativeAnswersForTheirNegativeTtl() {
    CachingDnsResolver cache = CachingDnsResolver.builder(upstream).clock(clock).build();
    DnsQuery<TxtRecord> missing = txt("missing.example.test");

    assertThat(cache.lookup(missing).status()).isEqualTo(DnsStatus.NXDOMAIN);
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.lookup(missing).status()).isEqualTo(DnsStatus.NXDOMAIN);
    assertThat(upstream.calls.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    cache.lookup(missing);
    assertThat(upstream.calls.get()).isEqualTo(2);
  }

  @Test
  void doesNotKeepTemporaryFailuresUnlessAsked() {
    CachingDnsResolver plain = CachingDnsResolver.builder(upstream).clock(clock).build();
    plain.lookup(txt("down.example.test"));
    plain.lookup(txt("down.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(2);

    CachingDnsResolver remembering =
        CachingDnsResolver.builder(upstream)
            .clock(clock)
            .failureTtl(Duration.ofSeconds(30))
            .build();
    DnsAnswer<TxtRecord> first = remembering.lookup(txt("down.example.test"));
    DnsAnswer<TxtRecord> second = remembering.lookup(txt("down.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(3);
    assertThat(second.isTempFail()).isTrue();
    assertThat(second.ttl()).isZero();
    assertThat(first.failure()).isEqualTo(second.failure());
    clock.advance(Duration.ofSeconds(30));
    remembering.lookup(txt("down.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(4);
  }

  @Test
  void clampsTtlsToTheConfiguredBounds() {
    CachingDnsResolver cache =
        CachingDnsResolver.builder(upstream)
            .clock(clock)
            .minTtl(Duration.ofSeconds(30))
            .maxTtl(Duration.ofHours(1))
            .build();
    DnsQuery<java.net.Inet4Address> shortTtl = DnsQuery.a(DomainName.parse("short.example.test"));
    DnsQuery<java.net.Inet4Address> longTtl = DnsQuery.a(DomainName.parse("long.example.test"));

    assertThat(cache.lookup(shortTtl).ttl()).hasSeconds(30);
    assertThat(cache.lookup(longTtl).ttl()).hasSeconds(3600);
    clock.advance(Duration.ofSeconds(29));
    cache.lookup(shortTtl);
    assertThat(upstream.calls.get()).isEqualTo(2);
    clock.advance(Duration.ofHours(1));
    cache.lookup(longTtl);
    assertThat(upstream.calls.get()).isEqualTo(3);
  }

  @Test
  void doesNotCacheAZeroTtl() {
    CachingDnsResolver cache =
        CachingDnsResolver.builder(upstream).clock(clock).maxNegativeTtl(Duration.ZERO).build();
    cache.lookup(txt("missing.example.test"));
    cache.lookup(txt("missing.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(2);
    assertThat(cache.stats().size()).isZero();
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondItsSize() {
    CachingDnsResolver cache =
        CachingDnsResolver.builder(upstream).clock(clock).maxEntries(2).build();
    cache.lookup(txt("a.example.test"));
    cache.lookup(txt("b.example.test"));
    cache.lookup(txt("a.example.test")); // a is now more recent than b
    cache.lookup(txt("c.example.test")); // evicts b
    assertThat(cache.stats().evictions()).isEqualTo(1);
    assertThat(cache.stats().size()).isEqualTo(2);
    int before = upstream.calls.get();
    cache.lookup(txt("a.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(before);
    cache.lookup(txt("b.example.test"));
    assertThat(upstream.calls.get()).isEqualTo(before + 1);
  }

  @Test
  void sharesOneUpstreamQueryAmongConcurrentLookups() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    DnsResolver slow =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return release.thenCompose(v -> upstream.lookupAsync(query));
          }
        };
    CachingDnsResolver cache = CachingDnsResolver.builder(slow).clock(clock).build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<CompletableFuture<DnsAnswer<TxtRecord>>>> lookups = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        lookups.add(
            pool.submit(
                () -> {
                  go.await();
                  return cache.lookupAsync(txt("example.test"));
                }));
      }
      go.countDown();
      List<CompletableFuture<DnsAnswer<TxtRecord>>> pending = new ArrayList<>();
      for (Future<CompletableFuture<DnsAnswer<TxtRecord>>> f : lookups) {
        pending.add(f.get(10, TimeUnit.SECONDS));
      }
      release.complete(null);
      for (CompletableFuture<DnsAnswer<TxtRecord>> p : pending) {
        assertThat(p.get(10, TimeUnit.SECONDS).isFound()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(upstream.calls.get()).isEqualTo(1);
    assertThat(cache.stats().hits()).isEqualTo(63);
  }

  @Test
  void aCallerCannotSpoilTheSharedLookup() {
    CompletableFuture<Void> release = new CompletableFuture<>();
    DnsResolver slow =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return release.thenCompose(v -> upstream.lookupAsync(query));
          }
        };
    CachingDnsResolver cache = CachingDnsResolver.builder(slow).clock(clock).build();
    CompletableFuture<DnsAnswer<TxtRecord>> first = cache.lookupAsync(txt("example.test"));
    CompletableFuture<DnsAnswer<TxtRecord>> second = cache.lookupAsync(txt("example.test"));
    first.cancel(true);
    release.complete(null);
    assertThat(second.join().isFound()).isTrue();
    assertThat(cache.lookup(txt("example.test")).isFound()).isTrue();
  }

  @Test
  void passesOnAnUpstreamExceptionWithoutCachingIt() {
    AtomicInteger calls = new AtomicInteger();
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("bug upstream"));
          }
        };
    CachingDnsResolver cache = CachingDnsResolver.builder(broken).clock(clock).build();
    assertThatThrownBy(() -> cache.lookup(txt("example.test")))
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("bug upstream");
    assertThatThrownBy(() -> cache.lookup(txt("example.test")))
        .isInstanceOf(CompletionException.class);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(cache.stats().size()).isZero();
  }

  @Test
  void clearForgetsEverything() {
    CachingDnsResolver cache = CachingDnsResolver.builder(upstream).clock(clock).build();
    cache.lookup(txt("example.test"));
    cache.clear();
    cache.lookup(txt("example.test"));
    assertThat(upstream.calls.get()).isEqualTo(2);
  }

  @Test
  void refusesNonsensicalSettings() {
    CachingDnsResolver.Builder b = CachingDnsResolver.builder(upstream);
    assertThatThrownBy(() -> b.maxEntries(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.failureTtl(Duration.ofMinutes(6)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    b.minTtl(Duration.ofHours(2)).maxTtl(Duration.ofHours(1));
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class);
  }

  /** Counts the lookups that reach it. */
  static final class CountingResolver implements DnsResolver {
    final AtomicInteger calls = new AtomicInteger();
    private final DnsResolver delegate;

    CountingResolver(DnsResolver delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
      calls.incrementAndGet();
      return delegate.lookupAsync(query);
    }
  }
}
