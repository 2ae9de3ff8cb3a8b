package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.tlsrpt.Sessions.COMPANY_Y;
import static org.mailauth4j.tlsrpt.Sessions.DANE;
import static org.mailauth4j.tlsrpt.Sessions.NO_POLICY;
import static org.mailauth4j.tlsrpt.Sessions.failure;
import static org.mailauth4j.tlsrpt.Sessions.ip;
import static org.mailauth4j.tlsrpt.Sessions.success;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.MutableClock;

/** Sixteen MTA threads recording at once, while flushes run, lose no session. */
class TlsRptRecorderConcurrencyTest {
  private static final int THREADS = 16;
  private static final int SESSIONS = 25_000;
  private static final LocalDate DAY = LocalDate.parse("2016-04-01");

  private static final MxVerdict[] VERDICTS = {
    success(COMPANY_Y, "mx1.mail.company-y.example"),
    success(COMPANY_Y, "mx2.mail.company-y.example"),
    failure(COMPANY_Y, "mx1.mail.company-y.example", TlsRptResultType.CERTIFICATE_EXPIRED),
    failure(COMPANY_Y, "mx2.mail.company-y.example", TlsRptResultType.STARTTLS_NOT_SUPPORTED),
    success(NO_POLICY, "mx.example.net"),
    success(DANE, "mx.example.org"),
    failure(DANE, "mx.example.org", TlsRptResultType.DANE_REQUIRED),
  };

  /** Records from every thread, with a flushing thread and automatic flushes in between. */
  private static List<TlsReport> recordConcurrently(TlsRptRecorder recorder, MutableClock clock)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        InetAddress sender = ip("192.0.2." + (t + 1));
        int offset = t;
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < SESSIONS; i++) {
                    recorder.record(VERDICTS[(i + offset) % VERDICTS.length], sender);
                  }
                  return null;
                }));
      }
      Future<?> flusher =
          pool.submit(
              () -> {
                start.await();
                while (!done.get()) {
                  recorder.flush();
                }
                return null;
              });
      start.countDown();
      for (Future<?> w : writers) {
        w.get(2, TimeUnit.MINUTES);
      }
      done.set(true);
      flusher.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    clock.advance(Duration.ofDays(1));
    return recorder.reports(DAY);
  }

  /** What each thread recorded, summed: sessions of verdict i over all threads. */
  private static long[] expectedPerVerdict() {
    long[] n = new long[VERDICTS.length];
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < SESSIONS; i++) {
        n[(i + t) % VERDICTS.length]++;
      }
    }
    return n;
  }

  @Test
  void losesNoSessionUnderSixteenThreadsWithFlushesInBetween() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2016-04-01T12:00:00Z"));
    InMemoryTlsRptStore store = new InMemoryTlsRptStore();
    TlsRptRecorder recorder =
        TlsRptRecorder.builder("Company-X", "sts-reporting@company-x.example", store)
            .clock(clock)
            .maxPendingKeys(40) // 7 verdicts x 16 senders: automatic flushes all the time
            .build();

    List<TlsReport> reports = recordConcurrently(recorder, clock);

    long[] n = expectedPerVerdict();
    assertThat(reports).hasSize(3);
    TlsReport companyY = reports.get(0);
    assertThat(companyY.successfulSessions()).isEqualTo(n[0] + n[1]);
    assertThat(companyY.failedSessions()).isEqualTo(n[2] + n[3]);
    assertThat(
            companyY.policies().get(0).failureDetails().stream()
                .mapToLong(FailureDetail::failedSessionCount)
                .sum())
        .isEqualTo(n[2] + n[3]);
    assertThat(companyY.policies().get(0).failureDetails()).hasSize(2 * THREADS);
    assertThat(reports.get(1).successfulSessions()).isEqualTo(n[4]);
    assertThat(reports.get(2).successfulSessions()).isEqualTo(n[5]);
    assertThat(reports.get(2).failedSessions()).isEqualTo(n[6]);
    long total = 0;
    for (TlsReport r : reports) {
      total += r.successfulSessions() + r.failedSessions();
    }
    assertThat(total).isEqualTo((long) THREADS * SESSIONS);
  }
}
