package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dmarc.DmarcEvaluation;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.IdentifierAlignment;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;

/**
 * Rolls a receiver's DMARC outcomes up into the daily aggregate reports of RFC 9990 (and of RFC
 * 7489 for receivers on that profile): one report per policy domain and per policy configuration
 * and UTC day (RFC 9990 §3.1), with one record per group of messages that share a source address,
 * identifiers, evaluation and authentication results.
 *
 * <pre>{@code
 * DmarcReportCollector collector =
 *     DmarcReportCollector.builder("Example Mail", "dmarc-reports@mail.example",
 *             new InMemoryDmarcReportStore())
 *         .build();
 * collector.add(authentication);            // once per message, on the MTA's threads
 * collector.flushAsync();                   // now and then: counts into the store
 * for (AggregateReport report : collector.reports(yesterday)) { ... write, mail ... }
 * collector.remove(yesterday);              // once they are sent
 * }</pre>
 *
 * <p><b>What a message gives.</b> Each {@linkplain DmarcOutcome#evaluations() evaluation} of the
 * message that found a record (a From field with several domains has several) counts once under the
 * UTC day of {@link DmarcOutcome#evaluatedAt()}, in the report of its policy domain and of {@link
 * PublishedPolicy#of(DomainName, org.mailauth4j.dmarc.DmarcRecord, DmarcProfile) the record as the
 * outcome's profile publishes it}. Its record holds: the SMTP client's address; {@code
 * header_from}, the author domain; {@code envelope_from}, the domain SPF checked for the MAIL FROM
 * identity (for a null reverse-path that is the HELO domain, as RFC 7208 §2.4 makes it; none when
 * only the HELO identity was checked); {@code envelope_to} from the {@link ReceiverHandling}; the
 * disposition (the handling's, else the evaluated one: the applied policy for a {@code fail}, and
 * for a {@code pass} RFC 9990's {@code pass} when the policy was enforcing, {@code none} otherwise;
 * RFC 7489 reports have no {@code pass}); the DMARC-aligned DKIM and SPF results; the reasons
 * ({@code policy_test_mode} when {@code t=y} relaxed the policy under RFC 9989, {@code sampled_out}
 * when {@code pct} exempted the message under RFC 7489, then the handling's); one DKIM result per
 * signature with a {@code d=}, and the SPF result. A message with no record at all is in no report;
 * {@link #messagesNotReported()} counts those.
 *
 * <p><b>Memory and the store.</b> Counting is cheap and takes no lock: a message adds to striped
 * counters in a concurrent map, exactly under any number of threads. Counts wait in memory until
 * {@link #flushAsync()} moves them into the {@link DmarcReportStore}, or until the number of
 * distinct pending records reaches {@link Builder#maxPendingKeys(int)}, when the message that
 * reached it starts a flush. Each flush sends its counts as a batch under a new id; a batch whose
 * add fails is kept, and the next flush sends it again under the same id, so a store that did add
 * it (a commit whose answer was lost) skips it. A store that fails for long therefore holds the
 * batches in memory, one per failed flush.
 *
 * <p><b>Reports.</b> The records of a report are not capped: leaving a group out would report fewer
 * messages than were seen, and RFC 9990 has no element that says so. A report's size is the number
 * of distinct groups its domain had that day, which the store holds anyway. A report's {@code
 * report_id} depends only on the reporter, the day and the policy (see {@link
 * #reportsAsync(LocalDate)}), so a report built again, to send it again, has the same id and file
 * name (RFC 9990 §3.5.2).
 *
 * <p><b>Days.</b> A message counts under the day it was evaluated, so one evaluated just before
 * midnight and added after the day's reports were built would make that day again: build a day's
 * reports some time after it ends (the outcomes of the last evaluations added and flushed). Several
 * collectors (several MTAs) may share one store, each flushing its own counts; each must flush a
 * day's counts before another builds that day's reports.
 *
 * <p>Thread-safe; one collector serves a whole MTA.
 */
public final class DmarcReportCollector {
  private static final System.Logger LOG = System.getLogger(DmarcReportCollector.class.getName());
  private static final long SECONDS_PER_DAY = 86_400L;

