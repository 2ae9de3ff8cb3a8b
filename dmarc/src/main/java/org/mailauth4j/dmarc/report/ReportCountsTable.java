package org.mailauth4j.dmarc.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts summed by day, policy and group: the in-memory store's content, and what a collector sums
 * a store's answer into before it builds reports. Not thread-safe; its owners lock.
 */
final class ReportCountsTable {
  /** Per day, per policy, the groups (records of count 0) and their sums. */
  private final TreeMap<LocalDate, Map<PublishedPolicy, Map<ReportRecord, long[]>>> days =
      new TreeMap<>();

  void add(DmarcReportCounts counts) {
    long[] n =
        days.computeIfAbsent(counts.day(), d -> new LinkedHashMap<>())
            .computeIfAbsent(counts.policy(), p -> new LinkedHashMap<>())
            .computeIfAbsent(counts.record().withCount(0), r -> new long[1]);
    n[0] = Math.addExact(n[0], counts.count());
  }

  void addAll(List<DmarcReportCounts> batch) {
    for (DmarcReportCounts c : batch) {
      add(c);
    }
  }

  List<LocalDate> days() {
    return List.copyOf(days.keySet());
  }

  List<DmarcReportCounts> counts(LocalDate day) {
    Map<PublishedPolicy, Map<ReportRecord, long[]>> policies = days.get(day);
    if (policies == null) {
      return List.of();
    }
    List<DmarcReportCounts> out = new ArrayList<>();
    for (Map.Entry<PublishedPolicy, Map<ReportRecord, long[]>> p : policies.entrySet()) {
      for (Map.Entry<ReportRecord, long[]> r : p.getValue().entrySet()) {
        out.add(new DmarcReportCounts(day, p.getKey(), r.getKey().withCount(r.getValue()[0])));
      }
    }
    return out;
  }

  /** The policies of a day and their records, each group once with its sum. */
  Map<PublishedPolicy, List<ReportRecord>> byPolicy(LocalDate day) {
    Map<PublishedPolicy, List<ReportRecord>> out = new LinkedHashMap<>();
    for (DmarcReportCounts c : counts(day)) {
      out.computeIfAbsent(c.policy(), p -> new ArrayList<>()).add(c.record());
    }
    return out;
  }

  void remove(LocalDate day) {
    days.remove(day);
  }
}
