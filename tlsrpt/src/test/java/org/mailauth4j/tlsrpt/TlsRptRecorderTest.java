package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.tlsrpt.Sessions.COMPANY_Y;
import static org.mailauth4j.tlsrpt.Sessions.COMPANY_Y_ENFORCE;
import static org.mailauth4j.tlsrpt.Sessions.DANE;
import static org.mailauth4j.tlsrpt.Sessions.NO_POLICY;
import static org.mailauth4j.tlsrpt.Sessions.failure;
import static org.mailauth4j.tlsrpt.Sessions.ip;
import static org.mailauth4j.tlsrpt.Sessions.success;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.MutableClock;

class TlsRptRecorderTest {
  private static final LocalDate DAY = LocalDate.parse("2016-04-01");
  private static final Instant NOON = Instant.parse("2016-04-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOON);
  private final InMemoryTlsRptStore store = new InMemoryTlsRptStore();

  private TlsRptRecorder.Builder recorder() {
    return TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
        .clock(clock)
        .random(new Random(8460));
  }

  private void nextDay() {
    clock.advance(Duration.ofDays(1));
  }

  /** RFC 8460 Appendix B's sessions, and two other policy domains, for one day. */
  private static void recordTheExampleDay(TlsRptRecorder r) {
    for (int i = 0; i < 5326; i++) {
      r.record(success(COMPANY_Y, "mx1.mail.company-y.example"), ip("2001:db8:abcd:12::1"));
    }
    for (int i = 0; i < 100; i++) {
      r.record(
          failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED),
          ip("2001:db8:abcd:0012::1"));
    }
    MxVerdict starttls =
        failure(COMPANY_Y, "mx2.mail.company-y.example", TlsRptResultType.STARTTLS_NOT_SUPPORTED)
            .withReceivingIp(ip("203.0.113.56"));
    for (int i = 0; i < 200; i++) {
      r.record(starttls, ip("2001:db8:abcd:13::1"));
    }
    MxVerdict validation =
        failure(COMPANY_Y, "mx-backup.mail.company-y.example", TlsRptResultType.VALIDATION_FAILURE)
            .toBuilder()
            .failureReasonCode("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED")
            .receivingIp(ip("203.0.113.58"))
            .build();
    for (int i = 0; i < 3; i++) {
      r.record(validation, ip("198.51.100.62"));
    }
    for (int i = 0; i < 10; i++) {
      r.record(success(NO_POLICY, "mx.example.net"), ip("198.51.100.62"));
    }
    for (int i = 0; i < 2; i++) {
      r.record(success(DANE, "mx.example.org"), ip("198.51.100.62"));
    }
    r.record(
        failure(DANE, "mx.example.org", TlsRptResultType.DANE_REQUIRED)
            .withReceivingHelo("mx.example.org"),
        ip("198.51.100.62"));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in =
        TlsRptRecorderTest.class.getResourceAsStream("/tlsrpt/recorder/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return new String(in.readAllBytes(), UTF_8).strip();
    }
  }

  @Test
  void writesTheDaysReportsAsTheGoldenJson() throws IOException {
    TlsRptRecorder r = recorder().build();
    recordTheExampleDay(r);
    nextDay();

    List<TlsReport> reports = r.reports(DAY);

    assertThat(reports)
        .extracting(t -> t.policies().get(0).policy().domain().orElseThrow())
        .containsExactly("company-y.example", "example.net", "mx.example.org");
    for (TlsReport report : reports) {
      String domain = report.policies().get(0).policy().domain().orElseThrow();
      assertThat(new String(TlsReportJson.toJson(report), UTF_8))
          .as(domain)
          .isEqualTo(golden(domain + ".json"));
    }
  }

  @Test
  void writesTheSameReportsHoweverTheSessionsWereFlushed() {
    TlsRptRecorder once = recorder().build();
    recordTheExampleDay(once);
    InMemoryTlsRptStore other = new InMemoryTlsRptStore();
    TlsRptRecorder often =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", other)
            .clock(clock)
            .random(new Random(8460))
            .maxPendingKeys(2)
            .build();
    recordTheExampleDay(often);
    nextDay();

    assertThat(often.reports(DAY)).isEqualTo(once.reports(DAY));
  }

