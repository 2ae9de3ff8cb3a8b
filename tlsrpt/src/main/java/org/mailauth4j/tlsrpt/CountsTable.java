package org.mailauth4j.tlsrpt;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Counts summed by day, policy and failure detail: the in-memory store's content, and the batches a
 * recorder keeps to retry after its store failed. Not thread-safe; its owners lock.
 */
final class CountsTable {
  private final TreeMap<LocalDate, Map<ReportedPolicy, Sums>> days = new TreeMap<>();

  /** The sums under one policy; details are keyed by a copy whose count is zero. */
  private static final class Sums {
    long successful;
    long failed;
    final Map<FailureDetail, long[]> details = new LinkedHashMap<>();
  }

  void add(TlsRptCounts counts) {
    PolicyResult r = counts.result();
    Sums sums =
        days.computeIfAbsent(counts.day(), d -> new LinkedHashMap<>())
            .computeIfAbsent(r.policy(), p -> new Sums());
    sums.successful = Math.addExact(sums.successful, r.successfulSessions());
    sums.failed = Math.addExact(sums.failed, r.failedSessions());
    for (FailureDetail d : r.failureDetails()) {
      long[] n = sums.details.computeIfAbsent(withCount(d, 0), k -> new long[1]);
      n[0] = Math.addExact(n[0], d.failedSessionCount());
    }
  }

  void addAll(List<TlsRptCounts> batch) {
    for (TlsRptCounts counts : batch) {
      add(counts);
    }
  }

  boolean isEmpty() {
    return days.isEmpty();
  }

  List<LocalDate> days() {
    return List.copyOf(days.keySet());
  }

  List<TlsRptCounts> counts(LocalDate day) {
    Map<ReportedPolicy, Sums> policies = days.get(day);
    if (policies == null) {
      return List.of();
    }
    List<TlsRptCounts> out = new ArrayList<>(policies.size());
    for (Map.Entry<ReportedPolicy, Sums> e : policies.entrySet()) {
      Sums s = e.getValue();
      List<FailureDetail> details = new ArrayList<>(s.details.size());
      for (Map.Entry<FailureDetail, long[]> d : s.details.entrySet()) {
        details.add(withCount(d.getKey(), d.getValue()[0]));
      }
      out.add(new TlsRptCounts(day, new PolicyResult(e.getKey(), s.successful, s.failed, details)));
    }
    return out;
  }

  /** Every day's counts, earliest day first. */
  List<TlsRptCounts> all() {
    List<TlsRptCounts> out = new ArrayList<>();
    for (LocalDate day : days.keySet()) {
      out.addAll(counts(day));
    }
    return out;
  }

  void remove(LocalDate day) {
    days.remove(day);
  }

  static FailureDetail withCount(FailureDetail d, long count) {
    return new FailureDetail(
        d.resultType(),
        d.sendingMtaIp(),
        d.receivingMxHostname(),
        d.receivingMxHelo(),
        d.receivingIp(),
        count,
        d.additionalInformation(),
        d.failureReasonCode());
  }

  static String orEmpty(Optional<String> value) {
    return value.orElse("");
  }
}
