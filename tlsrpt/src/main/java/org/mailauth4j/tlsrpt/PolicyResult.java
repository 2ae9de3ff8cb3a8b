package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;

/**
 * One element of a report's {@code policies} (RFC 8460 §4.4): a policy, the sessions under it that
 * succeeded and failed ({@code summary}), and the failures by kind ({@code failure-details}). It
 * has no public constructor, so that later versions can add fields without breaking callers; {@link
 * #builder()} makes one. Immutable and thread-safe; equal when all their fields are.
 */
public final class PolicyResult {

  private final ReportedPolicy policy;
  private final long successfulSessions;
  private final long failedSessions;
  private final List<FailureDetail> failureDetails;

  PolicyResult(
      ReportedPolicy policy,
      long successfulSessions,
      long failedSessions,
      List<FailureDetail> failureDetails) {
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
    this.policy = policy;
    this.successfulSessions = successfulSessions;
    this.failedSessions = failedSessions;
    this.failureDetails = failureDetails;
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
   * Returns the policy block.
   *
   * @return the policy
   */
  public ReportedPolicy policy() {
    return policy;
  }

  /**
   * Returns {@code total-successful-session-count}, from 0 to {@link TlsReport#MAX_COUNT}.
   *
   * @return the successful sessions
   */
  public long successfulSessions() {
    return successfulSessions;
  }

  /**
   * Returns {@code total-failure-session-count}, from 0 to {@link TlsReport#MAX_COUNT}.
   *
   * @return the failed sessions
   */
  public long failedSessions() {
    return failedSessions;
  }

  /**
   * Returns the failures, in the order written.
   *
   * @return the failure details
   */
  public List<FailureDetail> failureDetails() {
    return failureDetails;
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code PolicyResult} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof PolicyResult o
        && policy.equals(o.policy)
        && successfulSessions == o.successfulSessions
        && failedSessions == o.failedSessions
        && failureDetails.equals(o.failureDetails);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(policy, successfulSessions, failedSessions, failureDetails);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "PolicyResult[policy="
        + policy
        + ", successfulSessions="
        + successfulSessions
        + ", failedSessions="
        + failedSessions
        + ", failureDetails="
        + failureDetails
        + "]";
  }

  /** Builds {@link PolicyResult} values; not thread-safe. */
  public static final class Builder {
    private ReportedPolicy policy;
    private long successfulSessions;
    private long failedSessions;
    private List<FailureDetail> failureDetails = List.of();

    private Builder() {}

    /**
     * Sets the policy block. Required.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(ReportedPolicy policy) {
      this.policy = policy;
      return this;
    }

    /**
     * Sets {@code total-successful-session-count}, from 0 to {@link TlsReport#MAX_COUNT}. Zero by
     * default.
     *
     * @param successfulSessions the successful sessions
     * @return this builder
     */
    public Builder successfulSessions(long successfulSessions) {
      this.successfulSessions = successfulSessions;
      return this;
    }

    /**
     * Sets {@code total-failure-session-count}, from 0 to {@link TlsReport#MAX_COUNT}. Zero by
     * default.
     *
     * @param failedSessions the failed sessions
     * @return this builder
     */
    public Builder failedSessions(long failedSessions) {
      this.failedSessions = failedSessions;
      return this;
    }

    /**
     * Sets the failures, in the order written. Empty by default.
     *
     * @param failureDetails the failure details
     * @return this builder
     */
    public Builder failureDetails(List<FailureDetail> failureDetails) {
      this.failureDetails = failureDetails;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if policy is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public PolicyResult build() {
      return new PolicyResult(policy, successfulSessions, failedSessions, failureDetails);
    }
  }
}
