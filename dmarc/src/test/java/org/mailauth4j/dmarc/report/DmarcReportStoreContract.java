package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;

/**
 * What every {@link DmarcReportStore} must do (the contract in its Javadoc): each implementation's
 * test extends this with a fresh, empty store per test.
 */
abstract class DmarcReportStoreContract {
  static final LocalDate DAY = LocalDate.parse("2026-05-01");

  static final PublishedPolicy REJECT =
      PublishedPolicy.builder("example.com")
          .policy(Optional.of(DmarcPolicy.REJECT))
          .subdomainPolicy(Optional.of(DmarcPolicy.REJECT))
          .nonexistentDomainPolicy(Optional.of(DmarcPolicy.REJECT))
          .dkimAlignment(Optional.of(AlignmentMode.RELAXED))
          .spfAlignment(Optional.of(AlignmentMode.RELAXED))
          .discoveryMethod(Optional.of(DiscoveryMethod.TREEWALK))
          .failureOptions(Optional.of("0"))
          .testing(Optional.of(false))
          .build();

  static final PublishedPolicy NONE =
      PublishedPolicy.builder("example.net")
          .policy(Optional.of(DmarcPolicy.NONE))
          .percent(OptionalInt.of(100))
          .discoveryMethod(Optional.of(DiscoveryMethod.PSL))
          .build();

  /** A fresh store with nothing in it. */
  abstract DmarcReportStore newStore() throws Exception;

  static InetAddress ip(String literal) {
    return InetAddresses.forString(literal);
  }

