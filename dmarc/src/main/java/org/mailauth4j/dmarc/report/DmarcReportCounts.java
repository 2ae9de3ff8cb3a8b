package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * The messages counted under one report record on one UTC day: what a {@link DmarcReportCollector}
 * hands its {@link DmarcReportStore}, and what the store gives back to build the day's reports (RFC
 * 9990 §3.1). The policy published says which report the record belongs to (one per policy domain
 * and configuration); the record's {@link ReportRecord#count() count} is the number of messages,
 * and everything else in it is the group they share. Counts of the same day, policy and {@linkplain
 * ReportRecord#sameGroup(ReportRecord) group} add up. Immutable.
 *
 * @param day the UTC day the messages were evaluated on
 * @param policy the policy published, with its domain
 * @param record the group of messages and their count
 */
public record DmarcReportCounts(LocalDate day, PublishedPolicy policy, ReportRecord record) {

  /**
   * Creates counts.
   *
   * @param day the UTC day
   * @param policy the policy published
   * @param record the record, with the number of messages as its count
   */
  public DmarcReportCounts {
    requireNonNull(day, "day");
    requireNonNull(policy, "policy");
    requireNonNull(record, "record");
  }

  /**
   * Returns the number of messages: the record's count.
   *
   * @return the count
   */
  public long count() {
    return record.count();
  }

  /**
   * Returns these counts with another number of messages.
   *
   * @param count the count, at least 0
   * @return the counts
   */
  public DmarcReportCounts withCount(long count) {
    return new DmarcReportCounts(day, policy, record.withCount(count));
  }
}
