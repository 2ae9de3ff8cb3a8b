package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * The sessions counted under one policy on one UTC day (RFC 8460 §4.1): what a {@link
 * TlsRptRecorder} hands its {@link TlsRptStore}, and what the store gives back to build the day's
 * reports. The failure details carry their counts; failed sessions that exceeded the recorder's
 * limit of distinct details are in {@link PolicyResult#failedSessions()} but in no detail ({@link
 * #unlistedFailures()}). Immutable.
 *
 * @param day the UTC day the sessions took place on
 * @param result the policy, its session counts and its failure details
 */
public record TlsRptCounts(LocalDate day, PolicyResult result) {

  /**
   * Creates counts.
   *
   * @param day the UTC day
   * @param result the counts under the policy
   */
  public TlsRptCounts {
    requireNonNull(day, "day");
    requireNonNull(result, "result");
  }

  /**
   * Returns the failed sessions that no failure detail lists, because the recorder's limit of
   * distinct details per policy and day was reached.
   *
   * @return the failed sessions minus those of the details, not negative
   */
  public long unlistedFailures() {
    long listed = 0;
    for (FailureDetail d : result.failureDetails()) {
      listed += d.failedSessionCount();
    }
    return Math.max(0, result.failedSessions() - listed);
  }
}
