package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * Counts a sending MTA's TLS sessions for TLS-RPT and builds the daily reports (RFC 8460 §4.1): one
 * report per policy domain per UTC day, 00:00 to 24:00 by the recorder's clock, with the sessions
 * of each policy that succeeded and failed, and the failures by kind ({@code failure-details},
 * §4.4).
 *
 * <pre>{@code
 * TlsRptRecorder recorder =
 *     TlsRptRecorder.builder("Example Mail", "tlsrpt@mail.example", new InMemoryTlsRptStore())
 *         .build();
 * recorder.record(verdict, localAddress);      // once per TLS session, on the MTA's threads
 * recorder.flushAsync();                       // now and then: counts into the store
 * for (TlsReport report : recorder.reports(yesterday)) { ... deliver ... }
 * recorder.remove(yesterday);                  // once they are sent
 * }</pre>
 *
 * <p>Counting is cheap and takes no lock: a session adds to striped counters in concurrent maps,
 * exactly under any number of threads. Counts wait in memory until {@link #flushAsync()} moves them
 * into the {@link TlsRptStore}, or until the number of distinct pending keys (policies and failure
 * details) reaches {@link Builder#maxPendingKeys(int)}, when the session that reached it starts a
 * flush. Each flush sends its counts as a batch under a new random id; a batch whose add fails is
 * kept, and the next flush sends it again under the same id, so a store that did add it (a commit
 * whose answer was lost) skips it. A store that fails for long therefore holds the batches in
 * memory, one per failed flush.
 *
 * <p>Each policy keeps at most {@link Builder#maxFailureDetails(int)} distinct failure details per
 * day; failed sessions beyond that are still counted in the policy's {@code
 * total-failure-session-count} and, as overflow, in {@link TlsRptCounts#unlistedFailures()}. The
 * limit holds for each flush and again when the reports are built, where the most frequent details
 * are kept.
 *
 * <p>Thread-safe; one recorder serves a whole MTA. Several recorders (several MTAs) may share one
 * store, each flushing its own counts; each must flush a day's counts before another builds that
 * day's reports.
 */
public final class TlsRptRecorder {
  private static final System.Logger LOG = System.getLogger(TlsRptRecorder.class.getName());
  private static final long MILLIS_PER_DAY = 86_400_000L;

  /** Longs per stripe of the in-flight counters, so that each stripe has its own cache line. */
  private static final int STRIPE_WIDTH = 16;

  private final String organizationName;
  private final String contactInfo;
  private final Optional<String> contactDomain;
  private final TlsRptStore store;
  private final Clock clock;
  private final int maxFailureDetails;
  private final int maxPendingKeys;
  private final long storeTimeoutNanos;
  private final RandomGenerator random;
  private final int stripeMask;
  private final AtomicReference<Pending> pending;
  private final AtomicBoolean autoFlushing = new AtomicBoolean();

  /**
   * Batches whose store add failed, to send again with the next flush, each under its own id: one
   * whose outcome was unknown may be stored already, so it is not merged with others.
   */
  private final List<Batch> unsent = new ArrayList<>();

  /** Store adds not yet settled: each completes once its batch is stored or back in unsent. */
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

  private TlsRptRecorder(Builder b) {
    this.organizationName = b.organizationName;
    this.contactInfo = b.contactInfo;
    this.contactDomain = domainOf(b.contactInfo);
    this.store = b.store;
    this.clock = b.clock;
    this.maxFailureDetails = b.maxFailureDetails;
    this.maxPendingKeys = b.maxPendingKeys;
    long nanos;
    try {
      nanos = b.storeTimeout.toNanos();
    } catch (ArithmeticException beyond) {
      nanos = Long.MAX_VALUE; // some 292 years
    }
    this.storeTimeoutNanos = nanos;
    this.random = b.random;
    int stripes =
        Integer.highestOneBit(Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    this.stripeMask = Math.min(stripes, 64) - 1;
    this.pending = new AtomicReference<>(new Pending(stripeMask + 1));
  }

  /**
   * Starts a recorder.
   *
   * @param organizationName {@code organization-name}: the reporting organization, such as {@code
   *     Example Mail}
   * @param contactInfo {@code contact-info}: where the report's recipients write to, such as {@code
   *     tlsrpt@mail.example}; the domain of an address here also ends each {@code report-id}
   * @param store where the counts are kept until the reports are sent
   * @return a builder with the system UTC clock, 1,000 failure details per policy and day, flushes
   *     at 100,000 pending keys, and 2 minutes for the store to add a batch
   */
  public static Builder builder(String organizationName, String contactInfo, TlsRptStore store) {
    return new Builder(organizationName, contactInfo, store);
  }

  /**
   * Counts one TLS session, whose sending MTA address the report leaves out: a success when the
   * verdict has no {@link MxVerdict#failure() failure}, else a failure of that result type, under
   * the verdict's policy, on the current UTC day. Takes no lock, and does no I/O unless the session
   * fills the pending keys, when it starts a flush without waiting for it.
   *
   * @param verdict what the sender concluded about the MX, with the receiving IP and greeting added
   *     if known
   */
  public void record(MxVerdict verdict) {
    record(verdict, null);
  }

  /**
   * Counts one TLS session from a given sending MTA address ({@code sending-mta-ip}), as {@link
   * #record(MxVerdict)} does.
   *
   * @param verdict what the sender concluded about the MX
   * @param sendingMtaIp the local address the session went out from, or {@code null} to leave it
   *     out of the report
   */
  public void record(MxVerdict verdict, InetAddress sendingMtaIp) {
    requireNonNull(verdict, "verdict");
    int stripe = stripe();
    Pending p = enter(stripe);
    boolean full;
    try {
      // RFC 8460 §4.1: reports cover UTC days; the epoch day is the UTC day of the instant. Read
      // inside the window: a day's reports swap the window after the day ended, so a session in
      // a window they drain read the clock before they did, and one in the next window after
      long day = Math.floorDiv(clock.millis(), MILLIS_PER_DAY);
      full = p.count(day, verdict, sendingMtaIp);
    } finally {
      p.exit(stripe);
    }
    if (full) {
      autoFlush();
    }
  }

  /**
   * Moves the pending counts, and any that a failed flush kept, into the store.
   *
   * @return a future that completes when the store has them; if it fails, the counts are kept for
   *     the next flush
   */
  public CompletableFuture<Void> flushAsync() {
    synchronized (unsent) {
      return flushLocked();
    }
  }

  /**
   * Drains the pending window and sends it with what failed flushes kept. Flushes run one at a time
   * up to the point where their store add is registered in {@link #inFlight}, so a flush that
   * starts after another has returned sees it there.
   */
  private CompletableFuture<Void> flushLocked() {
    Pending old = pending.getAndSet(new Pending(stripeMask + 1));
    old.awaitQuiescence();
    List<TlsRptCounts> drained = old.drain();
    List<Batch> batches = new ArrayList<>(unsent);
    unsent.clear();
    if (!drained.isEmpty()) {
      batches.add(new Batch(UUID.randomUUID(), drained));
    }
    if (batches.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>(batches.size());
    for (Batch batch : batches) {
      sent.add(send(batch));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  /**
   * Sends one batch under its id; the future settles once it is stored, or back in {@code unsent}
   * when the add failed.
   */
  private CompletableFuture<Void> send(Batch batch) {
    CompletableFuture<Void> added;
    try {
      // a store that never answers must not stop automatic flushing (autoFlushing) for good
      added =
          store
              .addAsync(batch.id(), batch.counts())
              .copy() // the store's own future is left as it is
              .orTimeout(storeTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      added = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> settled = new CompletableFuture<>();
    inFlight.add(settled);
    added.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            // the store added none of it, or cannot tell (a lost commit): it goes again under the
            // same id, which the store skips if it has it (TlsRptStore is idempotent per batch id)
            synchronized (unsent) {
              unsent.add(batch);
            }
          }
          // settled only once a failed batch is back in unsent, so a waiter finds it there
          inFlight.remove(settled);
          if (failure != null) {
            settled.completeExceptionally(failure);
          } else {
            settled.complete(null);
          }
        });
    return settled;
  }

  /**
   * Flushes, and returns a future that completes once every store add started before, this flush's
   * and any other still in flight (automatic or concurrent), has settled; it fails if one of them
   * failed, whose counts are then kept for the next flush.
   */
  private CompletableFuture<Void> flushAndSettle() {
    List<CompletableFuture<Void>> adds = new ArrayList<>();
    synchronized (unsent) {
      adds.add(flushLocked());
      adds.addAll(inFlight);
    }
    return CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new));
  }

  /**
   * Moves the pending counts into the store and waits: {@link #flushAsync()}, joined.
   *
   * @throws java.util.concurrent.CompletionException if the store failed; the counts are kept
   */
  public void flush() {
    flushAsync().join();
  }

  /**
   * Builds the reports of a day that is over, from what the store holds for it after this recorder
   * flushed and every store add it had in flight (an automatic flush, a concurrent one) settled:
   * one report per policy domain, the domains in order; in each, the policies in order of type,
   * domain, strings and MX patterns; in each policy, the failure details most frequent first (ties
   * in order of their fields), at most {@link Builder#maxFailureDetails(int)} of them. The date
   * range is the whole UTC day (RFC 8460 §4.1). The {@code report-id} (§4.4) is {@code
   * <day>-<policy domain>-<32 random hex digits>@<contact domain>}, such as {@code
   * 2024-05-01-example.com-6f1c…@mail.example}, without the {@code @} part when the contact
   * information has no address; so it is new for every call.
   *
   * @param day a UTC day before the recorder's current one
   * @return a future of the reports, empty if nothing was counted that day; it fails if a store add
   *     failed, whose counts are kept for the next flush
   * @throws IllegalArgumentException if the day is not over yet by the recorder's clock
   */
  public CompletableFuture<List<TlsReport>> reportsAsync(LocalDate day) {
    requireNonNull(day, "day");
    LocalDate today = today();
    if (!day.isBefore(today)) {
      // RFC 8460 §4.1: a report covers a whole UTC day, so only a day that is over is reported
      throw new IllegalArgumentException(day + " is not over yet; today (UTC) is " + today);
    }
    // every add in flight must have settled first, or counts still on their way are left out of
    // the report and arrive after it, making a second report of the day (RFC 8460 §4.1)
    return flushAndSettle().thenCompose(v -> store.countsAsync(day)).thenApply(c -> build(day, c));
  }

  /**
   * Builds the reports of a day that is over and waits: {@link #reportsAsync(LocalDate)}, joined.
   *
   * @param day a UTC day before the recorder's current one
   * @return the reports
   * @throws IllegalArgumentException if the day is not over yet
   * @throws java.util.concurrent.CompletionException if the store failed
   */
  public List<TlsReport> reports(LocalDate day) {
    return reportsAsync(day).join();
  }

  /**
   * Lists the days before the current UTC day that the store has counts for: the days whose reports
   * are due.
   *
   * @return a future of the days, earliest first
   */
  public CompletableFuture<List<LocalDate>> completedDaysAsync() {
    LocalDate today = today();
    return store
        .daysAsync()
        .thenApply(days -> days.stream().filter(d -> d.isBefore(today)).toList());
  }

  /**
   * Lists the days whose reports are due and waits: {@link #completedDaysAsync()}, joined.
   *
   * @return the days, earliest first
   * @throws java.util.concurrent.CompletionException if the store failed
   */
  public List<LocalDate> completedDays() {
    return completedDaysAsync().join();
  }

  /**
   * Removes a day's counts from the store, once its reports are sent: after the store adds in
   * flight have settled, so that none makes the day again, and with the counts of the day that a
   * failed flush kept.
   *
   * @param day the UTC day
   * @return a future that completes when they are gone
   */
  public CompletableFuture<Void> removeAsync(LocalDate day) {
    requireNonNull(day, "day");
    // an add still in flight would make the day again after it is gone; one that failed is kept
    // in unsent, whose counts of the day go too
    return flushAndSettle()
        .handle((ok, failure) -> null)
        .thenCompose(
            v -> {
              synchronized (unsent) {
                // the same id with fewer counts: if the store has the batch, it skips it still
                unsent.replaceAll(b -> b.without(day));
                unsent.removeIf(b -> b.counts().isEmpty());
              }
              return store.removeAsync(day);
            });
  }

  /**
   * Removes a day's counts and waits: {@link #removeAsync(LocalDate)}, joined.
   *
   * @param day the UTC day
   * @throws java.util.concurrent.CompletionException if the store failed
   */
  public void remove(LocalDate day) {
    removeAsync(day).join();
  }

  private LocalDate today() {
    return LocalDate.ofEpochDay(Math.floorDiv(clock.millis(), MILLIS_PER_DAY));
  }

  private void autoFlush() {
    if (!autoFlushing.compareAndSet(false, true)) {
      // one automatic flush at a time, until its store add completes; sessions that find the
      // window full meanwhile start the next one
      return;
    }
    CompletableFuture<Void> f;
    try {
      f = flushAsync();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (ok, failure) -> {
          autoFlushing.set(false);
          if (failure != null) {
            LOG.log(
                System.Logger.Level.WARNING,
                "TLS-RPT counts could not be stored; kept for the next flush",
                failure);
          }
        });
  }

  private int stripe() {
    // Fibonacci hashing spreads consecutive thread ids over the stripes
    return (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 40) & stripeMask;
  }

  /**
   * Joins the current pending window as a writer. A flush that swaps the window in between makes
   * the writer leave the old one and join the new, so no writer counts into a drained window.
   */
  private Pending enter(int stripe) {
    while (true) {
      Pending p = pending.get();
      p.enter(stripe);
      if (pending.get() == p) {
        return p;
      }
      p.exit(stripe);
    }
  }

  private List<TlsReport> build(LocalDate day, List<TlsRptCounts> stored) {
    CountsTable merged = new CountsTable(); // a store's duplicate keys, summed
    merged.addAll(stored);
    Map<String, List<PolicyResult>> byDomain = new TreeMap<>();
    for (TlsRptCounts c : merged.counts(day)) {
      PolicyResult r = c.result();
      List<FailureDetail> details = new ArrayList<>(r.failureDetails());
      details.sort(DETAIL_ORDER);
      if (details.size() > maxFailureDetails) {
        details = details.subList(0, maxFailureDetails);
      }
      byDomain
          .computeIfAbsent(CountsTable.orEmpty(r.policy().domain()), d -> new ArrayList<>())
          .add(new PolicyResult(r.policy(), r.successfulSessions(), r.failedSessions(), details));
    }
    List<TlsReport> reports = new ArrayList<>(byDomain.size());
    for (Map.Entry<String, List<PolicyResult>> e : byDomain.entrySet()) {
      List<PolicyResult> policies = e.getValue();
      policies.sort(Comparator.comparing(PolicyResult::policy, POLICY_ORDER));
      reports.add(
          new TlsReport(
              organizationName,
              DateRange.utcDay(day),
              Optional.of(contactInfo),
              reportId(day, e.getKey()),
              policies));
    }
    return reports;
  }

  private String reportId(LocalDate day, String policyDomain) {
    byte[] unique = new byte[16];
    synchronized (random) {
      random.nextBytes(unique);
    }
    StringBuilder id = new StringBuilder(96).append(day).append('-');
    if (!policyDomain.isEmpty()) {
      id.append(policyDomain).append('-');
    }
    id.append(HexFormat.of().formatHex(unique));
    contactDomain.ifPresent(d -> id.append('@').append(d));
    return id.toString();
  }

  /** The domain of the address in contact information such as {@code mailto:a@b.example}. */
  private static Optional<String> domainOf(String contactInfo) {
    int at = contactInfo.lastIndexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    int end = at + 1;
    while (end < contactInfo.length()) {
      char c = contactInfo.charAt(end);
      if (!(c == '.' || c == '-' || (c < 0x80 && Character.isLetterOrDigit(c)))) {
        break;
      }
      end++;
    }
    String domain = contactInfo.substring(at + 1, end);
    if (domain.isEmpty() || !DomainName.isValid(domain)) {
      return Optional.empty();
    }
    return Optional.of(DomainName.parse(domain).toString());
  }

  private static final Comparator<Optional<String>> OPTIONAL_TEXT =
      Comparator.comparing(o -> o.orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()));

  private static final Comparator<List<String>> TEXT_LIST =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = a.get(i).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };

  static final Comparator<ReportedPolicy> POLICY_ORDER =
      Comparator.comparing(ReportedPolicy::type)
          .thenComparing(ReportedPolicy::domain, OPTIONAL_TEXT)
          .thenComparing(ReportedPolicy::strings, TEXT_LIST)
          .thenComparing(ReportedPolicy::mxHosts, TEXT_LIST);

  static final Comparator<FailureDetail> DETAIL_ORDER =
      Comparator.comparingLong(FailureDetail::failedSessionCount)
          .reversed()
          .thenComparing(FailureDetail::resultType)
          .thenComparing(FailureDetail::sendingMtaIp, OPTIONAL_TEXT)
          .thenComparing(FailureDetail::receivingMxHostname, OPTIONAL_TEXT)
          .thenComparing(FailureDetail::receivingMxHelo, OPTIONAL_TEXT)
          .thenComparing(FailureDetail::receivingIp, OPTIONAL_TEXT)
          .thenComparing(FailureDetail::failureReasonCode, OPTIONAL_TEXT)
          .thenComparing(FailureDetail::additionalInformation, OPTIONAL_TEXT);

  /** A batch of counts and the id it is sent under, each time. */
  private record Batch(UUID id, List<TlsRptCounts> counts) {
    Batch without(LocalDate day) {
      return new Batch(id, counts.stream().filter(c -> !c.day().equals(day)).toList());
    }
  }

  /** A policy on a day, as the hot path keys it: the verdict's own policy, not its report text. */
  private record PolicyKey(long day, TlsRptPolicy policy) {}

  /** A failure detail's fields, as the hot path keys them; absent fields are null. */
  private record DetailKey(
      TlsRptResultType type,
      InetAddress sendingIp,
      DomainName mxHost,
      String helo,
      InetAddress receivingIp,
      String reasonCode) {}

  /** The counts under one policy on one day, in one pending window. */
  private static final class PolicyCell {
    final LongAdder successes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final ConcurrentHashMap<DetailKey, LongAdder> details = new ConcurrentHashMap<>();

    /** Distinct details admitted, reserved before one is added, so the limit holds exactly. */
    final AtomicInteger detailSlots = new AtomicInteger();
  }

  /**
   * The counts since the last flush, and the writers counting into them: a striped count per stripe
   * of threads, each on its own cache line, so that entering costs an uncontended atomic add. A
   * flush swaps in a new window, then waits until every stripe of the old one reads zero: any
   * writer still to count into the old one entered before the swap, so it is counted in its stripe
   * until it leaves, and a writer that enters after the swap sees the new window and leaves the old
   * one at once.
   */
  private final class Pending {
    final ConcurrentHashMap<PolicyKey, PolicyCell> policies = new ConcurrentHashMap<>();
    final AtomicInteger keys = new AtomicInteger();
    private final AtomicLongArray inFlight;

    Pending(int stripes) {
      this.inFlight = new AtomicLongArray(stripes * STRIPE_WIDTH);
    }

    void enter(int stripe) {
      inFlight.getAndIncrement(stripe * STRIPE_WIDTH);
    }

    void exit(int stripe) {
      inFlight.getAndDecrement(stripe * STRIPE_WIDTH);
    }

    void awaitQuiescence() {
      for (int i = 0; i < inFlight.length(); i += STRIPE_WIDTH) {
        // a writer inside does a few map operations; only a descheduled one takes longer
        for (int spins = 0; inFlight.get(i) != 0; spins++) {
          if (spins < 1_000) {
            Thread.onSpinWait();
          } else {
            Thread.yield();
          }
        }
      }
    }

    /** Counts a session; returns whether the window now holds the most keys it may. */
    boolean count(long day, MxVerdict verdict, InetAddress sendingIp) {
      PolicyKey key = new PolicyKey(day, verdict.policy());
      PolicyCell cell = policies.get(key);
      if (cell == null) {
        PolicyCell fresh = new PolicyCell();
        cell = policies.putIfAbsent(key, fresh);
        if (cell == null) {
          cell = fresh;
          keys.incrementAndGet();
        }
      }
      Optional<TlsRptResultType> failure = verdict.failure();
      if (failure.isEmpty()) {
        cell.successes.increment();
        return keys.get() >= maxPendingKeys;
      }
      // RFC 8460 §4.4: total-failure-session-count counts every failed session, listed or not
      cell.failures.increment();
      DetailKey detail =
          new DetailKey(
              failure.get(),
              sendingIp,
              verdict.mxHost(),
              verdict.receivingHelo().orElse(null),
              verdict.receivingIp().orElse(null),
              verdict.failureReasonCode().orElse(null));
      LongAdder n = cell.details.get(detail);
      if (n == null) {
        if (cell.detailSlots.incrementAndGet() > maxFailureDetails) {
          cell.detailSlots.decrementAndGet();
          return keys.get() >= maxPendingKeys; // overflow: in the summary only
        }
        LongAdder fresh = new LongAdder();
        n = cell.details.putIfAbsent(detail, fresh);
        if (n == null) {
          n = fresh;
          keys.incrementAndGet();
        } else {
          cell.detailSlots.decrementAndGet(); // another thread added the same detail
        }
      }
      n.increment();
      return keys.get() >= maxPendingKeys;
    }

    /** The window's counts as report text; only once no writer is inside. */
    List<TlsRptCounts> drain() {
      List<TlsRptCounts> out = new ArrayList<>(policies.size());
      for (Map.Entry<PolicyKey, PolicyCell> e : policies.entrySet()) {
        PolicyCell cell = e.getValue();
        List<FailureDetail> details = new ArrayList<>(cell.details.size());
        for (Map.Entry<DetailKey, LongAdder> d : cell.details.entrySet()) {
          DetailKey k = d.getKey();
          details.add(
              new FailureDetail(
                  k.type().token(),
                  Optional.ofNullable(k.sendingIp()).map(AddressText::of),
                  Optional.of(k.mxHost().toString()),
                  Optional.ofNullable(k.helo()),
                  Optional.ofNullable(k.receivingIp()).map(AddressText::of),
                  d.getValue().sum(),
                  Optional.empty(),
                  Optional.ofNullable(k.reasonCode())));
        }
        out.add(
            new TlsRptCounts(
                LocalDate.ofEpochDay(e.getKey().day()),
                new PolicyResult(
                    ReportedPolicy.of(e.getKey().policy()),
                    cell.successes.sum(),
                    cell.failures.sum(),
                    details)));
      }
      return out;
    }
  }

  /** Builds a {@link TlsRptRecorder}. Not thread-safe. */
  public static final class Builder {
    private final String organizationName;
    private final String contactInfo;
    private final TlsRptStore store;
    private Clock clock = Clock.systemUTC();
    private int maxFailureDetails = 1_000;
    private int maxPendingKeys = 100_000;
    private Duration storeTimeout = Duration.ofMinutes(2);
    private RandomGenerator random = new SecureRandom();

    private Builder(String organizationName, String contactInfo, TlsRptStore store) {
      this.organizationName = requireNonNull(organizationName, "organizationName");
      this.contactInfo = requireNonNull(contactInfo, "contactInfo");
      this.store = requireNonNull(store, "store");
    }

    /**
     * Sets the clock whose UTC day the sessions are counted in.
     *
     * @param clock the clock; its zone does not matter
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how many distinct failure details each policy keeps per day; failed sessions beyond them
     * are counted in the summary only.
     *
     * @param max at least 1; 1,000 unless set
     * @return this builder
     */
    public Builder maxFailureDetails(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxFailureDetails must be positive: " + max);
      }
      this.maxFailureDetails = max;
      return this;
    }

    /**
     * Sets how many distinct keys (policies of a day, and their failure details) the recorder holds
     * before a session starts a flush; this bounds its memory between flushes.
     *
     * @param max at least 1; 100,000 unless set
     * @return this builder
     */
    public Builder maxPendingKeys(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPendingKeys must be positive: " + max);
      }
      this.maxPendingKeys = max;
      return this;
    }

    /**
     * Sets how long a flush waits for the store to add a batch; one that takes longer fails, and
     * its batch is kept and sent again under its id with the next flush, which a store that added
     * it meanwhile skips. So a hung store does not stop automatic flushing.
     *
     * @param timeout positive; 2 minutes unless set, above a JDBC store's default query timeout
     * @return this builder
     */
    public Builder storeTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("storeTimeout must be positive: " + timeout);
      }
      this.storeTimeout = timeout;
      return this;
    }

    /**
     * Sets the source of the random part of each {@code report-id}; a seeded one makes reports
     * repeatable in tests.
     *
     * @param random the generator; a {@link SecureRandom} unless set
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the recorder.
     *
     * @return a new recorder with nothing counted
     */
    public TlsRptRecorder build() {
      return new TlsRptRecorder(this);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "TlsRptRecorder[%s, %d keys pending]",
        organizationName,
        pending.get().keys.get());
  }
}