  /** A passing record from an address, with a count. */
  static ReportRecord record(String source, long count) {
    return ReportRecord.builder(ip(source), "example.com")
        .count(count)
        .disposition(Optional.of(Disposition.PASS))
        .dkimAligned(Optional.of(true))
        .spfAligned(Optional.of(true))
        .envelopeFrom(Optional.of("example.com"))
        .addDkim(DkimAuthResult.of("example.com", "ed", DkimResult.PASS))
        .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.PASS))
        .build();
  }

  static DmarcReportCounts counts(LocalDate day, PublishedPolicy policy, String source, long n) {
    return new DmarcReportCounts(day, policy, record(source, n));
  }

  /** The counts in one order, so two stores' answers compare equal. */
  static List<DmarcReportCounts> normalized(List<DmarcReportCounts> counts) {
    List<DmarcReportCounts> out = new ArrayList<>(counts);
    out.sort(ReportText.COUNTS_ORDER);
    return out;
  }

  @Test
  void readsBackWhatWasAdded() throws Exception {
    DmarcReportStore store = newStore();
    List<DmarcReportCounts> batch =
        List.of(
            counts(DAY, REJECT, "192.0.2.1", 5326),
            counts(DAY, REJECT, "2001:db8::1", 3),
            counts(DAY, NONE, "198.51.100.62", 10));

    store.add(batch);

    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(batch));
  }

  @Test
  void sumsEqualKeysAcrossBatchesAndWithinOne() throws Exception {
    DmarcReportStore store = newStore();
    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 1)));
    store.add(
        List.of(
            counts(DAY, REJECT, "192.0.2.1", 10),
            counts(DAY, REJECT, "192.0.2.1", 100),
            counts(DAY, REJECT, "192.0.2.2", 1000)));

    assertThat(normalized(store.counts(DAY)))
        .containsExactly(
            counts(DAY, REJECT, "192.0.2.1", 111), counts(DAY, REJECT, "192.0.2.2", 1000));
  }

  @Test
  void keepsDaysApartAndListsThemEarliestFirst() throws Exception {
    DmarcReportStore store = newStore();
    store.add(
        List.of(
            counts(DAY.plusDays(1), REJECT, "192.0.2.1", 2), counts(DAY, REJECT, "192.0.2.1", 1)));
    store.add(List.of(counts(DAY.minusDays(30), NONE, "192.0.2.1", 3)));

    assertThat(store.days()).containsExactly(DAY.minusDays(30), DAY, DAY.plusDays(1));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 1));
    assertThat(store.counts(DAY.plusDays(1)))
        .containsExactly(counts(DAY.plusDays(1), REJECT, "192.0.2.1", 2));
    assertThat(store.counts(DAY.plusDays(2))).isEmpty();
  }

  static Stream<Arguments> policyVariants() {
    return Stream.of(
        policy("another domain", b -> PublishedPolicy.builder("sub.example.com")),
        policy("p=quarantine", b -> b.policy(Optional.of(DmarcPolicy.QUARANTINE))),
        policy("p absent", b -> b.policy(Optional.empty())),
        policy("sp=none", b -> b.subdomainPolicy(Optional.of(DmarcPolicy.NONE))),
        policy(
            "np=quarantine", b -> b.nonexistentDomainPolicy(Optional.of(DmarcPolicy.QUARANTINE))),
        policy("adkim=s", b -> b.dkimAlignment(Optional.of(AlignmentMode.STRICT))),
        policy("aspf=s", b -> b.spfAlignment(Optional.of(AlignmentMode.STRICT))),
        policy("psl discovery", b -> b.discoveryMethod(Optional.of(DiscoveryMethod.PSL))),
        policy("fo=1", b -> b.failureOptions(Optional.of("1"))),
        policy("fo empty", b -> b.failureOptions(Optional.of(""))),
        policy("fo absent", b -> b.failureOptions(Optional.empty())),
        policy("t=y", b -> b.testing(Optional.of(true))),
        policy("t absent", b -> b.testing(Optional.empty())),
        policy("pct=100", b -> b.percent(OptionalInt.of(100))),
        policy("pct=0", b -> b.percent(OptionalInt.of(0))));
  }

  private static Arguments policy(String name, UnaryOperator<PublishedPolicy.Builder> change) {
    PublishedPolicy.Builder b = change.apply(REJECT.newBuilder());
    return Arguments.of(name, b.build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policyVariants")
  void keepsPoliciesApartThatDifferInAnyField(String name, PublishedPolicy other) throws Exception {
    DmarcReportStore store = newStore();
    List<DmarcReportCounts> batch =
        List.of(counts(DAY, REJECT, "192.0.2.1", 1), counts(DAY, other, "192.0.2.1", 2));

    store.add(batch);

    assertThat(other).isNotEqualTo(REJECT);
    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(batch));
  }

  static Stream<Arguments> recordVariants() {
    ReportRecord base = record("192.0.2.1", 1);
    return Stream.of(
        group("another IPv4 address", ReportRecord.builder(ip("192.0.2.2"), "example.com")),
        group("an IPv6 address", ReportRecord.builder(ip("2001:db8::c000:201"), "example.com")),
        group("another author domain", ReportRecord.builder(ip("192.0.2.1"), "a.example.com")),
        group("disposition none", base.newBuilder().disposition(Optional.of(Disposition.NONE))),
        group("disposition absent", base.newBuilder().disposition(Optional.empty())),
        group("dkim not aligned", base.newBuilder().dkimAligned(Optional.of(false))),
        group("spf not aligned", base.newBuilder().spfAligned(Optional.of(false))),
        group("spf alignment absent", base.newBuilder().spfAligned(Optional.empty())),
        group(
            "a reason", base.newBuilder().addReason(OverrideReason.of(OverrideType.LOCAL_POLICY))),
        group(
            "a reason with a comment",
            base.newBuilder().addReason(OverrideReason.of(OverrideType.LOCAL_POLICY, "x"))),
        group(
            "two reasons",
            base.newBuilder()
                .addReason(OverrideReason.of(OverrideType.LOCAL_POLICY))
                .addReason(OverrideReason.of(OverrideType.MAILING_LIST))),
        group("no envelope from", base.newBuilder().envelopeFrom(Optional.empty())),
        group("empty envelope from", base.newBuilder().envelopeFrom(Optional.of(""))),
        group("an envelope to", base.newBuilder().envelopeTo(Optional.of("example.org"))),
        group(
            "a second signature",
            base.newBuilder().addDkim(DkimAuthResult.of("esp.example", "s1", DkimResult.FAIL))),
        group(
            "a signature without selector",
            base.newBuilder()
                .addDkim(
                    DkimAuthResult.of(
                        "esp.example", Optional.empty(), DkimResult.PASS, Optional.empty()))),
        group(
            "a human result",
            base.newBuilder()
                .addDkim(
                    DkimAuthResult.of(
                        "esp.example", Optional.of("s1"), DkimResult.PASS, Optional.of("ok")))),
        group(
            "a helo result",
            base.newBuilder()
                .addSpf(SpfAuthResult.of("mx.example.com", SpfScope.HELO, SpfReportResult.NONE))),
        group(
            "an spf result without scope",
            base.newBuilder()
                .addSpf(
                    SpfAuthResult.of(
                        "example.com", Optional.empty(), SpfReportResult.PASS, Optional.empty()))),
        group(
            "an extension",
            base.newBuilder().addExtension(ReportExtension.of("<x:n xmlns:x=\"urn:x\">1</x:n>"))));
  }

  private static Arguments group(String name, ReportRecord.Builder b) {
    return Arguments.of(name, b.count(2).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordVariants")
  void keepsRecordsApartThatDifferInAnyField(String name, ReportRecord other) throws Exception {
    DmarcReportStore store = newStore();
    List<DmarcReportCounts> batch =
        List.of(counts(DAY, REJECT, "192.0.2.1", 1), new DmarcReportCounts(DAY, REJECT, other));

    store.add(batch);

    assertThat(other.sameGroup(record("192.0.2.1", 2))).isFalse();
    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(batch));
  }

  @Test
  void keepsTextAsWritten() throws Exception {
    DmarcReportStore store = newStore();
    PublishedPolicy odd =
        REJECT.newBuilder().failureOptions(Optional.of("0:1:d:s\n\\ 12:+-#")).build();
    ReportRecord r =
        ReportRecord.builder(ip("::ffff:c000:201"), "xn--bcher-kva.example")
            .count(7)
            .addReason(
                OverrideReason.of(
                    OverrideType.OTHER, "grüße 😀 'quoted' \"double\" line\nfeed 3:abc -+#"))
            .envelopeFrom(Optional.of("5:xxxxx"))
            .addDkim(
                DkimAuthResult.of(
                    "d.example",
                    Optional.of(""),
                    DkimResult.PERMERROR,
                    Optional.of("x".repeat(5000))))
            .build();
    DmarcReportCounts c = new DmarcReportCounts(DAY, odd, r);

    store.add(List.of(c));

    assertThat(store.counts(DAY)).containsExactly(c);
  }

  @Test
  void removesOnlyTheDayGiven() throws Exception {
    DmarcReportStore store = newStore();
    store.add(
        List.of(
            counts(DAY, REJECT, "192.0.2.1", 1), counts(DAY.plusDays(1), REJECT, "192.0.2.1", 2)));

    store.remove(DAY);
    store.remove(DAY.minusDays(5)); // nothing there: nothing happens

    assertThat(store.days()).containsExactly(DAY.plusDays(1));
    assertThat(store.counts(DAY)).isEmpty();
    assertThat(store.counts(DAY.plusDays(1)))
        .containsExactly(counts(DAY.plusDays(1), REJECT, "192.0.2.1", 2));
    // a removed day counts again from zero
    store.add(List.of(counts(DAY, REJECT, "192.0.2.1", 5)));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, REJECT, "192.0.2.1", 5));
  }

  @Test
  void addsNothingForAnEmptyBatch() throws Exception {
    DmarcReportStore store = newStore();

    store.addAsync(List.of()).get(1, TimeUnit.MINUTES);

    assertThat(store.days()).isEmpty();
  }

  @Test
  void losesNoCountWhenBatchesArriveConcurrently() throws Exception {
    DmarcReportStore store = newStore();
    int threads = 8;
    int batches = 12;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> adders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        adders.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int b = 0; b < batches; b++) {
                    // the same keys from every thread, so first inserts collide; and a key of
                    // this thread's own
                    store.add(
                        List.of(
                            counts(DAY, REJECT, "192.0.2.1", 1),
                            counts(DAY, REJECT, "192.0.2.2", 2),
                            counts(DAY, NONE, "192.0.2.1", 1),
                            counts(DAY.plusDays(b % 2), REJECT, "198.51.100." + thread, 1)));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : adders) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    long n = (long) threads * batches;
    List<DmarcReportCounts> day = normalized(store.counts(DAY));
    assertThat(day).hasSize(3 + threads);
    assertThat(day)
        .contains(
            counts(DAY, REJECT, "192.0.2.1", n),
            counts(DAY, REJECT, "192.0.2.2", 2 * n),
            counts(DAY, NONE, "192.0.2.1", n));
    assertThat(day.stream().mapToLong(DmarcReportCounts::count).sum()).isEqualTo(4 * n + n / 2);
    assertThat(store.counts(DAY.plusDays(1)).stream().mapToLong(DmarcReportCounts::count).sum())
        .isEqualTo(n / 2);
  }
}