  /** Longs per stripe of the in-flight counters, so that each stripe has its own cache line. */
  private static final int STRIPE_WIDTH = 16;

  private final String organizationName;
  private final String email;
  private final Optional<String> extraContactInfo;
  private final Optional<String> generator;
  private final DmarcReportStore store;
  private final Clock clock;
  private final int maxPendingKeys;
  private final long storeTimeoutNanos;
  private final RandomGenerator random;
  private final int stripeMask;
  private final AtomicReference<Pending> pending;
  private final AtomicBoolean autoFlushing = new AtomicBoolean();
  private final LongAdder notReported = new LongAdder();

  /**
   * Batches whose store add failed, to send again with the next flush, each under its own id: one
   * whose outcome was unknown may be stored already, so it is not merged with others.
   */
  private final List<Batch> unsent = new ArrayList<>();

  /** Store adds not yet settled: each completes once its batch is stored or back in unsent. */
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

  private DmarcReportCollector(Builder b) {
    this.organizationName = b.organizationName;
    this.email = b.email;
    this.extraContactInfo = b.extraContactInfo;
    this.generator = b.generator;
    this.store = b.store;
    this.clock = b.clock;
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
   * Starts a collector.
   *
   * @param organizationName {@code org_name}: the reporting organization, such as {@code Example
   *     Mail}
   * @param email {@code email}: where the reports' recipients write to, such as {@code
   *     dmarc-reports@mail.example}
   * @param store where the counts are kept until the reports are sent
   * @return a builder with the system UTC clock, the generator {@code mailauth4j}, flushes at
   *     100,000 pending records, and 2 minutes for the store to add a batch
   */
  public static Builder builder(String organizationName, String email, DmarcReportStore store) {
    return new Builder(organizationName, email, store);
  }

  /**
   * Counts one message as DMARC evaluated it: {@link #add(MessageAuthentication, ReceiverHandling)}
   * with {@link ReceiverHandling#asEvaluated()}.
   *
   * @param authentication the message's SPF, DKIM and DMARC outcomes
   */
  public void add(MessageAuthentication authentication) {
    add(authentication, ReceiverHandling.asEvaluated());
  }

  /**
   * Counts one message and what the receiver did with it. Takes no lock, and does no I/O unless the
   * message fills the pending records, when it starts a flush without waiting for it.
   *
   * @param authentication the message's SPF, DKIM and DMARC outcomes
   * @param handling the disposition applied, the reasons and the recipient domain
   */
  public void add(MessageAuthentication authentication, ReceiverHandling handling) {
    requireNonNull(authentication, "authentication");
    add(authentication.dmarc(), authentication.spf(), authentication.dkim(), handling);
  }

  /**
   * Counts one message from the outcomes of separate verifiers, as {@link
   * #add(MessageAuthentication, ReceiverHandling)} does.
   *
   * @param dmarc the DMARC outcome
   * @param spf the SPF outcome DMARC used (of the MAIL FROM identity, else of HELO); its client
   *     address is the record's {@code source_ip}
   * @param dkim the DKIM verification of the message
   * @param handling the disposition applied, the reasons and the recipient domain
   */
  public void add(
      DmarcOutcome dmarc, SpfOutcome spf, DkimVerification dkim, ReceiverHandling handling) {
    requireNonNull(dmarc, "dmarc");
    requireNonNull(spf, "spf");
    requireNonNull(dkim, "dkim");
    requireNonNull(handling, "handling");
    List<RowKey> rows = rows(dmarc, spf, dkim, handling);
    if (rows.isEmpty()) {
      notReported.increment();
      return;
    }
    int stripe = stripe();
    Pending p = enter(stripe);
    boolean full = false;
    try {
      for (RowKey row : rows) {
        full |= p.count(row);
      }
    } finally {
      p.exit(stripe);
    }
    if (full) {
      autoFlush();
    }
  }

  /**
   * Returns how many messages this collector was given that are in no report: no author domain, or
   * no DMARC record for any of them (RFC 9990 reports only on policy domains).
   *
   * @return the count since the collector was built
   */
  public long messagesNotReported() {
    return notReported.sum();
  }

