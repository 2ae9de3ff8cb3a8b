package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;

/**
 * Tells a sending MTA which MTA-STS policy applies to a recipient domain (RFC 8461 §3.3, §5.1): it
 * reads the {@code _mta-sts} record, fetches the policy when there is none cached or the record's
 * {@code id} changed, keeps the cached policy when a refresh fails or the record is gone, lets it
 * expire after {@code max_age}, and refreshes it in the background once it is a day old. Concurrent
 * deliveries to one domain share one fetch.
 *
 * <p>Immutable and thread-safe; build one and share it. The policies live in a {@link PolicyStore},
 * in memory unless you give your own.
 *
 * <pre>{@code
 * MtaStsPolicyResolver sts = MtaStsPolicyResolver.builder(dns).build();
 * PolicyLookup lookup = sts.lookup(DomainName.parse("example.com"));
 * List<DomainName> allowed = lookup.policy()
 *     .map(p -> p.policy().permittedHosts(mxHosts)).orElse(mxHosts);
 * }</pre>
 */
public final class MtaStsPolicyResolver {
  /** Failed fetches remembered for the retry delay; more domains than this forget the oldest. */
  private static final int MAX_REMEMBERED_FAILURES = 10_000;

  private final DnsResolver dns;
  private final Function<DomainName, CompletableFuture<PolicyFetchResult>> fetch;
  private final PolicyStore store;
  private final Clock clock;
  private final Duration refreshAfter;
  private final Duration retryAfterFailure;
  private final ConcurrentHashMap<DomainName, CompletableFuture<Fetched>> inFlight =
      new ConcurrentHashMap<>();
  private final Map<DomainName, Failed> failures;
  private final OperatorLog log;

  /** A failed fetch, not to be repeated for the same id until the retry delay has passed. */
  private record Failed(String id, Instant at, PolicyFetchResult result) {}

  /** A fetch and the entry it stored, if it succeeded. */
  private record Fetched(PolicyFetchResult result, Optional<CachedPolicy> stored) {}

  /**
   * What the {@code _mta-sts} lookup found.
   *
   * @param status what was found
   * @param record the record, if valid
   * @param problem what was wrong, for the detail
   * @param dnsTrouble the kind of temporary DNS failure, if the lookup could not be made
   */
  private record RecordState(
      PolicyLookup.RecordStatus status,
      Optional<MtaStsRecord> record,
      String problem,
      String dnsTrouble) {
    RecordState(PolicyLookup.RecordStatus status, Optional<MtaStsRecord> record, String problem) {
      this(status, record, problem, null);
    }
  }

