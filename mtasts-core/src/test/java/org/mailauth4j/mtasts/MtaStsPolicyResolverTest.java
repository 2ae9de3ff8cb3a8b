package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.MutableClock;

/**
 * The sender's cache and decision (RFC 8461 §3.3, §5.1) over a DNS zone that changes and a policy
 * source that answers as told; and, with the real fetcher, one fetch for many threads.
 */
class MtaStsPolicyResolverTest {
  private static final DomainName DOMAIN = DomainName.parse("example.com");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
  private final AtomicReference<DnsResolver> zone = new AtomicReference<>();
  private final DnsResolver dns =
      new DnsResolver() {
        @Override
        public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
          return zone.get().lookupAsync(query);
        }
      };
  private final Map<DomainName, PolicyFetchResult> answers = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  private final RecordingLogger log = new RecordingLogger();

  private MtaStsPolicyResolver resolver() {
    return MtaStsPolicyResolver.builder(dns)
        .clock(clock)
        .logger(log)
        .source(
            domain -> {
              fetches.incrementAndGet();
              return CompletableFuture.completedFuture(answers.get(domain));
            })
        .build();
  }

  private void records(String... txt) {
    StringBuilder text = new StringBuilder();
    for (String t : txt) {
      text.append("_mta-sts.example.com. 300 IN TXT \"").append(t).append("\"\n");
    }
    zone.set(ZoneFileResolver.builder().zone(text.toString()).build());
  }

  private static PolicyFetchResult serves(String mode, String mx, long maxAge) {
    MtaStsPolicy policy =
        new MtaStsPolicy(
            MtaStsMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)),
            List.of(MxPattern.parse(mx)),
            Duration.ofSeconds(maxAge),
            Map.of());
    return new PolicyFetchResult(
        URI.create("https://mta-sts.example.com/.well-known/mta-sts.txt"),
        Optional.of(policy),
        Optional.empty(),
        List.of());
  }

  private static PolicyFetchResult fails(FetchFailure.Kind kind) {
    return PolicyFetchResult.failed(
        URI.create("https://mta-sts.example.com/.well-known/mta-sts.txt"), kind, "as told");
  }

  @Test
  void fetchesOnceThenServesFromTheCacheWhileTheIdStays() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    PolicyLookup first = sts.lookup(DOMAIN);
    assertThat(first.source()).isEqualTo(PolicyLookup.Source.FETCHED);
    assertThat(first.mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(first.record().orElseThrow().id()).isEqualTo("1");
    assertThat(first.policy().orElseThrow().fetchedAt()).isEqualTo(clock.instant());
    assertThat(first.permits(DomainName.parse("mx.example.com"))).isTrue();
    assertThat(first.permits(DomainName.parse("evil.example.org"))).isFalse();
    clock.advance(Duration.ofHours(1));
    PolicyLookup second = sts.lookup(DOMAIN);
    assertThat(second.source()).isEqualTo(PolicyLookup.Source.CACHED);
    assertThat(second.policy()).isEqualTo(first.policy());
    assertThat(fetches).hasValue(1);
  }

  @Test
  void aNewIdFetchesTheNewPolicy() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("testing", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    records("v=STSv1; id=2;");
    answers.put(DOMAIN, serves("enforce", "mx2.example.com", 86400));
    PolicyLookup lookup = sts.lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.FETCHED);
    assertThat(lookup.policy().orElseThrow().id()).isEqualTo("2");
    assertThat(lookup.mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aFailedRefreshKeepsTheCachedPolicyAndWaitsBeforeTryingAgain() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    records("v=STSv1; id=2;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.CERTIFICATE));
    PolicyLookup failed = sts.lookup(DOMAIN);
    // RFC 8461 §3.3: a valid cached policy still applies.
    assertThat(failed.source()).isEqualTo(PolicyLookup.Source.CACHED);
    assertThat(failed.policy().orElseThrow().id()).isEqualTo("1");
    assertThat(failed.fetchFailure().orElseThrow().kind()).isEqualTo(FetchFailure.Kind.CERTIFICATE);
    assertThat(failed.reportableFailure()).contains(TlsRptResultType.STS_WEBPKI_INVALID);
    assertThat(failed.detail()).contains("cached policy (id 1) applies");
    // Within five minutes the same id is not fetched again.
    clock.advance(Duration.ofMinutes(4));
    assertThat(sts.lookup(DOMAIN).fetchFailure()).isPresent();
    assertThat(fetches).hasValue(2);
    clock.advance(Duration.ofMinutes(2));
    answers.put(DOMAIN, serves("testing", "mx.example.com", 86400));
    PolicyLookup retried = sts.lookup(DOMAIN);
    assertThat(retried.source()).isEqualTo(PolicyLookup.Source.FETCHED);
    assertThat(retried.policy().orElseThrow().id()).isEqualTo("2");
    assertThat(fetches).hasValue(3);
  }

  @Test
  void withoutACachedPolicyAFailedFetchMeansNoPolicy() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.HTTP_STATUS));
    PolicyLookup lookup = resolver().lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(lookup.policy()).isEmpty();
    assertThat(lookup.mode()).isEqualTo(MtaStsMode.NONE);
    assertThat(lookup.permits(DomainName.parse("anything.example"))).isTrue();
    assertThat(lookup.reportableFailure()).contains(TlsRptResultType.STS_POLICY_FETCH_ERROR);
    assertThat(lookup.detail()).contains("deliver as without MTA-STS");
  }

  @Test
  void aMissingOrBrokenRecordKeepsTheCachedPolicy() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    List<Runnable> breakages =
        List.of(
            () -> records(),
            () -> records("v=STSv1; id=1;", "v=STSv1; id=2;"),
            () -> records("v=STSv1; id=no-dashes;"),
            () ->
                zone.set(
                    ZoneFileResolver.builder()
                        .zone("")
                        .fail(DomainName.parse("_mta-sts.example.com"), DnsFailure.Kind.TIMEOUT)
                        .build()));
    for (Runnable breakage : breakages) {
      breakage.run();
      PolicyLookup lookup = sts.lookup(DOMAIN);
      assertThat(lookup.source()).as(lookup.detail()).isEqualTo(PolicyLookup.Source.CACHED);
      assertThat(lookup.record()).isEmpty();
      assertThat(lookup.detail()).contains("the cached policy (id 1) applies");
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void noRecordAndNothingCachedMeansNoPolicyWithoutAFetch() {
    records("v=spf1 -all");
    PolicyLookup lookup = resolver().lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(lookup.detail()).contains("no v=STSv1 record");
    assertThat(lookup.reportableFailure()).isEmpty();
    assertThat(fetches).hasValue(0);
  }

  @Test
  void policiesExpireAfterMaxAge() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 3600));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    records();
    clock.advance(Duration.ofMinutes(59));
    assertThat(sts.lookup(DOMAIN).source()).isEqualTo(PolicyLookup.Source.CACHED);
    clock.advance(Duration.ofMinutes(1));
    assertThat(sts.lookup(DOMAIN).source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(sts.cached(DOMAIN)).isEmpty();
  }

  @Test
  void aDayOldPolicyIsRefreshedWhileTheCacheServes() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("testing", "mx.example.com", 604800));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    clock.advance(Duration.ofHours(25));
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 604800));
    PolicyLookup lookup = sts.lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.CACHED);
    assertThat(lookup.mode()).isEqualTo(MtaStsMode.TESTING); // this delivery: the cache
    assertThat(fetches).hasValue(2);
    CachedPolicy refreshed = sts.cached(DOMAIN).orElseThrow();
    assertThat(refreshed.fetchedAt()).isEqualTo(clock.instant());
    assertThat(refreshed.policy().mode()).isEqualTo(MtaStsMode.ENFORCE);
  }

  @Test
  void refreshDueRefreshesOnlyOldPolicies() {
    StringBuilder text = new StringBuilder();
    for (String d : List.of("a.example", "b.example")) {
      text.append("_mta-sts.").append(d).append(". 300 IN TXT \"v=STSv1; id=1;\"\n");
      answers.put(DomainName.parse(d), serves("enforce", "mx." + d, 604800));
    }
    zone.set(ZoneFileResolver.builder().zone(text.toString()).build());
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DomainName.parse("a.example"));
    clock.advance(Duration.ofHours(20));
    sts.lookup(DomainName.parse("b.example"));
    clock.advance(Duration.ofHours(5));
    List<PolicyLookup> refreshed = sts.refreshDueAsync().join();
    assertThat(refreshed).extracting(l -> l.domain().toString()).containsExactly("a.example");
    assertThat(refreshed.get(0).source()).isEqualTo(PolicyLookup.Source.FETCHED);
    assertThat(fetches).hasValue(3);
  }

  @Test
  void purgeForgetsAPolicyAndItsFailures() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    assertThat(sts.purge(DOMAIN)).isTrue();
    assertThat(sts.cached(DOMAIN)).isEmpty();
    assertThat(sts.lookup(DOMAIN).source()).isEqualTo(PolicyLookup.Source.FETCHED);
    assertThat(fetches).hasValue(2);
    assertThat(sts.purge(DomainName.parse("other.example"))).isFalse();
  }

  @Test
  void aSourceThatFailsOrThrowsIsAFetchFailure() {
    records("v=STSv1; id=1;");
    MtaStsPolicyResolver throwing =
        MtaStsPolicyResolver.builder(dns)
            .clock(clock)
            .source(
                d -> {
                  throw new IllegalStateException("broken source");
                })
            .build();
    PolicyLookup lookup = throwing.lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(lookup.fetchFailure().orElseThrow().detail()).contains("broken source");
  }

  @Test
  void aDomainTooLongForItsRecordNameHasNoPolicy() {
    records();
    DomainName longest = DomainName.parse(("a".repeat(60) + ".").repeat(4) + "example");
    PolicyLookup lookup = resolver().lookup(longest);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(lookup.detail()).contains("too long");
  }

  @Test
  void aCustomStoreIsUsed() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    PolicyStore store = PolicyStore.inMemory(1);
    MtaStsPolicyResolver sts =
        MtaStsPolicyResolver.builder(dns)
            .clock(clock)
            .store(store)
            .source(d -> CompletableFuture.completedFuture(answers.get(d)))
            .build();
    sts.lookup(DOMAIN);
    assertThat(store.all().join()).extracting(CachedPolicy::domain).containsExactly(DOMAIN);
    CachedPolicy other =
        CachedPolicy.builder()
            .domain(DomainName.parse("other.example"))
            .id("9")
            .policy(answers.get(DOMAIN).policy().orElseThrow())
            .fetchedAt(clock.instant())
            .build();
    assertThat(store.put(other)).isCompleted();
    assertThat(store.all().join()).containsExactly(other); // bounded: the least recently used went
    assertThat(store.get(DOMAIN).join()).isEmpty();
    assertThat(other.toBuilder().build()).isEqualTo(other).hasSameHashCodeAs(other);
    assertThat(other.toString())
        .isEqualTo(
            "CachedPolicy[domain=other.example, id=9, policy="
                + other.policy()
                + ", fetchedAt=2026-05-01T00:00:00Z]");
  }

  /** A store whose every operation fails, or throws, as a broken database would. */
  private static final class FailingStore implements PolicyStore {
    private final boolean throwing;
    private final AtomicInteger puts = new AtomicInteger();

    FailingStore(boolean throwing) {
      this.throwing = throwing;
    }

    private <T> CompletableFuture<T> fail() {
      IllegalStateException e = new IllegalStateException("database down");
      if (throwing) {
        throw e;
      }
      return CompletableFuture.failedFuture(e);
    }

    @Override
    public CompletableFuture<Optional<CachedPolicy>> get(DomainName domain) {
      return fail();
    }

    @Override
    public CompletableFuture<Void> put(CachedPolicy policy) {
      puts.incrementAndGet();
      return fail();
    }

    @Override
    public CompletableFuture<Boolean> remove(DomainName domain) {
      return fail();
    }

    @Override
    public CompletableFuture<List<CachedPolicy>> all() {
      return fail();
    }
  }

  @Test
  void aFailingStoreMeansNoCachedPolicyAndTheFetchedPolicyStillApplies() {
    for (boolean throwing : List.of(false, true)) {
      records("v=STSv1; id=1;");
      answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
      FailingStore store = new FailingStore(throwing);
      MtaStsPolicyResolver sts =
          MtaStsPolicyResolver.builder(dns)
              .clock(clock)
              .logger(log)
              .store(store)
              .source(d -> CompletableFuture.completedFuture(answers.get(d)))
              .build();
      PolicyLookup first = sts.lookup(DOMAIN);
      assertThat(first.source()).isEqualTo(PolicyLookup.Source.FETCHED);
      assertThat(first.mode()).isEqualTo(MtaStsMode.ENFORCE);
      PolicyLookup second = sts.lookup(DOMAIN); // nothing could be kept: fetched again
      assertThat(second.source()).isEqualTo(PolicyLookup.Source.FETCHED);
      assertThat(store.puts).hasValue(2);
      assertThat(sts.refreshDueAsync().join()).isEmpty();
      assertThat(log.at(System.Logger.Level.WARNING))
          .anyMatch(m -> m.contains("could not read the policy of example.com"))
          .anyMatch(m -> m.contains("could not store the policy of example.com"))
          .anyMatch(m -> m.contains("could not list its policies"));
      assertThat(sts.cachedAsync(DOMAIN)).isCompletedExceptionally();
      assertThat(sts.purgeAsync(DOMAIN)).isCompletedExceptionally();
    }
  }

  @Test
  void aFailingStoreWithAFailedFetchMeansNoPolicy() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.TIMEOUT));
    MtaStsPolicyResolver sts =
        MtaStsPolicyResolver.builder(dns)
            .clock(clock)
            .logger(log)
            .store(new FailingStore(false))
            .source(d -> CompletableFuture.completedFuture(answers.get(d)))
            .build();
    PolicyLookup lookup = sts.lookup(DOMAIN);
    assertThat(lookup.source()).isEqualTo(PolicyLookup.Source.NONE);
    assertThat(lookup.fetchFailure().orElseThrow().kind()).isEqualTo(FetchFailure.Kind.TIMEOUT);
  }

  @Test
  void aSlowStoreCompletingOnAnotherThreadIsWaitedFor() throws Exception {
    ExecutorService database = Executors.newSingleThreadExecutor();
    try {
      PolicyStore memory = PolicyStore.inMemory();
      PolicyStore slow =
          new PolicyStore() {
            private <T> CompletableFuture<T> later(java.util.function.Supplier<T> op) {
              return CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      Thread.sleep(50);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return op.get();
                  },
                  database);
            }

            @Override
            public CompletableFuture<Optional<CachedPolicy>> get(DomainName domain) {
              return later(() -> memory.get(domain).join());
            }

            @Override
            public CompletableFuture<Void> put(CachedPolicy policy) {
              return later(() -> memory.put(policy).join());
            }

            @Override
            public CompletableFuture<Boolean> remove(DomainName domain) {
              return later(() -> memory.remove(domain).join());
            }

            @Override
            public CompletableFuture<List<CachedPolicy>> all() {
              return later(() -> memory.all().join());
            }
          };
      records("v=STSv1; id=1;");
      answers.put(DOMAIN, serves("enforce", "mx.example.com", 3600));
      MtaStsPolicyResolver sts =
          MtaStsPolicyResolver.builder(dns)
              .clock(clock)
              .logger(log)
              .store(slow)
              .source(d -> CompletableFuture.completedFuture(answers.get(d)))
              .build();
      CompletableFuture<PolicyLookup> pending = sts.lookupAsync(DOMAIN);
      assertThat(pending).isNotDone(); // the store had not answered when lookupAsync returned
      PolicyLookup first = pending.get(10, TimeUnit.SECONDS);
      assertThat(first.source()).isEqualTo(PolicyLookup.Source.FETCHED);
      assertThat(memory.get(DOMAIN).join()).isPresent(); // stored before the lookup completed
      assertThat(sts.lookupAsync(DOMAIN).get(10, TimeUnit.SECONDS).source())
          .isEqualTo(PolicyLookup.Source.CACHED);
      clock.advance(Duration.ofHours(1)); // expired: removed through the slow store
      records();
      assertThat(sts.lookupAsync(DOMAIN).get(10, TimeUnit.SECONDS).source())
          .isEqualTo(PolicyLookup.Source.NONE);
      assertThat(memory.all().join()).isEmpty();
      assertThat(sts.refreshDueAsync().get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(log.at(System.Logger.Level.WARNING)).noneMatch(m -> m.contains("policy store"));
    } finally {
      database.shutdownNow();
    }
  }

  @Test
  void manyThreadsAskingForOneDomainTriggerOneHttpsFetch() throws Exception {
    try (PolicyServer server = new PolicyServer()) {
      CountDownLatch release = new CountDownLatch(1);
      server.on(
          "mta-sts.counting.example",
          exchange -> {
            try {
              release.await(10, TimeUnit.SECONDS); // hold the fetch until everyone has asked
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            PolicyServer.ok("text/plain", PolicyServer.VALID_POLICY).handle(exchange);
          });
      DnsResolver txt =
          ZoneFileResolver.builder()
              .zone("_mta-sts.counting.example. 300 IN TXT \"v=STSv1; id=7;\"\n")
              .build();
      MtaStsPolicyResolver sts =
          MtaStsPolicyResolver.builder(txt)
              .fetcher(
                  MtaStsPolicyFetcher.builder()
                      .sslContext(server.pki.trustingOnlyThis())
                      .port(server.port())
                      .build())
              .build();
      DomainName domain = DomainName.parse("counting.example");
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<PolicyLookup>> lookups = new ArrayList<>();
        CountDownLatch asked = new CountDownLatch(16);
        for (int i = 0; i < 16; i++) {
          lookups.add(
              pool.submit(
                  () -> {
                    CompletableFuture<PolicyLookup> f = sts.lookupAsync(domain);
                    asked.countDown();
                    return f.get(30, TimeUnit.SECONDS);
                  }));
        }
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        for (Future<PolicyLookup> lookup : lookups) {
          PolicyLookup l = lookup.get(30, TimeUnit.SECONDS);
          assertThat(l.source()).isEqualTo(PolicyLookup.Source.FETCHED);
          assertThat(l.mode()).isEqualTo(MtaStsMode.ENFORCE);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(server.requests("mta-sts.counting.example")).isEqualTo(1);
      assertThat(sts.lookup(domain).source()).isEqualTo(PolicyLookup.Source.CACHED);
      assertThat(server.requests("mta-sts.counting.example")).isEqualTo(1);
    }
  }

  // --- what operators see (RFC 8461 §3.3: alert when a refresh fails, unless mode none) ---

  @Test
  void aTemporaryDnsFailureIsAWarningNamingTheDomainAndWhatApplies() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, serves("enforce", "mx.example.com", 86400));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    zone.set(
        ZoneFileResolver.builder()
            .fail(DomainName.parse("_mta-sts.example.com"), DnsFailure.Kind.SERVER_FAILURE)
            .build());
    sts.lookup(DOMAIN);
    assertThat(log.at(System.Logger.Level.WARNING))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("_mta-sts.example.com", "SERVER_FAILURE", "cached", "id 1")
                    .contains("mode enforce"));
    sts.purge(DOMAIN);
    sts.lookup(DOMAIN);
    assertThat(log.at(System.Logger.Level.WARNING)).hasSize(2).last().asString().contains("none");
  }

  @Test
  void aFailedRefreshOfACachedPolicyIsAWarningAFirstFailedFetchOnlyDebug() {
    records("v=STSv1; id=1;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.HTTP_STATUS));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    assertThat(log.at(System.Logger.Level.WARNING)).isEmpty();
    assertThat(log.at(System.Logger.Level.DEBUG))
        .anySatisfy(m -> assertThat(m).contains("example.com", "HTTP_STATUS", "no policy"));

    clock.advance(Duration.ofMinutes(10));
    answers.put(DOMAIN, serves("testing", "mx.example.com", 86400));
    sts.lookup(DOMAIN);
    records("v=STSv1; id=2;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.CERTIFICATE));
    sts.lookup(DOMAIN);
    assertThat(log.at(System.Logger.Level.WARNING))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("example.com", "record id 2", "CERTIFICATE", "sts-webpki-invalid")
                    .contains("cached policy (id 1, mode testing) applies until"));
  }

  @Test
  void aFailedRefreshOfAPolicyInModeNoneIsOnlyDebug() {
    records("v=STSv1; id=1;");
    answers.put(
        DOMAIN,
        new PolicyFetchResult(
            URI.create("https://mta-sts.example.com/.well-known/mta-sts.txt"),
            Optional.of(new MtaStsPolicy(MtaStsMode.NONE, List.of(), Duration.ofDays(1), Map.of())),
            Optional.empty(),
            List.of()));
    MtaStsPolicyResolver sts = resolver();
    sts.lookup(DOMAIN);
    records("v=STSv1; id=2;");
    answers.put(DOMAIN, fails(FetchFailure.Kind.TIMEOUT));
    sts.lookup(DOMAIN);
    assertThat(log.at(System.Logger.Level.WARNING)).isEmpty();
    assertThat(log.at(System.Logger.Level.DEBUG))
        .anySatisfy(m -> assertThat(m).contains("TIMEOUT", "mode none"));
  }
}
