package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Totals over one or many received reports, as a monitoring product shows them: sessions that
 * succeeded and failed, and the failed sessions by result type, by receiving MX host, by sending
 * MTA address, by policy domain and by reporting organization.
 *
 * <p>The per-type, per-MX and per-address counts add up the {@code failed-session-count}s of {@code
 * failure-details}; the per-domain and per-organization counts and {@link #failedSessions()} add up
 * the {@code total-failure-session-count}s of the summaries. Reporters do not always itemize every
 * failure, nor name every MX or address (Microsoft omits {@code sending-mta-ip}), so the breakdowns
 * may add up to less than the total; a detail without the field is left out of that map. Host names
 * and domains are compared in lower case without a trailing dot, addresses and result types in
 * lower case; otherwise as written. Sums that would pass {@link Long#MAX_VALUE} stay there.
 *
 * <p>Each map iterates from the largest count down, ties in key order. Immutable.
 *
 * <pre>{@code
 * TlsReportSummary week = TlsReportSummary.of(reports);
 * week.failuresByResultType(); // {certificate-expired=100, starttls-not-supported=3}
 * }</pre>
 */
public final class TlsReportSummary {
  private final long reports;
  private final long successfulSessions;
  private final long failedSessions;
  private final Map<String, Long> byResultType;
  private final Map<String, Long> byReceivingMx;
  private final Map<String, Long> bySendingIp;
  private final Map<String, Long> byPolicyDomain;
  private final Map<String, Long> byOrganization;

  private TlsReportSummary(Builder b) {
    this.reports = b.reports;
    this.successfulSessions = b.successfulSessions;
    this.failedSessions = b.failedSessions;
    this.byResultType = sorted(b.byResultType);
    this.byReceivingMx = sorted(b.byReceivingMx);
    this.bySendingIp = sorted(b.bySendingIp);
    this.byPolicyDomain = sorted(b.byPolicyDomain);
    this.byOrganization = sorted(b.byOrganization);
  }

  /**
   * Sums up reports.
   *
   * @param reports the reports, any number
   * @return the summary
   */
  public static TlsReportSummary of(Iterable<TlsReport> reports) {
    return builder().addAll(reports).build();
  }

  /**
   * Sums up reports.
   *
   * @param reports the reports
   * @return the summary
   */
  public static TlsReportSummary of(TlsReport... reports) {
    return of(List.of(reports));
  }

  /**
   * Starts a summary that reports are added to one by one, so that many need not be held at once.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how many reports were added.
   *
   * @return the count
   */
  public long reports() {
    return reports;
  }

  /**
   * Returns the sessions that succeeded, over every policy of every report.
   *
   * @return the sum of {@code total-successful-session-count}
   */
  public long successfulSessions() {
    return successfulSessions;
  }

  /**
   * Returns the sessions that failed, over every policy of every report.
   *
   * @return the sum of {@code total-failure-session-count}
   */
  public long failedSessions() {
    return failedSessions;
  }

  /**
   * Returns the failed sessions by {@code result-type}, such as {@code certificate-expired}.
   *
   * @return counts by type, largest first
   */
  public Map<String, Long> failuresByResultType() {
    return byResultType;
  }

  /**
   * Returns the failed sessions by {@code receiving-mx-hostname}.
   *
   * @return counts by MX host name, largest first
   */
  public Map<String, Long> failuresByReceivingMx() {
    return byReceivingMx;
  }

  /**
   * Returns the failed sessions by {@code sending-mta-ip}.
   *
   * @return counts by address as written, largest first
   */
  public Map<String, Long> failuresBySendingIp() {
    return bySendingIp;
  }

  /**
   * Returns the failed sessions by {@code policy-domain}; policies without a domain are left out.
   *
   * @return counts by domain, largest first
   */
  public Map<String, Long> failuresByPolicyDomain() {
    return byPolicyDomain;
  }

  /**
   * Returns the failed sessions by reporting {@code organization-name}.
   *
   * @return counts by organization as written, largest first
   */
  public Map<String, Long> failuresByOrganization() {
    return byOrganization;
  }

  @Override
  public String toString() {
    return "TlsReportSummary[reports="
        + reports
        + ", successfulSessions="
        + successfulSessions
        + ", failedSessions="
        + failedSessions
        + ", failuresByResultType="
        + byResultType
        + "]";
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> map = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : entries) {
      map.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(map);
  }

  /** Adds reports into a summary. Not thread-safe; {@link #build()} may be called repeatedly. */
  public static final class Builder {
    private long reports;
    private long successfulSessions;
    private long failedSessions;
    private final Map<String, Long> byResultType = new HashMap<>();
    private final Map<String, Long> byReceivingMx = new HashMap<>();
    private final Map<String, Long> bySendingIp = new HashMap<>();
    private final Map<String, Long> byPolicyDomain = new HashMap<>();
    private final Map<String, Long> byOrganization = new HashMap<>();

    private Builder() {}

    /**
     * Adds a report.
     *
     * @param report the report
     * @return this builder
     */
    public Builder add(TlsReport report) {
      requireNonNull(report, "report");
      reports++;
      for (PolicyResult result : report.policies()) {
        successfulSessions = plus(successfulSessions, result.successfulSessions());
        failedSessions = plus(failedSessions, result.failedSessions());
        if (result.failedSessions() > 0) {
          count(byOrganization, Optional.of(report.organizationName()), result.failedSessions());
          count(
              byPolicyDomain, result.policy().domain().map(Builder::host), result.failedSessions());
        }
        for (FailureDetail d : result.failureDetails()) {
          long n = d.failedSessionCount();
          count(byResultType, Optional.of(lower(d.resultType())), n);
          count(byReceivingMx, d.receivingMxHostname().map(Builder::host), n);
          count(bySendingIp, d.sendingMtaIp().map(Builder::lower), n);
        }
      }
      return this;
    }

    /**
     * Adds reports.
     *
     * @param reports the reports
     * @return this builder
     */
    public Builder addAll(Iterable<TlsReport> reports) {
      for (TlsReport report : reports) {
        add(report);
      }
      return this;
    }

    /**
     * Returns the summary of the reports added so far.
     *
     * @return an immutable summary
     */
    public TlsReportSummary build() {
      return new TlsReportSummary(this);
    }

    private static void count(Map<String, Long> map, Optional<String> key, long n) {
      if (key.isPresent() && n > 0) {
        map.merge(key.get(), n, Builder::plus);
      }
    }

    /** Adds without overflow: report counts are untrusted, and a total stays at the maximum. */
    private static long plus(long a, long b) {
      long sum = a + b;
      return sum < a ? Long.MAX_VALUE : sum;
    }

    private static String lower(String s) {
      return s.toLowerCase(Locale.ROOT);
    }

    private static String host(String name) {
      String s = lower(name.trim());
      return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
  }
}