  // --- from outcomes to rows ---

  private static List<RowKey> rows(
      DmarcOutcome dmarc, SpfOutcome spf, DkimVerification dkim, ReceiverHandling handling) {
    List<DmarcEvaluation> evaluations = dmarc.evaluations();
    List<RowKey> rows = new ArrayList<>(evaluations.size());
    DmarcProfile profile = dmarc.profile();
    // RFC 9990 §3.1: reports cover UTC days; the message counts under the day of its evaluation
    long day = Math.floorDiv(dmarc.evaluatedAt().getEpochSecond(), SECONDS_PER_DAY);
    List<DkimAuthResult> dkimResults = null;
    for (DmarcEvaluation e : evaluations) {
      if (e.policyDomain().isEmpty() || e.record().isEmpty()) {
        continue; // no record, no report (RFC 9990 §3.1: reports go to policy domains)
      }
      if (dkimResults == null) {
        dkimResults = dkimResults(dkim);
      }
      PublishedPolicy policy =
          PublishedPolicy.of(e.policyDomain().get(), e.record().get(), profile);
      ReportRecord.Builder r =
          ReportRecord.builder(spf.clientIp(), e.authorDomain().toString())
              .count(0)
              .disposition(Optional.of(disposition(e, profile, handling)))
              .dkimAligned(Optional.of(aligned(e, false)))
              .spfAligned(Optional.of(aligned(e, true)))
              .envelopeFrom(envelopeFrom(spf))
              .envelopeTo(handling.envelopeTo());
      reasons(e, profile, handling).forEach(r::addReason);
      dkimResults.forEach(r::addDkim);
      spfResult(spf, profile).ifPresent(r::addSpf);
      rows.add(new RowKey(day, policy, r.build()));
    }
    return rows;
  }

  private static Disposition disposition(
      DmarcEvaluation e, DmarcProfile profile, ReceiverHandling handling) {
    Disposition d = handling.disposition().orElseGet(() -> evaluated(e, profile));
    // RFC 7489 Appendix C: its disposition has no "pass"; that was "none"
    return profile == DmarcProfile.RFC7489 && d == Disposition.PASS ? Disposition.NONE : d;
  }

  private static Disposition evaluated(DmarcEvaluation e, DmarcProfile profile) {
    switch (e.result()) {
      case FAIL:
        return switch (e.appliedPolicy()) {
          case NONE -> Disposition.NONE;
          case QUARANTINE -> Disposition.QUARANTINE;
          case REJECT -> Disposition.REJECT;
        };
      case PASS:
        if (profile == DmarcProfile.RFC9989) {
          // RFC 9990 §3.1.5 (ActionDispositionType): "pass" is no action for a message that
          // passed DMARC under an enforcing policy; the policy is the one t=y leaves (RFC 9989
          // §4.7)
          DmarcPolicy requested = e.requestedPolicy().orElse(DmarcPolicy.NONE);
          DmarcPolicy effective =
              e.record().orElseThrow().testing() ? requested.relaxed() : requested;
          if (effective != DmarcPolicy.NONE) {
            return Disposition.PASS;
          }
        }
        return Disposition.NONE;
      default:
        return Disposition.NONE; // temperror: no policy applied
    }
  }

  private static boolean aligned(DmarcEvaluation e, boolean spf) {
    for (IdentifierAlignment a : e.alignments()) {
      boolean isSpf = a.kind() != IdentifierAlignment.Kind.DKIM;
      if (isSpf == spf && a.isAligned()) {
        return true;
      }
    }
    return false;
  }

  private static List<OverrideReason> reasons(
      DmarcEvaluation e, DmarcProfile profile, ReceiverHandling handling) {
    List<OverrideReason> given = new ArrayList<>(handling.reasons().size());
    for (OverrideReason r : handling.reasons()) {
      OverrideReason fit = fit(r, profile);
      if (!given.contains(fit)) {
        given.add(fit);
      }
    }
    OverrideType automatic;
    if (profile == DmarcProfile.RFC9989 && e.testing()) {
      automatic = OverrideType.POLICY_TEST_MODE; // RFC 9990 §3.1.5, RFC 9989 §4.7
    } else if (profile == DmarcProfile.RFC7489 && e.sampledOut()) {
      automatic = OverrideType.SAMPLED_OUT; // RFC 7489 §6.6.4, Appendix C
    } else {
      return given;
    }
    for (OverrideReason r : given) {
      if (r.type() == automatic) {
        return given; // the receiver said it itself, perhaps with a comment
      }
    }
    List<OverrideReason> all = new ArrayList<>(given.size() + 1);
    all.add(OverrideReason.of(automatic));
    all.addAll(given);
    return all;
  }

