package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One element of a report's {@code policies} (RFC 8460 §4.4): a policy, the sessions under it that
 * succeeded and failed ({@code summary}), and the failures by kind ({@code failure-details}).
 * Immutable.
 *
 * @param policy the policy block
 * @param successfulSessions {@code total-successful-session-count}, from 0 to {@link
 *     TlsReport#MAX_COUNT}
 * @param failedSessions {@code total-failure-session-count}, from 0 to {@link TlsReport#MAX_COUNT}
 * @param failureDetails the failures, in the order written
 */
public record PolicyResult(
    ReportedPolicy policy,
    long successfulSessions,
    long failedSessions,
    List<FailureDetail> failureDetails) {

  /**
   * Creates a policy result.
   *
   * @param policy the policy
   * @param successfulSessions the successful sessions
   * @param failedSessions the failed sessions
   * @param failureDetails the failures
   */
  public PolicyResult {
    requireNonNull(policy, "policy");
    if (successfulSessions < 0
        || failedSessions < 0
        || successfulSessions > TlsReport.MAX_COUNT
        || failedSessions > TlsReport.MAX_COUNT) {
      throw new IllegalArgumentException(
          "session counts "
              + successfulSessions
              + ", "
              + failedSessions
              + " are not from 0 to TlsReport.MAX_COUNT");
    }
    failureDetails = List.copyOf(failureDetails);
  }
}
