package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.testkit.MutableClock;

/** Sixteen MTA threads adding messages at once, while flushes run, lose no message. */
class DmarcReportCollectorConcurrencyTest {
  private static final int THREADS = 16;
  private static final int MESSAGES = 25_000;
  private static final LocalDate DAY = LocalDate.parse("2026-05-01");

  @Test
  void losesNoMessageUnderSixteenThreadsWithFlushesInBetween() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    DmarcReportCollectorTest.Mail mail = new DmarcReportCollectorTest.Mail(clock);
    // per thread: a pass at example.com from a shared address, failures at quarantine.example
    // and testing.example from an address of the thread's own
    List<List<MessageAuthentication>> messages = new ArrayList<>();
    MessageAuthentication pass = mail.aligned();
    for (int t = 0; t < THREADS; t++) {
      String own = "198.51.100." + (t + 1);
      messages.add(
          List.of(
              pass,
              mail.unaligned("x@quarantine.example", own),
              mail.unaligned("x@testing.example", own)));
    }
    InMemoryDmarcReportStore store = new InMemoryDmarcReportStore();
    DmarcReportCollector collector =
        DmarcReportCollector.builder("Example Receiver", "dmarc-reports@mx.example.org", store)
            .clock(clock)
            .maxPendingKeys(20) // 1 + 2 x 16 keys: automatic flushes all the time
            .build();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<MessageAuthentication> own = messages.get(t);
        int offset = t;
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < MESSAGES; i++) {
                    collector.add(own.get((i + offset) % own.size()));
                  }
                  return null;
                }));
      }
      Future<?> flusher =
          pool.submit(
              () -> {
                start.await();
                while (!done.get()) {
                  collector.flush();
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

    List<AggregateReport> reports = collector.reports(DAY);

    long[] n = new long[3];
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < MESSAGES; i++) {
        n[(i + t) % 3]++;
      }
    }
    assertThat(reports)
        .extracting(r -> r.policy().domain())
        .containsExactly("example.com", "quarantine.example", "testing.example");
    assertThat(reports.get(0).records()).singleElement();
    assertThat(reports.get(0).messageCount()).isEqualTo(n[0]);
    assertThat(reports.get(1).records()).hasSize(THREADS);
    assertThat(reports.get(1).messageCount()).isEqualTo(n[1]);
    assertThat(reports.get(2).records()).hasSize(THREADS);
    assertThat(reports.get(2).messageCount()).isEqualTo(n[2]);
    // each thread's own address got exactly its messages
    for (int t = 0; t < THREADS; t++) {
      long expected = 0;
      for (int i = 0; i < MESSAGES; i++) {
        expected += (i + t) % 3 == 1 ? 1 : 0;
      }
      String own = "198.51.100." + (t + 1);
      assertThat(
              reports.get(1).records().stream()
                  .filter(r -> ReportText.address(r.sourceIp()).equals(own))
                  .mapToLong(ReportRecord::count)
                  .sum())
          .as(own)
          .isEqualTo(expected);
    }
    assertThat(reports.stream().mapToLong(AggregateReport::messageCount).sum())
        .isEqualTo((long) THREADS * MESSAGES);
  }
}
