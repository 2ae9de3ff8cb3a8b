package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * An SMTP TLS report (RFC 8460 §4): who reports, the period, and per policy the sessions that
 * succeeded and failed. The same type holds a report this SDK produced and one it read; {@link
 * TlsReportJson} writes it and {@link TlsReportReader} reads it. It has no public constructor, so
 * that later versions can add fields without breaking callers; {@link #builder()} makes one.
 * Immutable and thread-safe; equal when all their fields are.
 */
public final class TlsReport {

  /**
   * The largest session count a report holds: 2^53 − 1, the largest integer I-JSON exchanges
   * exactly (RFC 7493 §2.2), which RFC 8460 §4.4 reports are.
   */
  public static final long MAX_COUNT = (1L << 53) - 1;

  private final String organizationName;
  private final DateRange dateRange;
  private final Optional<String> contactInfo;
  private final String reportId;
  private final List<PolicyResult> policies;

  TlsReport(
      String organizationName,
      DateRange dateRange,
      Optional<String> contactInfo,
      String reportId,
      List<PolicyResult> policies) {
    requireNonNull(organizationName, "organizationName");
    requireNonNull(dateRange, "dateRange");
    requireNonNull(contactInfo, "contactInfo");
    requireNonNull(reportId, "reportId");
    policies = List.copyOf(policies);
    this.organizationName = organizationName;
    this.dateRange = dateRange;
    this.contactInfo = contactInfo;
    this.reportId = reportId;
    this.policies = policies;
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
   * Returns {@code organization-name}.
   *
   * @return the organization name
   */
  public String organizationName() {
    return organizationName;
  }

  /**
   * Returns {@code date-range}.
   *
   * @return the date range
   */
  public DateRange dateRange() {
    return dateRange;
  }

  /**
   * Returns {@code contact-info}; the RFC requires it, some reporters omit it.
   *
   * @return the contact info
   */
  public Optional<String> contactInfo() {
    return contactInfo;
  }

  /**
   * Returns {@code report-id}.
   *
   * @return the report id
   */
  public String reportId() {
    return reportId;
  }

  /**
   * Returns {@code policies}, in the order written.
   *
   * @return the policies
   */
  public List<PolicyResult> policies() {
    return policies;
  }

  /**
   * Returns the policy domain the report is about: RFC 8460 §4.1 reports each policy domain on its
   * own, so every policy block names the same one.
   *
   * @return the domain, or empty if a policy names none, names an invalid one, or they differ
   */
  public Optional<DomainName> policyDomain() {
    DomainName found = null;
    for (PolicyResult result : policies) {
      Optional<String> text = result.policy().domain();
      if (text.isEmpty()) {
        return Optional.empty();
      }
      DomainName domain;
      try {
        domain = DomainName.parse(text.get());
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      if (found != null && !found.equals(domain)) {
        return Optional.empty();
      }
      found = domain;
    }
    return Optional.ofNullable(found);
  }

  /**
   * Adds up the successful sessions of every policy.
   *
   * @return the total
   */
  public long successfulSessions() {
    return policies.stream().mapToLong(PolicyResult::successfulSessions).sum();
  }

  /**
   * Adds up the failed sessions of every policy.
   *
   * @return the total
   */
  public long failedSessions() {
    return policies.stream().mapToLong(PolicyResult::failedSessions).sum();
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code TlsReport} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof TlsReport o
        && organizationName.equals(o.organizationName)
        && dateRange.equals(o.dateRange)
        && contactInfo.equals(o.contactInfo)
        && reportId.equals(o.reportId)
        && policies.equals(o.policies);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(organizationName, dateRange, contactInfo, reportId, policies);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "TlsReport[organizationName="
        + organizationName
        + ", dateRange="
        + dateRange
        + ", contactInfo="
        + contactInfo
        + ", reportId="
        + reportId
        + ", policies="
        + policies
        + "]";
  }

  /** Builds {@link TlsReport} values; not thread-safe. */
  public static final class Builder {
    private String organizationName;
    private DateRange dateRange;
    private Optional<String> contactInfo = Optional.empty();
    private String reportId;
    private List<PolicyResult> policies = List.of();

    private Builder() {}

    /**
     * Sets {@code organization-name}. Required.
     *
     * @param organizationName the organization name
     * @return this builder
     */
    public Builder organizationName(String organizationName) {
      this.organizationName = organizationName;
      return this;
    }

    /**
     * Sets {@code date-range}. Required.
     *
     * @param dateRange the date range
     * @return this builder
     */
    public Builder dateRange(DateRange dateRange) {
      this.dateRange = dateRange;
      return this;
    }

    /**
     * Sets {@code contact-info}; the RFC requires it, some reporters omit it. Empty by default.
     *
     * @param contactInfo the contact info
     * @return this builder
     */
    public Builder contactInfo(Optional<String> contactInfo) {
      this.contactInfo = contactInfo;
      return this;
    }

    /**
     * Sets {@code report-id}. Required.
     *
     * @param reportId the report id
     * @return this builder
     */
    public Builder reportId(String reportId) {
      this.reportId = reportId;
      return this;
    }

    /**
     * Sets {@code policies}, in the order written. Empty by default.
     *
     * @param policies the policies
     * @return this builder
     */
    public Builder policies(List<PolicyResult> policies) {
      this.policies = policies;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if organizationName, dateRange, reportId is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public TlsReport build() {
      return new TlsReport(organizationName, dateRange, contactInfo, reportId, policies);
    }
  }
}
