package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TlsRptStore} must do (the contract in its Javadoc): each implementation's test
 * extends this with a fresh, empty store per test.
 */
abstract class TlsRptStoreContract {
  static final LocalDate DAY = LocalDate.parse("2016-04-01");

  static final ReportedPolicy STS =
      new ReportedPolicy(
          "sts",
          List.of(
              "version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"),
          Optional.of("company-y.example"),
          List.of("*.mail.company-y.example"));

  static final ReportedPolicy NONE =
      new ReportedPolicy("no-policy-found", List.of(), Optional.of("example.net"), List.of());

  /** A fresh store with nothing in it. */
  abstract TlsRptStore newStore() throws Exception;

  static FailureDetail detail(String type, String sender, long count) {
    return new FailureDetail(
        type,
        Optional.of(sender),
        Optional.of("mx1.mail.company-y.example"),
        Optional.empty(),
        Optional.of("203.0.113.56"),
        count,
        Optional.empty(),
        Optional.empty());
  }

  static TlsRptCounts counts(
      LocalDate day, ReportedPolicy policy, long ok, long failed, FailureDetail... details) {
    return new TlsRptCounts(day, new PolicyResult(policy, ok, failed, List.of(details)));
  }

  /** The counts in one order, so two stores' answers compare equal. */
  static List<TlsRptCounts> normalized(List<TlsRptCounts> counts) {
    List<TlsRptCounts> out = new ArrayList<>();
    for (TlsRptCounts c : counts) {
      PolicyResult r = c.result();
      List<FailureDetail> details = new ArrayList<>(r.failureDetails());
      details.sort(TlsRptRecorder.DETAIL_ORDER);
      out.add(
          new TlsRptCounts(
              c.day(),
              new PolicyResult(r.policy(), r.successfulSessions(), r.failedSessions(), details)));
    }
    out.sort(
        Comparator.comparing(TlsRptCounts::day)
            .thenComparing(c -> c.result().policy(), TlsRptRecorder.POLICY_ORDER));
    return out;
  }