  /** A reason in a type the profile's report form has: the others become {@code other}. */
  private static OverrideReason fit(OverrideReason r, DmarcProfile profile) {
    OverrideType t = r.type();
    boolean fits = profile == DmarcProfile.RFC9989 ? t.inRfc9990() : t.inRfc7489();
    if (fits) {
      return r;
    }
    return OverrideReason.of(
        OverrideType.OTHER, t.token() + r.comment().map(c -> ": " + c).orElse(""));
  }

  private static List<DkimAuthResult> dkimResults(DkimVerification dkim) {
    List<DkimAuthResult> out = new ArrayList<>(dkim.outcomes().size());
    for (DkimOutcome o : dkim.outcomes()) {
      // a signature without a readable d= names no domain to report it under
      o.domain()
          .ifPresent(
              d ->
                  out.add(
                      DkimAuthResult.of(d.toString(), o.selector(), o.result(), Optional.empty())));
    }
    return out;
  }

  private static Optional<String> envelopeFrom(SpfOutcome spf) {
    if (spf.identity() != SpfIdentity.MAILFROM) {
      return Optional.empty(); // only HELO was checked: no MAIL FROM domain is known
    }
    return Optional.of(spfDomain(spf)).filter(d -> !d.isEmpty());
  }

  /** The domain SPF checked, or the one its identity names when it was not a valid name. */
  private static String spfDomain(SpfOutcome spf) {
    if (spf.domain().isPresent()) {
      return spf.domain().get().toString();
    }
    String identity =
        spf.identity() == SpfIdentity.MAILFROM
            ? spf.sender().substring(spf.sender().lastIndexOf('@') + 1)
            : spf.helo().orElse("");
    return identity.strip().toLowerCase(Locale.ROOT);
  }

  private static Optional<SpfAuthResult> spfResult(SpfOutcome spf, DmarcProfile profile) {
    String domain = spfDomain(spf);
    if (domain.isEmpty()) {
      return Optional.empty();
    }
    Optional<SpfScope> scope;
    if (spf.identity() == SpfIdentity.MAILFROM) {
      scope = Optional.of(SpfScope.MFROM);
    } else {
      // RFC 9990 §3.1.5: its scope is mfrom only, and optional; RFC 7489 also has helo
      scope = profile == DmarcProfile.RFC7489 ? Optional.of(SpfScope.HELO) : Optional.empty();
    }
    return Optional.of(
        SpfAuthResult.of(domain, scope, SpfReportResult.of(spf.result()), Optional.empty()));
  }

