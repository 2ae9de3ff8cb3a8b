package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mailauth4j.dns.DomainName;

/**
 * Decides whether one more failure report may go out. RFC 9991 §3 requires report generators to
 * rate-limit failure reports, so that an attacker who sends many failing messages in a domain's
 * name cannot flood its report consumers (§9.1); reports over the limit are discarded, not queued.
 *
 * <p>{@link FailureReportComposer} asks before it composes each report, with the policy domain (the
 * domain whose DMARC record asked for the report, so that random subdomains of one victim share its
 * limit) and the recipients. {@link #perDomain(int, Duration, Clock)} is an in-memory token bucket
 * per policy domain; several MTAs that share a limit need an implementation over a shared store.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface FailureReportThrottle {
  /**
   * Asks for one report; a {@code true} answer counts it against the limit.
   *
   * @param policyDomain the domain whose {@code ruf} the report goes to
   * @param recipients the addresses the report goes to
   * @return whether the report may be sent
   */
  boolean tryAcquire(DomainName policyDomain, List<String> recipients);

  /**
   * Returns a throttle that lets every report through, for tests or for a caller that limits
   * elsewhere.
   *
   * @return the throttle
   */
  static FailureReportThrottle unlimited() {
    return (domain, recipients) -> true;
  }

  /**
   * Returns an in-memory token bucket per policy domain: each domain may have {@code reports}
   * reports at once, and earns them back evenly over {@code window}. It tracks at most 100,000
   * domains: past that, buckets that have refilled are forgotten first, then the least recently
   * used, whose domain then starts again with a full bucket.
   *
   * @param reports the reports per window, at least 1
   * @param window the window, positive
   * @param clock the clock that measures it
   * @return the throttle
   */
  static FailureReportThrottle perDomain(int reports, Duration window, Clock clock) {
    return new TokenBucketThrottle(
        reports, requireNonNull(window, "window"), requireNonNull(clock, "clock"), 100_000);
  }
}