  @Test
  void readsBackWhatWasAdded() throws Exception {
    TlsRptStore store = newStore();
    TlsRptCounts sts =
        counts(
            DAY,
            STS,
            5326,
            303,
            detail("starttls-not-supported", "2001:db8:abcd:13::1", 200),
            detail("certificate-expired", "2001:db8:abcd:12::1", 100));
    TlsRptCounts none = counts(DAY, NONE, 10, 0);

    store.add(List.of(sts, none));

    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(List.of(sts, none)));
  }

  @Test
  void sumsEqualKeysAcrossBatchesAndWithinOne() throws Exception {
    TlsRptStore store = newStore();
    store.add(List.of(counts(DAY, STS, 1, 2, detail("certificate-expired", "192.0.2.1", 2))));
    store.add(
        List.of(
            counts(DAY, STS, 10, 20, detail("certificate-expired", "192.0.2.1", 20)),
            counts(DAY, STS, 100, 200, detail("certificate-expired", "192.0.2.2", 200))));

    assertThat(normalized(store.counts(DAY)))
        .containsExactly(
            counts(
                DAY,
                STS,
                111,
                222,
                detail("certificate-expired", "192.0.2.2", 200),
                detail("certificate-expired", "192.0.2.1", 22)));
  }

  @Test
  void keepsDaysApartAndListsThemEarliestFirst() throws Exception {
    TlsRptStore store = newStore();
    store.add(List.of(counts(DAY.plusDays(1), STS, 2, 0), counts(DAY, STS, 1, 0)));
    store.add(List.of(counts(DAY.minusDays(30), NONE, 3, 0)));

    assertThat(store.days()).containsExactly(DAY.minusDays(30), DAY, DAY.plusDays(1));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, STS, 1, 0));
    assertThat(store.counts(DAY.plusDays(1))).containsExactly(counts(DAY.plusDays(1), STS, 2, 0));
    assertThat(store.counts(DAY.plusDays(2))).isEmpty();
  }

  @Test
  void keepsPoliciesApartThatDifferInAnyField() throws Exception {
    TlsRptStore store = newStore();
    List<TlsRptCounts> batch =
        List.of(
            counts(DAY, STS, 1, 0),
            counts(
                DAY,
                new ReportedPolicy("sts", STS.strings().subList(0, 3), STS.domain(), STS.mxHosts()),
                2,
                0),
            counts(
                DAY,
                new ReportedPolicy("sts", STS.strings(), STS.domain(), List.of("mx.example")),
                3,
                0),
            counts(DAY, new ReportedPolicy("sts", List.of(), STS.domain(), List.of()), 4, 0),
            // one empty policy line is not no line
            counts(DAY, new ReportedPolicy("sts", List.of(""), STS.domain(), List.of()), 5, 0),
            counts(
                DAY,
                new ReportedPolicy("no-policy-found", List.of(), Optional.empty(), List.of()),
                6,
                0),
            counts(DAY, NONE, 7, 0));

    store.add(batch);

    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(batch));
  }

  @Test
  void keepsDetailsApartThatDifferInAnyField() throws Exception {
    TlsRptStore store = newStore();
    FailureDetail all =
        new FailureDetail(
            "validation-failure",
            Optional.of("198.51.100.62"),
            Optional.of("mx-backup.mail.company-y.example"),
            Optional.of("mx-backup.mail.company-y.example"),
            Optional.of("203.0.113.58"),
            1,
            Optional.of("https://reports.company-x.example/info"),
            Optional.of("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"));
    List<FailureDetail> details = new ArrayList<>();
    details.add(all);
    details.add(
        new FailureDetail(
            "certificate-expired",
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            all.receivingMxHelo(),
            all.receivingIp(),
            2,
            all.additionalInformation(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            Optional.empty(),
            all.receivingMxHostname(),
            all.receivingMxHelo(),
            all.receivingIp(),
            3,
            all.additionalInformation(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            Optional.empty(),
            all.receivingMxHelo(),
            all.receivingIp(),
            4,
            all.additionalInformation(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            Optional.empty(),
            all.receivingIp(),
            5,
            all.additionalInformation(),
            all.failureReasonCode()));
    // an empty greeting is not no greeting
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            Optional.of(""),
            all.receivingIp(),
            6,
            all.additionalInformation(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            all.receivingMxHelo(),
            Optional.empty(),
            7,
            all.additionalInformation(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            all.receivingMxHelo(),
            all.receivingIp(),
            8,
            Optional.empty(),
            all.failureReasonCode()));
    details.add(
        new FailureDetail(
            all.resultType(),
            all.sendingMtaIp(),
            all.receivingMxHostname(),
            all.receivingMxHelo(),
            all.receivingIp(),
            9,
            all.additionalInformation(),
            Optional.empty()));
    TlsRptCounts c = new TlsRptCounts(DAY, new PolicyResult(STS, 0, 45, details));

    store.add(List.of(c));

    assertThat(normalized(store.counts(DAY))).isEqualTo(normalized(List.of(c)));
  }

  @Test
  void keepsTextAsWritten() throws Exception {
    TlsRptStore store = newStore();
    ReportedPolicy odd =
        new ReportedPolicy(
            "sts",
            List.of("line\nfeed", "back\\slash", "back\\nslash-n", "\\", "ünïcödé ✓", "trailing\\"),
            Optional.of("xn--bcher-kva.example"),
            List.of("*.xn--bcher-kva.example", ""));
    FailureDetail greeting =
        new FailureDetail(
            "certificate-host-mismatch",
            Optional.empty(),
            Optional.of("mx.xn--bcher-kva.example"),
            Optional.of("ESMTP ready — grüße 😀 'quoted' \"double\""),
            Optional.empty(),
            1,
            Optional.empty(),
            Optional.of("x".repeat(5000)));
    TlsRptCounts c = new TlsRptCounts(DAY, new PolicyResult(odd, 0, 1, List.of(greeting)));

    store.add(List.of(c));

    assertThat(store.counts(DAY)).containsExactly(c);
  }

  @Test
  void removesOnlyTheDayGiven() throws Exception {
    TlsRptStore store = newStore();
    store.add(
        List.of(
            counts(DAY, STS, 1, 1, detail("certificate-expired", "192.0.2.1", 1)),
            counts(DAY.plusDays(1), STS, 2, 2, detail("certificate-expired", "192.0.2.1", 2))));

    store.remove(DAY);
    store.remove(DAY.minusDays(5)); // nothing there: nothing happens

    assertThat(store.days()).containsExactly(DAY.plusDays(1));
    assertThat(store.counts(DAY)).isEmpty();
    assertThat(store.counts(DAY.plusDays(1)))
        .containsExactly(
            counts(DAY.plusDays(1), STS, 2, 2, detail("certificate-expired", "192.0.2.1", 2)));
    // a removed day counts again from zero
    store.add(List.of(counts(DAY, STS, 5, 0)));
    assertThat(store.counts(DAY)).containsExactly(counts(DAY, STS, 5, 0));
  }

  @Test
  void addsNothingForAnEmptyBatch() throws Exception {
    TlsRptStore store = newStore();

    store.addAsync(List.of()).get(1, TimeUnit.MINUTES);

    assertThat(store.days()).isEmpty();
  }

  @Test
  void losesNoCountWhenBatchesArriveConcurrently() throws Exception {
    TlsRptStore store = newStore();
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
                    // the same keys from every thread, so first inserts collide; and keys of
                    // this thread's own
                    store.add(
                        List.of(
                            counts(
                                DAY,
                                STS,
                                1,
                                3,
                                detail("certificate-expired", "192.0.2.1", 1),
                                detail("certificate-expired", "192.0.2.2", 2)),
                            counts(DAY, NONE, 1, 0),
                            counts(
                                DAY.plusDays(b % 2),
                                STS,
                                0,
                                1,
                                detail("starttls-not-supported", "198.51.100." + thread, 1))));
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
    List<TlsRptCounts> day = normalized(store.counts(DAY));
    assertThat(day).hasSize(2);
    PolicyResult none = day.get(0).result();
    assertThat(none.policy()).isEqualTo(NONE);
    assertThat(none.successfulSessions()).isEqualTo(n);
    PolicyResult sts = day.get(1).result();
    assertThat(sts.successfulSessions()).isEqualTo(n);
    assertThat(sts.failedSessions()).isEqualTo(3 * n + n / 2);
    assertThat(sts.failureDetails()).hasSize(2 + threads);
    assertThat(sts.failureDetails().get(0))
        .isEqualTo(detail("certificate-expired", "192.0.2.2", 2 * n));
    assertThat(sts.failureDetails().get(1))
        .isEqualTo(detail("certificate-expired", "192.0.2.1", n));
    PolicyResult next = store.counts(DAY.plusDays(1)).get(0).result();
    assertThat(next.failedSessions()).isEqualTo(n / 2);
  }
}
