package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The messages counted under one report record on one UTC day: what a {@link DmarcReportCollector}
 * hands its {@link DmarcReportStore}, and what the store gives back to build the day's reports (RFC
 * 9990 §3.1). The policy published says which report the record belongs to (one per policy domain
 * and configuration); the record's {@link ReportRecord#count() count} is the number of messages,
 * and everything else in it is the group they share. Counts of the same day, policy and {@linkplain
 * ReportRecord#sameGroup(ReportRecord) group} add up. It has no public constructor, so that later
 * versions can add fields without breaking callers; {@link #builder()} makes one. Immutable and
 * thread-safe; equal when all their fields are.
 */
public final class DmarcReportCounts {

  private final LocalDate day;
  private final PublishedPolicy policy;
  private final ReportRecord record;

  DmarcReportCounts(LocalDate day, PublishedPolicy policy, ReportRecord record) {
    requireNonNull(day, "day");
    requireNonNull(policy, "policy");
    requireNonNull(record, "record");
    this.day = day;
    this.policy = policy;
    this.record = record;
  }

  /**
   * Returns a new builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the UTC day the messages were evaluated on.
   *
   * @return the day
   */
  public LocalDate day() {
    return day;
  }

  /**
   * Returns the policy published, with its domain.
   *
   * @return the policy
   */
  public PublishedPolicy policy() {
    return policy;
  }

  /**
   * Returns the group of messages and their count.
   *
   * @return the record
   */
  public ReportRecord record() {
    return record;
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

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code DmarcReportCounts} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof DmarcReportCounts o
        && day.equals(o.day)
        && policy.equals(o.policy)
        && record.equals(o.record);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(day, policy, record);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "DmarcReportCounts[day=" + day + ", policy=" + policy + ", record=" + record + "]";
  }

  /** Builds {@link DmarcReportCounts} values; not thread-safe. */
  public static final class Builder {
    private LocalDate day;
    private PublishedPolicy policy;
    private ReportRecord record;

    private Builder() {}

    /**
     * Sets the UTC day the messages were evaluated on. Required.
     *
     * @param day the day
     * @return this builder
     */
    public Builder day(LocalDate day) {
      this.day = day;
      return this;
    }

    /**
     * Sets the policy published, with its domain. Required.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(PublishedPolicy policy) {
      this.policy = policy;
      return this;
    }

    /**
     * Sets the group of messages and their count. Required.
     *
     * @param record the record
     * @return this builder
     */
    public Builder record(ReportRecord record) {
      this.record = record;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if day, policy, record is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public DmarcReportCounts build() {
      return new DmarcReportCounts(day, policy, record);
    }
  }
}
