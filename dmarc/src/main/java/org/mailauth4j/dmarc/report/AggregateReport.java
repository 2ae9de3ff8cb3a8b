package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DMARC aggregate report ({@code feedback}, RFC 9990 §3; RFC 7489 §7.2 and Appendix C): who
 * reports, for which period and policy domain, the policy published, and one {@link ReportRecord}
 * per group of messages. The model holds the union of both generations' elements, so that a report
 * of either parses into it and a produced one writes in either form ({@link ReportFormat}).
 *
 * <p>Produced by {@code DmarcReportCollector}, written by {@code AggregateReportXml}, read by
 * {@code AggregateReportReader}; a produced report written and read back is equal to itself.
 * Immutable; made with {@link #builder(ReportMetadata, PublishedPolicy)}.
 */
public final class AggregateReport {
  private final Optional<String> version;
  private final ReportMetadata metadata;
  private final PublishedPolicy policy;
  private final List<ReportExtension> extensions;
  private final List<ReportRecord> records;

  private AggregateReport(Builder b) {
    this.version = b.version;
    this.metadata = b.metadata;
    this.policy = b.policy;
    this.extensions = List.copyOf(b.extensions);
    this.records = List.copyOf(b.records);
  }

  /**
   * Starts a builder.
   *
   * @param metadata the report's metadata
   * @param policy the policy published
   * @return a builder without records
   */
  public static Builder builder(ReportMetadata metadata, PublishedPolicy policy) {
    return new Builder(requireNonNull(metadata, "metadata"), requireNonNull(policy, "policy"));
  }

  /**
   * Starts a builder with this report's values.
   *
   * @return a builder
   */
  public Builder newBuilder() {
    Builder b = new Builder(metadata, policy);
    b.version = version;
    b.extensions.addAll(extensions);
    b.records.addAll(records);
    return b;
  }

  /**
   * Returns the report format version ({@code version}), as written: {@code 1.0} in RFC 9990
   * reports, often absent.
   *
   * @return the version, or empty
   */
  public Optional<String> version() {
    return version;
  }

  /**
   * Returns the metadata.
   *
   * @return the metadata
   */
  public ReportMetadata metadata() {
    return metadata;
  }

  /**
   * Returns the policy published.
   *
   * @return the policy
   */
  public PublishedPolicy policy() {
    return policy;
  }

  /**
   * Returns the report-level extension elements (the children of {@code extension}).
   *
   * @return the extensions, usually empty
   */
  public List<ReportExtension> extensions() {
    return extensions;
  }

  /**
   * Returns the records, in the order of the report.
   *
   * @return the records
   */
  public List<ReportRecord> records() {
    return records;
  }

  /**
   * Returns the number of messages the report covers: the sum of the records' counts, saturating at
   * {@link Long#MAX_VALUE} (counts in received reports are untrusted).
   *
   * @return the total
   */
  public long messageCount() {
    long total = 0;
    for (ReportRecord r : records) {
      total += r.count();
      if (total < 0) {
        return Long.MAX_VALUE;
      }
    }
    return total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateReport r
        && r.version.equals(version)
        && r.metadata.equals(metadata)
        && r.policy.equals(policy)
        && r.extensions.equals(extensions)
        && r.records.equals(records);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, metadata, policy, extensions, records);
  }

  @Override
  public String toString() {
    return "DMARC aggregate report "
        + metadata
        + " for "
        + policy
        + ": "
        + records.size()
        + " records, "
        + messageCount()
        + " messages";
  }

  /** Builds {@link AggregateReport}; not thread-safe. */
  public static final class Builder {
    private final ReportMetadata metadata;
    private final PublishedPolicy policy;
    private Optional<String> version = Optional.empty();
    private final List<ReportExtension> extensions = new ArrayList<>();
    private final List<ReportRecord> records = new ArrayList<>();

    private Builder(ReportMetadata metadata, PublishedPolicy policy) {
      this.metadata = metadata;
      this.policy = policy;
    }

    /**
     * Sets the version.
     *
     * @param version the version as written, or empty
     * @return this builder
     */
    public Builder version(Optional<String> version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /**
     * Adds a report-level extension.
     *
     * @param extension the extension
     * @return this builder
     */
    public Builder addExtension(ReportExtension extension) {
      extensions.add(requireNonNull(extension, "extension"));
      return this;
    }

    /**
     * Adds a record.
     *
     * @param record the record
     * @return this builder
     */
    public Builder addRecord(ReportRecord record) {
      records.add(requireNonNull(record, "record"));
      return this;
    }

    /**
     * Adds records.
     *
     * @param records the records
     * @return this builder
     */
    public Builder addRecords(List<ReportRecord> records) {
      records.forEach(this::addRecord);
      return this;
    }

    /**
     * Builds the report.
     *
     * @return the report
     */
    public AggregateReport build() {
      return new AggregateReport(this);
    }
  }
}