  @Test
  void countsSuccessesAndFailuresInTheSummary() {
    TlsRptRecorder r = recorder().build();
    recordTheExampleDay(r);
    nextDay();

    TlsReport companyY = r.reports(DAY).get(0);

    assertThat(companyY.successfulSessions()).isEqualTo(5326);
    assertThat(companyY.failedSessions()).isEqualTo(303);
    assertThat(companyY.policies().get(0).failureDetails())
        .extracting(FailureDetail::resultType, FailureDetail::failedSessionCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("starttls-not-supported", 200L),
            org.assertj.core.groups.Tuple.tuple("certificate-expired", 100L),
            org.assertj.core.groups.Tuple.tuple("validation-failure", 3L));
  }

  @Test
  void writesSendingAndReceivingAddressesAsRfc5952Text() {
    TlsRptRecorder r = recorder().build();
    r.record(
        failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED)
            .withReceivingIp(ip("2001:0DB8:0:0:0:0:0:0035")),
        ip("2001:db8:abcd:0012:0000:0000:0000:0001"));
    nextDay();

    FailureDetail d = r.reports(DAY).get(0).policies().get(0).failureDetails().get(0);

    assertThat(d.sendingMtaIp()).contains("2001:db8:abcd:12::1");
    assertThat(d.receivingIp()).contains("2001:db8::35");
    assertThat(d.receivingMxHostname()).contains("mx1.mail.company-y.example");
  }

  @Test
  void leavesTheSendingAddressOutWhenNotGiven() {
    TlsRptRecorder r = recorder().build();
    r.record(
        failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED));
    nextDay();

    FailureDetail d = r.reports(DAY).get(0).policies().get(0).failureDetails().get(0);

    assertThat(d.sendingMtaIp()).isEmpty();
    assertThat(d.receivingIp()).isEmpty();
    assertThat(d.receivingMxHelo()).isEmpty();
    assertThat(d.failureReasonCode()).isEmpty();
  }

  @Test
  void putsTwoPoliciesOfOneDomainInOneReport() {
    TlsRptRecorder r = recorder().build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.record(success(COMPANY_Y_ENFORCE, "mx1.mail.company-y.example"));
    r.record(success(COMPANY_Y_ENFORCE, "mx1.mail.company-y.example"));
    nextDay();

    List<TlsReport> reports = r.reports(DAY);

    assertThat(reports).hasSize(1);
    // policies in order of their strings: "mode: enforce" before "mode: testing"
    assertThat(reports.get(0).policies())
        .extracting(p -> p.policy().strings().get(1), PolicyResult::successfulSessions)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mode: enforce", 2L),
            org.assertj.core.groups.Tuple.tuple("mode: testing", 1L));
  }

  @Test
  void countsEachSessionInTheUtcDayOfItsInstant() {
    MutableClock late = new MutableClock(Instant.parse("2016-04-01T23:59:59.999Z"));
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
            .clock(late)
            .build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    late.advance(Duration.ofMillis(1)); // 2016-04-02T00:00:00Z
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    late.advance(Duration.ofDays(1));

    assertThat(r.reports(DAY).get(0).successfulSessions()).isEqualTo(1);
    assertThat(r.reports(DAY.plusDays(1)).get(0).successfulSessions()).isEqualTo(2);
  }

  @Test
  void usesTheUtcDayWhateverTheClocksZone() {
    // 2016-04-01T23:30Z is already April 2nd in Kiritimati (UTC+14)
    Clock kiritimati =
        Clock.fixed(Instant.parse("2016-04-01T23:30:00Z"), ZoneId.of("Pacific/Kiritimati"));
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
            .clock(kiritimati)
            .build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.flush();

    assertThat(store.days()).containsExactly(DAY);
  }

  @Test
  void coversTheWholeUtcDay() {
    TlsRptRecorder r = recorder().build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();

    DateRange range = r.reports(DAY).get(0).dateRange();

    assertThat(range.start()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
    assertThat(range.end()).isEqualTo(Instant.parse("2016-04-02T00:00:00Z"));
  }

  @Test
  void refusesToReportADayThatIsNotOver() {
    TlsRptRecorder r = recorder().build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));

    assertThatThrownBy(() -> r.reportsAsync(DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not over");
    assertThatThrownBy(() -> r.reports(DAY.plusDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesEachReportUniquelyWithItsDayDomainAndSubmitter() {
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "mailto:sts-reporting@Company-X.example", store)
            .clock(clock)
            .build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();

    String first = r.reports(DAY).get(0).reportId();
    String second = r.reports(DAY).get(0).reportId();

    assertThat(first).matches("2016-04-01-company-y\\.example-[0-9a-f]{32}@company-x\\.example");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void leavesTheSubmitterOutOfTheReportIdWhenTheContactHasNoAddress() {
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "https://company-x.example/tlsrpt", store)
            .clock(clock)
            .build();
    r.record(success(NO_POLICY, "mx.example.net"));
    nextDay();

    TlsReport report = r.reports(DAY).get(0);

    assertThat(report.reportId()).matches("2016-04-01-example\\.net-[0-9a-f]{32}");
    assertThat(report.contactInfo()).contains("https://company-x.example/tlsrpt");
    assertThat(report.organizationName()).isEqualTo("Company-X");
  }

  @Test
  void keepsAtMostTheLimitOfDistinctFailureDetailsAndCountsTheRestAsUnlisted() {
    TlsRptRecorder r = recorder().maxFailureDetails(2).build();
    for (int sender = 1; sender <= 5; sender++) {
      for (int i = 0; i < sender; i++) {
        r.record(
            failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED),
            ip("192.0.2." + sender));
      }
    }
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.flush();

    // within a flush, the first two details seen are kept
    TlsRptCounts counts = store.counts(DAY).get(0);
    assertThat(counts.result().failedSessions()).isEqualTo(15);
    assertThat(counts.result().failureDetails())
        .extracting(d -> d.sendingMtaIp().orElseThrow())
        .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    assertThat(counts.unlistedFailures()).isEqualTo(12);
    nextDay();
    PolicyResult reported = r.reports(DAY).get(0).policies().get(0);
    assertThat(reported.failedSessions()).isEqualTo(15);
    assertThat(reported.successfulSessions()).isEqualTo(1);
    assertThat(reported.failureDetails()).hasSize(2);
  }

  @Test
  void keepsTheMostFrequentDetailsWhenFlushesTogetherExceedTheLimit() {
    TlsRptRecorder r = recorder().maxFailureDetails(2).build();
    for (int sender = 1; sender <= 5; sender++) {
      for (int i = 0; i < sender; i++) {
        r.record(
            failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED),
            ip("192.0.2." + sender));
      }
      r.flush(); // a new window each time, so each sender's detail is admitted
    }
    nextDay();

    PolicyResult reported = r.reports(DAY).get(0).policies().get(0);

    assertThat(reported.failedSessions()).isEqualTo(15);
    assertThat(reported.failureDetails())
        .extracting(d -> d.sendingMtaIp().orElseThrow(), FailureDetail::failedSessionCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("192.0.2.5", 5L),
            org.assertj.core.groups.Tuple.tuple("192.0.2.4", 4L));
  }

  @Test
  void ordersDetailsOfEqualCountsByTheirFields() {
    TlsRptRecorder r = recorder().build();
    r.record(failure(COMPANY_Y, "mx2.mail.company-y.example", TlsRptResultType.VALIDATION_FAILURE));
    r.record(failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.VALIDATION_FAILURE));
    r.record(
        failure(COMPANY_Y, "mx9.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED));
    nextDay();

    assertThat(r.reports(DAY).get(0).policies().get(0).failureDetails())
        .extracting(FailureDetail::resultType, d -> d.receivingMxHostname().orElseThrow())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "certificate-expired", "mx9.mail.company-y.example"),
            org.assertj.core.groups.Tuple.tuple("validation-failure", "mx1.mail.company-y.example"),
            org.assertj.core.groups.Tuple.tuple(
                "validation-failure", "mx2.mail.company-y.example"));
  }

  @Test
  void flushesByItselfWhenThePendingKeysReachTheLimit() {
    TlsRptRecorder r = recorder().maxPendingKeys(3).build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.record(success(NO_POLICY, "mx.example.net"));
    assertThat(store.days()).isEmpty();

    r.record(success(DANE, "mx.example.org")); // the third key

    assertThat(store.counts(DAY)).hasSize(3);
  }

  @Test
  void keepsTheCountsOfAFailedFlushForTheNextOne() {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    TlsRptStore flaky =
        new TlsRptStore() {
          @Override
          public CompletableFuture<Void> addAsync(List<TlsRptCounts> batch) {
            if (failuresLeft.getAndDecrement() > 0) {
              return CompletableFuture.failedFuture(new IllegalStateException("database down"));
            }
            return store.addAsync(batch);
          }

          @Override
          public CompletableFuture<List<TlsRptCounts>> countsAsync(LocalDate day) {
            return store.countsAsync(day);
          }

          @Override
          public CompletableFuture<List<LocalDate>> daysAsync() {
            return store.daysAsync();
          }

          @Override
          public CompletableFuture<Void> removeAsync(LocalDate day) {
            return store.removeAsync(day);
          }
        };
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", flaky)
            .clock(clock)
            .build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.record(
        failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED));

    assertThatThrownBy(r::flush)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("database down");
    assertThat(store.days()).isEmpty();

    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.flush();

    PolicyResult stored = store.counts(DAY).get(0).result();
    assertThat(stored.successfulSessions()).isEqualTo(2);
    assertThat(stored.failedSessions()).isEqualTo(1);
    assertThat(stored.failureDetails())
        .extracting(FailureDetail::failedSessionCount)
        .containsExactly(1L);
  }

  /** A store whose adds complete only when the test says, into the in-memory store. */
  private final class LateStore implements TlsRptStore {
    final List<CompletableFuture<Void>> opened = new CopyOnWriteArrayList<>();
    final List<List<TlsRptCounts>> batches = new CopyOnWriteArrayList<>();
    final List<UUID> ids = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> addAsync(List<TlsRptCounts> batch) {
      return addAsync(UUID.randomUUID(), batch);
    }

    @Override
    public CompletableFuture<Void> addAsync(UUID id, List<TlsRptCounts> batch) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      ids.add(id);
      batches.add(batch);
      opened.add(f);
      return f;
    }

    /** Stores the n-th batch and completes its add. */
    void complete(int n) {
      store.add(batches.get(n));
      opened.get(n).complete(null);
    }

    void fail(int n) {
      opened.get(n).completeExceptionally(new IllegalStateException("database down"));
    }

    @Override
    public CompletableFuture<List<TlsRptCounts>> countsAsync(LocalDate day) {
      return store.countsAsync(day);
    }

    @Override
    public CompletableFuture<List<LocalDate>> daysAsync() {
      return store.daysAsync();
    }

    @Override
    public CompletableFuture<Void> removeAsync(LocalDate day) {
      return store.removeAsync(day);
    }
  }

  private TlsRptRecorder recorderOn(TlsRptStore s) {
    return TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", s)
        .clock(clock)
        .maxPendingKeys(1)
        .build();
  }

  @Test
  void waitsForAnAutomaticFlushStillInFlightBeforeReportingTheDay() {
    LateStore late = new LateStore();
    TlsRptRecorder r = recorderOn(late);
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example")); // starts a flush
    assertThat(late.opened).hasSize(1);
    nextDay();

    CompletableFuture<List<TlsReport>> reports = r.reportsAsync(DAY);

    assertThat(reports).isNotDone();
    late.complete(0);
    assertThat(reports.join())
        .singleElement()
        .satisfies(t -> assertThat(t.successfulSessions()).isEqualTo(1));
    r.remove(DAY);
    assertThat(store.days()).isEmpty();
  }

  @Test
  void removesADayOnlyOnceTheAddsInFlightHaveSettled() {
    LateStore late = new LateStore();
    TlsRptRecorder r = recorderOn(late);
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();

    CompletableFuture<Void> removed = r.removeAsync(DAY);

    assertThat(removed).isNotDone();
    late.complete(0);
    removed.join();
    // the late add did not make the day again, so no second report of it goes out
    assertThat(store.days()).isEmpty();
    assertThat(r.reports(DAY)).isEmpty();
  }

  @Test
  void failsTheReportsWhenAnAddInFlightFailsAndReportsItsCountsNextTime() {
    LateStore late = new LateStore();
    TlsRptRecorder r = recorderOn(late);
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();

    CompletableFuture<List<TlsReport>> reports = r.reportsAsync(DAY);
    late.fail(0);

    assertThatThrownBy(reports::join)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("database down");
    CompletableFuture<List<TlsReport>> again = r.reportsAsync(DAY); // sends the kept batch again
    late.complete(1);
    assertThat(again.join())
        .singleElement()
        .satisfies(t -> assertThat(t.successfulSessions()).isEqualTo(1));
  }

  @Test
  void countsASessionThatReadTheLastMillisecondIntoTheReportOfThatDay() throws Exception {
    MutableClock base = new MutableClock(Instant.parse("2016-04-01T23:59:59.999Z"));
    AtomicReference<TlsRptRecorder> recorder = new AtomicReference<>();
    AtomicReference<CompletableFuture<List<TlsReport>>> reports = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean();
    // the session's read of the clock: the day ends just after it, and its reports are built
    // meanwhile; the read returns once they have swapped the pending window or are done
    Clock racing =
        new Clock() {
          @Override
          public Instant instant() {
            Instant now = base.instant();
            if (armed.compareAndSet(true, false)) {
              base.advance(Duration.ofMillis(1));
              CompletableFuture<List<TlsReport>> f =
                  CompletableFuture.supplyAsync(() -> recorder.get().reports(DAY));
              reports.set(f);
              while (!f.isDone() && !recorder.get().toString().contains(" 0 keys pending")) {
                Thread.onSpinWait();
              }
            }
            return now;
          }

          @Override
          public ZoneId getZone() {
            return ZoneId.of("UTC");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }
        };
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
            .clock(racing)
            .build();
    recorder.set(r);
    r.record(success(NO_POLICY, "mx.example.net")); // one key pending, until the swap
    armed.set(true);

    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));

    assertThat(reports.get().get(1, TimeUnit.MINUTES))
        .extracting(TlsReport::successfulSessions)
        .containsExactly(1L, 1L);
    r.flush();
    r.remove(DAY);
    r.flush();
    assertThat(store.days()).isEmpty(); // nothing came after the day's reports
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void flushesByItselfAgainOnceAStoreThatNeverAnswersTimedOut() {
    LateStore hung = new LateStore(); // no add completes, unless the test says
    TlsRptRecorder r =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", hung)
            .clock(clock)
            .maxPendingKeys(1)
            .storeTimeout(Duration.ofMillis(20))
            .build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example")); // the first automatic flush

    // once it timed out, a session that fills the window starts the next one
    while (hung.opened.size() < 2) {
      r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
      Thread.onSpinWait();
    }

    assertThat(hung.opened.get(0)).isNotDone(); // the store's own future is left alone
    assertThat(hung.ids.get(1)).isEqualTo(hung.ids.get(0)); // sent again, under its id
  }

  @Test
  void refusesAStoreTimeoutThatIsNotPositive() {
    TlsRptRecorder.Builder b = recorder();
    assertThatThrownBy(() -> b.storeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.storeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listsTheCompletedDaysAndRemovesOneOnceReported() {
    TlsRptRecorder r = recorder().build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    r.flush();

    assertThat(r.completedDays()).containsExactly(DAY, DAY.plusDays(1));
    r.remove(DAY);
    assertThat(r.completedDays()).containsExactly(DAY.plusDays(1));
    assertThat(store.days()).containsExactly(DAY.plusDays(1), DAY.plusDays(2));
  }

  @Test
  void reportsNothingForADayWithoutSessions() {
    TlsRptRecorder r = recorder().build();
    nextDay();

    assertThat(r.reports(DAY)).isEmpty();
    assertThat(r.reportsAsync(DAY).join()).isEmpty();
  }

  @Test
  void refusesLimitsBelowOne() {
    assertThatThrownBy(() -> recorder().maxFailureDetails(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> recorder().maxPendingKeys(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsTheContactInformationAsGiven() {
    TlsRptRecorder r = recorder().build();
    r.record(success(COMPANY_Y, "mx1.mail.company-y.example"));
    nextDay();

    assertThat(r.reports(DAY).get(0).contactInfo())
        .isEqualTo(Optional.of("sts-reporting@company-x.example"));
  }
}
