package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The sessions counted under one policy on one UTC day (RFC 8460 §4.1): what a {@link
 * TlsRptRecorder} hands its {@link TlsRptStore}, and what the store gives back to build the day's
 * reports. The failure details carry their counts; failed sessions that exceeded the recorder's
 * limit of distinct details are in {@link PolicyResult#failedSessions()} but in no detail ({@link
 * #unlistedFailures()}). It has no public constructor, so that later versions can add fields
 * without breaking callers; {@link #builder()} makes one. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class TlsRptCounts {

  private final LocalDate day;
  private final PolicyResult result;

  TlsRptCounts(LocalDate day, PolicyResult result) {
    requireNonNull(day, "day");
    requireNonNull(result, "result");
    this.day = day;
    this.result = result;
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
   * Returns the UTC day the sessions took place on.
   *
   * @return the day
   */
  public LocalDate day() {
    return day;
  }

  /**
   * Returns the policy, its session counts and its failure details.
   *
   * @return the result
   */
  public PolicyResult result() {
    return result;
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

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code TlsRptCounts} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof TlsRptCounts o && day.equals(o.day) && result.equals(o.result);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(day, result);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "TlsRptCounts[day=" + day + ", result=" + result + "]";
  }

  /** Builds {@link TlsRptCounts} values; not thread-safe. */
  public static final class Builder {
    private LocalDate day;
    private PolicyResult result;

    private Builder() {}

    /**
     * Sets the UTC day the sessions took place on. Required.
     *
     * @param day the day
     * @return this builder
     */
    public Builder day(LocalDate day) {
      this.day = day;
      return this;
    }

    /**
     * Sets the policy, its session counts and its failure details. Required.
     *
     * @param result the result
     * @return this builder
     */
    public Builder result(PolicyResult result) {
      this.result = result;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if day, result is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public TlsRptCounts build() {
      return new TlsRptCounts(day, result);
    }
  }
}