  private MtaStsPolicyResolver(Builder b) {
    this.dns = b.dns;
    MtaStsPolicyFetcher fetcher =
        b.fetcher != null ? b.fetcher : MtaStsPolicyFetcher.builder().build();
    this.fetch = b.source != null ? b.source : fetcher::fetchAsync;
    this.store = b.store;
    this.clock = b.clock;
    this.refreshAfter = b.refreshAfter;
    this.retryAfterFailure = b.retryAfterFailure;
    this.log = b.log;
    this.failures =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<DomainName, Failed> eldest) {
                return size() > MAX_REMEMBERED_FAILURES;
              }
            });
  }

  /**
   * Starts configuring a resolver.
   *
   * @param dns where {@code _mta-sts} records are looked up
   * @return a builder with the defaults
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Works out the policy to apply to mail for a recipient domain. Only that exact domain is asked,
   * never a parent (RFC 8461 §3.4).
   *
   * @param domain the recipient domain, or the smart host's domain when relaying through one
   * @return a future of the lookup; it always completes normally
   */
  public CompletableFuture<PolicyLookup> lookupAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    return readRecord(domain).thenCompose(state -> decide(domain, state, false));
  }

  /**
   * Works out the policy to apply and waits. This only joins {@link #lookupAsync(DomainName)}.
   *
   * @param domain the recipient domain
   * @return the lookup
   */
  public PolicyLookup lookup(DomainName domain) {
    return lookupAsync(domain).join();
  }

  /**
   * Fetches a domain's policy now, whatever its {@code id} and however recent the last attempt, and
   * stores it if the fetch succeeds; otherwise the cached policy stays.
   *
   * @param domain the policy domain
   * @return a future of the lookup after the refresh; it always completes normally
   */
  public CompletableFuture<PolicyLookup> refreshAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    return readRecord(domain).thenCompose(state -> decide(domain, state, true));
  }

  /**
   * Refreshes every stored policy that is older than the refresh interval, as RFC 8461 §3.3 and
   * §10.2 advise doing regularly (for example from a daily job), so that policies do not expire
   * between deliveries.
   *
   * @return a future of the lookups, one per policy refreshed; it always completes normally
   */
  public CompletableFuture<List<PolicyLookup>> refreshDueAsync() {
    return call(store::all)
        .handle(
            (all, error) -> {
              if (error != null) {
                log.warning(() -> "the MTA-STS policy store could not list its policies: " + error);
                return List.<CachedPolicy>of();
              }
              return all;
            })
        .thenCompose(
            all -> {
              Instant now = clock.instant();
              List<CompletableFuture<PolicyLookup>> refreshes = new ArrayList<>();
              for (CachedPolicy cached : all) {
                if (isDue(cached, now)) {
                  refreshes.add(refreshAsync(cached.domain()));
                }
              }
              return CompletableFuture.allOf(refreshes.toArray(new CompletableFuture<?>[0]))
                  .thenApply(done -> refreshes.stream().map(CompletableFuture::join).toList());
            });
  }

  /**
   * Returns a domain's cached policy, expired or not, for inspection.
   *
   * @param domain the policy domain
   * @return a future of the entry, if any; it fails if the store fails
   */
  public CompletableFuture<Optional<CachedPolicy>> cachedAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    return call(() -> store.get(domain));
  }

  /**
   * Returns a domain's cached policy and waits. This only joins {@link #cachedAsync(DomainName)}.
   *
   * @param domain the policy domain
   * @return the entry, if any
   * @throws java.util.concurrent.CompletionException if the store fails
   */
  public Optional<CachedPolicy> cached(DomainName domain) {
    return cachedAsync(domain).join();
  }

  /**
   * Forgets a domain's policy and any failed fetch, so that the next delivery fetches afresh.
   * Operators need it when a domain changed its MX hosts without changing the policy {@code id}.
   *
   * @param domain the policy domain
   * @return a future of {@code true} if a policy was cached; it fails if the store fails
   */
  public CompletableFuture<Boolean> purgeAsync(DomainName domain) {
    requireNonNull(domain, "domain");
    failures.remove(domain);
    return call(() -> store.remove(domain));
  }

  /**
   * Forgets a domain's policy and any failed fetch, and waits. This only joins {@link
   * #purgeAsync(DomainName)}.
   *
   * @param domain the policy domain
   * @return {@code true} if a policy was cached
   * @throws java.util.concurrent.CompletionException if the store fails
   */
  public boolean purge(DomainName domain) {
    return purgeAsync(domain).join();
  }

  // --- the store, whose failures never fail a lookup ---

  /** Calls the store, turning a thrown exception or a null future into a failed future. */
  private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> operation) {
    CompletableFuture<T> future;
    try {
      future = operation.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return future != null
        ? future
        : CompletableFuture.failedFuture(
            new NullPointerException("the policy store returned a null future"));
  }

  /** The stored policy; a failed store counts as none (see {@link PolicyStore}). */
  private CompletableFuture<Optional<CachedPolicy>> stored(DomainName domain) {
    return call(() -> store.get(domain))
        .handle(
            (found, error) -> {
              if (error != null || found == null) {
                log.warning(
                    () ->
                        "the MTA-STS policy store could not read the policy of "
                            + OperatorLog.safe(domain)
                            + " ("
                            + (error != null ? error : "null")
                            + "); treating it as not cached");
                return Optional.empty();
              }
              return found;
            });
  }

  /** Removes an expired policy; a failure is logged, and the policy is treated as gone anyway. */
  private CompletableFuture<Void> removeExpired(DomainName domain) {
    return call(() -> store.remove(domain))
        .handle(
            (removed, error) -> {
              if (error != null) {
                log.warning(
                    () ->
                        "the MTA-STS policy store could not remove the expired policy of "
                            + OperatorLog.safe(domain)
                            + ": "
                            + error);
              }
              return null;
            });
  }

  // --- the decision (RFC 8461 §3.3, §5.1) ---

  private CompletableFuture<RecordState> readRecord(DomainName domain) {
    DomainName name;
    try {
      name = domain.prepend("_mta-sts");
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new RecordState(
              PolicyLookup.RecordStatus.NOT_FOUND,
              Optional.empty(),
              "_mta-sts." + domain + " is too long a name"));
    }
    CompletableFuture<DnsAnswer<TxtRecord>> answer;
    try {
      answer = dns.lookupAsync(DnsQuery.txt(name));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (a, error) -> {
          if (error != null) {
            return new RecordState(
                PolicyLookup.RecordStatus.DNS_TEMPORARY_FAILURE,
                Optional.empty(),
                "DNS lookup of " + name + " failed: " + error,
                error.getClass().getSimpleName());
          }
          switch (a.status()) {
            case TEMP_FAIL:
              return new RecordState(
                  PolicyLookup.RecordStatus.DNS_TEMPORARY_FAILURE,
                  Optional.empty(),
                  "DNS error looking up " + name + ": " + a.failure().orElseThrow().detail(),
                  a.failure().orElseThrow().kind().name());
            case NXDOMAIN:
            case NO_DATA:
              return new RecordState(
                  PolicyLookup.RecordStatus.NOT_FOUND,
                  Optional.empty(),
                  name + " has no TXT record");
            default:
              break;
          }
          // RFC 8461 §3.1: drop records not starting "v=STSv1;"; exactly one must remain.
          List<TxtRecord> sts =
              a.records().stream().filter(r -> MtaStsRecord.isMtaStsRecord(r.text())).toList();
          if (sts.isEmpty()) {
            return new RecordState(
                PolicyLookup.RecordStatus.NOT_FOUND,
                Optional.empty(),
                name + " has no v=STSv1 record");
          }
          if (sts.size() > 1) {
            return new RecordState(
                PolicyLookup.RecordStatus.MULTIPLE,
                Optional.empty(),
                name + " has " + sts.size() + " v=STSv1 records; one is allowed");
          }
          try {
            return new RecordState(
                PolicyLookup.RecordStatus.VALID,
                Optional.of(MtaStsRecord.parse(sts.get(0).text())),
                null);
          } catch (MtaStsSyntaxException e) {
            log.debug(
                () ->
                    "MTA-STS record at "
                        + OperatorLog.safe(name)
                        + " is invalid at index "
                        + e.errorIndex()
                        + ": "
                        + e.reason());
            return new RecordState(
                PolicyLookup.RecordStatus.INVALID,
                Optional.empty(),
                "invalid record at " + name + ": " + e.getMessage());
          }
        });
  }

  private CompletableFuture<PolicyLookup> decide(
      DomainName domain, RecordState state, boolean force) {
    return stored(domain)
        .thenCompose(
            found -> {
              Instant now = clock.instant();
              if (found.isPresent() && found.get().isExpired(now)) {
                // RFC 8461 §3.3: valid until max_age after the fetch
                return removeExpired(domain)
                    .thenCompose(removed -> decide(domain, state, force, now, Optional.empty()));
              }
              return decide(domain, state, force, now, found);
            });
  }

  private CompletableFuture<PolicyLookup> decide(
      DomainName domain,
      RecordState state,
      boolean force,
      Instant now,
      Optional<CachedPolicy> cached) {
    if (state.record().isEmpty() && state.dnsTrouble() != null) {
      // Mail to the domain goes on the cached policy or none: a DNS failure an attacker can
      // provoke downgrades it, so operators should see it.
      Optional<CachedPolicy> applies = cached;
      log.warning(
          () ->
              "DNS lookup of _mta-sts."
                  + OperatorLog.safe(domain)
                  + " failed temporarily ("
                  + state.dnsTrouble()
                  + "); "
                  + applies
                      .map(
                          c ->
                              "the cached MTA-STS policy (id "
                                  + c.id()
                                  + ", mode "
                                  + c.policy().mode().token()
                                  + ") applies")
                      .orElse("no MTA-STS policy is cached, so none applies"));
    }
    if (state.record().isEmpty()) {
      // RFC 8461 §3.1, §3.3: a missing or invalid record does not remove a cached policy.
      return done(
          cached.isPresent()
              ? lookup(
                  domain,
                  cached,
                  PolicyLookup.Source.CACHED,
                  state,
                  state.problem() + "; the cached policy (id " + cached.get().id() + ") applies")
              : lookup(
                  domain,
                  cached,
                  PolicyLookup.Source.NONE,
                  state,
                  state.problem() + "; no MTA-STS policy applies"));
    }
    String id = state.record().get().id();
    if (!force && cached.isPresent() && cached.get().id().equals(id)) {
      if (isDue(cached.get(), now)) {
        fetchShared(domain, id); // refresh in the background; this delivery uses the cache
      }
      return done(
          lookup(
              domain,
              cached,
              PolicyLookup.Source.CACHED,
              state,
              "the cached policy (id " + id + ") is current"));
    }
    Failed failed = failures.get(domain);
    if (!force
        && failed != null
        && failed.id().equals(id)
        && now.isBefore(failed.at().plus(retryAfterFailure))) {
      // RFC 8461 §3.3: wait before fetching the same policy id again.
      return done(afterFailure(domain, cached, state, failed.result(), "a recent fetch failed"));
    }
    Optional<CachedPolicy> previous = cached;
    return fetchShared(domain, id)
        .thenApply(
            fetched -> {
              if (fetched.stored().isPresent()) {
                return new PolicyLookup(
                    domain,
                    fetched.stored(),
                    PolicyLookup.Source.FETCHED,
                    state.status(),
                    state.record(),
                    Optional.empty(),
                    fetched.result().findings(),
                    "fetched policy id " + id + " from " + fetched.result().uri());
              }
              return afterFailure(domain, previous, state, fetched.result(), "the fetch failed");
            });
  }

  private static PolicyLookup afterFailure(
      DomainName domain,
      Optional<CachedPolicy> cached,
      RecordState state,
      PolicyFetchResult result,
      String what) {
    FetchFailure failure = result.failure().orElseThrow();
    String detail =
        cached.isPresent()
            ? what
                + " ("
                + failure
                + "); the cached policy (id "
                + cached.get().id()
                + ") applies, as RFC 8461 §3.3 requires"
            : what + " (" + failure + ") and none is cached; deliver as without MTA-STS";
    return new PolicyLookup(
        domain,
        cached,
        cached.isPresent() ? PolicyLookup.Source.CACHED : PolicyLookup.Source.NONE,
        state.status(),
        state.record(),
        Optional.of(failure),
        result.findings(),
        detail);
  }

  private static PolicyLookup lookup(
      DomainName domain,
      Optional<CachedPolicy> cached,
      PolicyLookup.Source source,
      RecordState state,
      String detail) {
    return new PolicyLookup(
        domain,
        cached,
        source,
        state.status(),
        state.record(),
        Optional.empty(),
        List.of(),
        detail);
  }

  private boolean isDue(CachedPolicy cached, Instant now) {
    return !now.isBefore(cached.fetchedAt().plus(refreshAfter));
  }

  /** One fetch per domain at a time; whoever asks meanwhile shares it. */
  private CompletableFuture<Fetched> fetchShared(DomainName domain, String id) {
    CompletableFuture<Fetched> mine = new CompletableFuture<>();
    CompletableFuture<Fetched> running = inFlight.putIfAbsent(domain, mine);
    if (running != null) {
      return running;
    }
    CompletableFuture<PolicyFetchResult> started;
    try {
      started = fetch.apply(domain);
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete(
        (result, error) -> {
          PolicyFetchResult r =
              error == null
                  ? result
                  : PolicyFetchResult.failed(
                      MtaStsPolicyFetcher.standardPolicyUri(domain),
                      FetchFailure.Kind.CONNECTION,
                      error.toString());
          if (r.isSuccess()) {
            CachedPolicy entry =
                new CachedPolicy(domain, id, r.policy().orElseThrow(), clock.instant());
            failures.remove(domain);
            call(() -> store.put(entry))
                .whenComplete(
                    (stored, storeError) -> {
                      if (storeError != null) {
                        logFailedPut(domain, id, storeError);
                      }
                      inFlight.remove(domain, mine);
                      mine.complete(new Fetched(r, Optional.of(entry)));
                    });
          } else {
            failures.put(domain, new Failed(id, clock.instant(), r));
            logFailedFetch(domain, id, r.failure().orElseThrow())
                .whenComplete(
                    (logged, logError) -> {
                      inFlight.remove(domain, mine);
                      mine.complete(new Fetched(r, Optional.empty()));
                    });
          }
        });
    return mine;
  }

  /** A policy that could not be stored still applies to this delivery; the next one fetches it. */
  private void logFailedPut(DomainName domain, String id, Throwable error) {
    log.warning(
        () ->
            "the MTA-STS policy store could not store the policy of "
                + OperatorLog.safe(domain)
                + " (record id "
                + id
                + "): "
                + error
                + "; this lookup applies the fetched policy, later ones fetch it again");
  }

  /**
   * RFC 8461 §3.3: "MTAs SHOULD alert administrators (through the use of logs or similar) when such
   * attempts fail, unless the cached policy mode is "none"." A policy that cannot be refreshed is a
   * WARNING; a domain whose policy never could be fetched is DEBUG: one domain's broken policy
   * host, nothing to alarm anyone about.
   */
  private CompletableFuture<Void> logFailedFetch(
      DomainName domain, String id, FetchFailure failure) {
    return stored(domain)
        .thenAccept(
            found ->
                logFailedFetch(
                    domain, id, failure, found.filter(c -> !c.isExpired(clock.instant()))));
  }

  private void logFailedFetch(
      DomainName domain, String id, FetchFailure failure, Optional<CachedPolicy> cached) {
    if (cached.isPresent() && cached.get().policy().mode() != MtaStsMode.NONE) {
      CachedPolicy c = cached.get();
      log.warning(
          () ->
              "MTA-STS policy of "
                  + OperatorLog.safe(domain)
                  + " (record id "
                  + id
                  + ") could not be refreshed: "
                  + failure.kind()
                  + " ("
                  + failure.resultType().token()
                  + "); the cached policy (id "
                  + c.id()
                  + ", mode "
                  + c.policy().mode().token()
                  + ") applies until "
                  + c.expiresAt());
    } else {
      log.debug(
          () ->
              "MTA-STS policy of "
                  + OperatorLog.safe(domain)
                  + " (record id "
                  + id
                  + ") could not be fetched: "
                  + failure.kind()
                  + " ("
                  + failure.resultType().token()
                  + "); "
                  + (cached.isPresent()
                      ? "the cached policy is in mode none"
                      : "no policy is cached, so none applies"));
    }
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** Configures an {@link MtaStsPolicyResolver}. Not thread-safe; build once and share. */
  public static final class Builder {
    private final DnsResolver dns;
    private MtaStsPolicyFetcher fetcher;
    private Function<DomainName, CompletableFuture<PolicyFetchResult>> source;
    private PolicyStore store = PolicyStore.inMemory();
    private Clock clock = Clock.systemUTC();
    private Duration refreshAfter = Duration.ofDays(1);
    private Duration retryAfterFailure = Duration.ofMinutes(5);
    private OperatorLog log = OperatorLog.of(MtaStsPolicyResolver.class);

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets the fetcher of policies. Default: {@link MtaStsPolicyFetcher} with its defaults.
     *
     * @param fetcher the fetcher
     * @return this builder
     */
    public Builder fetcher(MtaStsPolicyFetcher fetcher) {
      this.fetcher = requireNonNull(fetcher, "fetcher");
      return this;
    }

    /** Logs somewhere else than {@code System.getLogger}, for tests. */
    Builder logger(System.Logger logger) {
      this.log = new OperatorLog(requireNonNull(logger, "logger"));
      return this;
    }

    /** Fetches from somewhere else than HTTPS, for tests of the logic above the fetch. */
    Builder source(Function<DomainName, CompletableFuture<PolicyFetchResult>> source) {
      this.source = requireNonNull(source, "source");
      return this;
    }

    /**
     * Sets where policies are kept. Default: {@link PolicyStore#inMemory()}.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(PolicyStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets the clock for fetch times and expiry. Default: the system clock in UTC.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how old a cached policy gets before it is fetched again in the background, even with an
     * unchanged {@code id}. Default 1 day, as RFC 8461 §10.2 suggests.
     *
     * @param age a positive duration
     * @return this builder
     */
    public Builder refreshAfter(Duration age) {
      this.refreshAfter = positive(age, "refreshAfter");
      return this;
    }

    /**
     * Sets how long to wait after a failed fetch before fetching the same policy {@code id} again.
     * Default 5 minutes, the least RFC 8461 §3.3 advises.
     *
     * @param delay a positive duration
     * @return this builder
     */
    public Builder retryAfterFailure(Duration delay) {
      this.retryAfterFailure = positive(delay, "retryAfterFailure");
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     */
    public MtaStsPolicyResolver build() {
      return new MtaStsPolicyResolver(this);
    }

    private static Duration positive(Duration d, String what) {
      if (requireNonNull(d, what).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
