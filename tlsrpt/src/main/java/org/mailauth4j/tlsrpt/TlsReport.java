package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * An SMTP TLS report (RFC 8460 §4): who reports, the period, and per policy the sessions that
 * succeeded and failed. The same type holds a report this SDK produced and one it read; {@link
 * TlsReportJson} writes it and {@link TlsReportReader} reads it. Immutable.
 *
 * @param organizationName {@code organization-name}
 * @param dateRange {@code date-range}
 * @param contactInfo {@code contact-info}; the RFC requires it, some reporters omit it
 * @param reportId {@code report-id}
 * @param policies {@code policies}, in the order written
 */
public record TlsReport(
    String organizationName,
    DateRange dateRange,
    Optional<String> contactInfo,
    String reportId,
    List<PolicyResult> policies) {

  /**
   * The largest session count a report holds: 2^53 − 1, the largest integer I-JSON exchanges
   * exactly (RFC 7493 §2.2), which RFC 8460 §4.4 reports are.
   */
  public static final long MAX_COUNT = (1L << 53) - 1;

  /**
   * Creates a report.
   *
   * @param organizationName the reporting organization
   * @param dateRange the period
   * @param contactInfo the contact, or empty
   * @param reportId the report id
   * @param policies the policy results
   */
  public TlsReport {
    requireNonNull(organizationName, "organizationName");
    requireNonNull(dateRange, "dateRange");
    requireNonNull(contactInfo, "contactInfo");
    requireNonNull(reportId, "reportId");
    policies = List.copyOf(policies);
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
}