  // --- flushing ---

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
    List<DmarcReportCounts> drained = old.drain();
    List<Batch> batches = new ArrayList<>(unsent);
    unsent.clear();
    if (!drained.isEmpty()) {
      batches.add(new Batch(batchId(), drained));
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

  /** A random (version 4) UUID from the collector's generator; only under the unsent lock. */
  private UUID batchId() {
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
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
            // the store added none of it, or cannot tell (a lost commit): it goes again under
            // the same id, which the store skips if it has it (DmarcReportStore is idempotent)
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

  // --- reports ---

  /**
   * Builds the aggregate reports of a day that is over, from what the store holds for it after this
   * collector flushed and every store add it had in flight settled: one report per policy domain
   * and policy configuration (RFC 9990 §3.1), in order of domain and then configuration; in each,
   * the records in order of source address (IPv4 first), author domain and the rest of their group.
   * The date range is the whole UTC day, {@code 00:00:00} to {@code 23:59:59}. The metadata has the
   * organization, e-mail address, extra contact information and generator of this collector, and
   * the {@code report_id} {@code <yyyymmdd>.<policy domain>.<32 hex digits>}, such as {@code
   * 20260501.example.com.6f1c…}, the digits being a SHA-256 hash of the reporter, the day and the
   * policy configuration: unique per domain, configuration and day, and the same each time the
   * report is built (RFC 9990 §3.5.2: a report sent again keeps its file name).
   *
   * @param day a UTC day before the collector's current one
   * @return a future of the reports, empty if nothing was counted that day; it fails if a store add
   *     failed, whose counts are kept for the next flush
   * @throws IllegalArgumentException if the day is not over yet by the collector's clock
   */
  public CompletableFuture<List<AggregateReport>> reportsAsync(LocalDate day) {
    requireNonNull(day, "day");
    LocalDate today = today();
    if (!day.isBefore(today)) {
      // RFC 9990 §3.1: a report covers its whole period, so only a day that is over is reported
      throw new IllegalArgumentException(day + " is not over yet; today (UTC) is " + today);
    }
    // every add in flight must have settled first, or counts still on their way are left out of
    // the report and arrive after it, making a second report of the day
    return flushAndSettle().thenCompose(v -> store.countsAsync(day)).thenApply(c -> build(day, c));
  }

  /**
   * Builds the reports of a day that is over and waits: {@link #reportsAsync(LocalDate)}, joined.
   *
   * @param day a UTC day before the collector's current one
   * @return the reports
   * @throws IllegalArgumentException if the day is not over yet
   * @throws java.util.concurrent.CompletionException if the store failed
   */
  public List<AggregateReport> reports(LocalDate day) {
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
    return LocalDate.ofEpochDay(Math.floorDiv(clock.instant().getEpochSecond(), SECONDS_PER_DAY));
  }

  private void autoFlush() {
    if (!autoFlushing.compareAndSet(false, true)) {
      // one automatic flush at a time, until its store add completes; messages that find the
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
                "DMARC report counts could not be stored; kept for the next flush",
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

  private List<AggregateReport> build(LocalDate day, List<DmarcReportCounts> stored) {
    ReportCountsTable merged = new ReportCountsTable(); // a store's duplicate keys, summed
    merged.addAll(stored);
    List<Map.Entry<PublishedPolicy, List<ReportRecord>>> policies =
        new ArrayList<>(merged.byPolicy(day).entrySet());
    policies.sort(Map.Entry.comparingByKey(ReportText.POLICY_ORDER));
    Instant begin = Instant.ofEpochSecond(day.toEpochDay() * SECONDS_PER_DAY);
    Instant end = begin.plusSeconds(SECONDS_PER_DAY - 1);
    List<AggregateReport> reports = new ArrayList<>(policies.size());
    for (Map.Entry<PublishedPolicy, List<ReportRecord>> e : policies) {
      List<ReportRecord> records = new ArrayList<>(e.getValue().size());
      for (ReportRecord r : e.getValue()) {
        if (r.count() > 0) {
          records.add(r);
        }
      }
      if (records.isEmpty()) {
        continue;
      }
      records.sort(ReportText.RECORD_ORDER);
      ReportMetadata metadata =
          ReportMetadata.builder()
              .organizationName(organizationName)
              .email(email)
              .extraContactInfo(extraContactInfo)
              .reportId(reportId(day, e.getKey()))
              .dateRange(begin, end)
              .generator(generator)
              .build();
      reports.add(
          AggregateReport.builder(metadata, e.getKey())
              .version(Optional.of("1.0"))
              .addRecords(records)
              .build());
    }
    return reports;
  }

  /**
   * RFC 9990 §3.1.5, §3.5.2: unique per policy domain (and configuration and day), and the same
   * each time, so that a report sent again has the same id and file name.
   */
  private String reportId(LocalDate day, PublishedPolicy policy) {
    String hash =
        ReportText.sha256(
            organizationName.length()
                + ":"
                + organizationName
                + email.length()
                + ":"
                + email
                + day
                + ReportText.policy(policy));
    return day.format(DateTimeFormatter.BASIC_ISO_DATE)
        + "."
        + policy.domain()
        + "."
        + hash.substring(0, 32);
  }

  /** A batch of counts and the id it is sent under, each time. */
  private record Batch(UUID id, List<DmarcReportCounts> counts) {
    Batch without(LocalDate day) {
      return new Batch(id, counts.stream().filter(c -> !c.day().equals(day)).toList());
    }
  }

  /** A record's key in the pending window: the epoch day, the policy, the group (count 0). */
  private record RowKey(long day, PublishedPolicy policy, ReportRecord group) {}

  /**
   * The counts since the last flush, and the writers counting into them: a striped count per stripe
   * of threads, each on its own cache line, so that entering costs an uncontended atomic add. A
   * flush swaps in a new window, then waits until every stripe of the old one reads zero: any
   * writer still to count into the old one entered before the swap, so it is counted in its stripe
   * until it leaves, and a writer that enters after the swap sees the new window and leaves the old
   * one at once.
   */
  private final class Pending {
    final ConcurrentHashMap<RowKey, LongAdder> rows = new ConcurrentHashMap<>();
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

    /** Counts a message's row; returns whether the window now holds the most keys it may. */
    boolean count(RowKey key) {
      LongAdder n = rows.get(key);
      if (n == null) {
        LongAdder fresh = new LongAdder();
        n = rows.putIfAbsent(key, fresh);
        if (n == null) {
          n = fresh;
          keys.incrementAndGet();
        }
      }
      n.increment();
      return keys.get() >= maxPendingKeys;
    }

    /** The window's counts; only once no writer is inside. */
    List<DmarcReportCounts> drain() {
      List<DmarcReportCounts> out = new ArrayList<>(rows.size());
      for (Map.Entry<RowKey, LongAdder> e : rows.entrySet()) {
        RowKey k = e.getKey();
        out.add(
            new DmarcReportCounts(
                LocalDate.ofEpochDay(k.day()),
                k.policy(),
                k.group().withCount(e.getValue().sum())));
      }
      return out;
    }
  }

  /** Builds a {@link DmarcReportCollector}. Not thread-safe. */
  public static final class Builder {
    private final String organizationName;
    private final String email;
    private final DmarcReportStore store;
    private Clock clock = Clock.systemUTC();
    private Optional<String> extraContactInfo = Optional.empty();
    private Optional<String> generator = Optional.of("mailauth4j");
    private int maxPendingKeys = 100_000;
    private Duration storeTimeout = Duration.ofMinutes(2);
    private RandomGenerator random = new SecureRandom();

    private Builder(String organizationName, String email, DmarcReportStore store) {
      this.organizationName = requireNonNull(organizationName, "organizationName");
      this.email = requireNonNull(email, "email");
      this.store = requireNonNull(store, "store");
    }

    /**
     * Sets the clock that tells which days are over; the messages' days come from their outcomes.
     *
     * @param clock the clock; its zone does not matter
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets further contact details for the reports ({@code extra_contact_info}), such as a web page
     * or a telephone number.
     *
     * @param info the text
     * @return this builder
     */
    public Builder extraContactInfo(String info) {
      this.extraContactInfo = Optional.of(requireNonNull(info, "info"));
      return this;
    }

    /**
     * Sets the software named in the reports ({@code generator}, RFC 9990 §3.1.5).
     *
     * @param generator such as {@code ExampleMTA 2.1}; {@code mailauth4j} unless set
     * @return this builder
     */
    public Builder generator(String generator) {
      this.generator = Optional.of(requireNonNull(generator, "generator"));
      return this;
    }

    /**
     * Sets how many distinct records (a day, a policy and a group) the collector holds before a
     * message starts a flush; this bounds its memory between flushes.
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
     * Sets the source of the batch ids the store tells batches apart by; a seeded one makes them
     * repeatable in tests. Two collectors on one store must not share a seed.
     *
     * @param random the generator; a {@link SecureRandom} unless set
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the collector.
     *
     * @return a new collector with nothing counted
     */
    public DmarcReportCollector build() {
      return new DmarcReportCollector(this);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "DmarcReportCollector[%s, %d keys pending]",
        organizationName,
        pending.get().keys.get());
  }
}
