package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * One entry of a report's {@code failure-details} (RFC 8460 §4.4): a kind of failure, where it
 * happened, and how many sessions failed so. Addresses and names are kept as written. It has no
 * public constructor, so that later versions can add fields without breaking callers; {@link
 * #builder()} makes one. Immutable and thread-safe; equal when all their fields are.
 */
public final class FailureDetail {

  private final String resultType;
  private final Optional<String> sendingMtaIp;
  private final Optional<String> receivingMxHostname;
  private final Optional<String> receivingMxHelo;
  private final Optional<String> receivingIp;
  private final long failedSessionCount;
  private final Optional<String> additionalInformation;
  private final Optional<String> failureReasonCode;

  FailureDetail(
      String resultType,
      Optional<String> sendingMtaIp,
      Optional<String> receivingMxHostname,
      Optional<String> receivingMxHelo,
      Optional<String> receivingIp,
      long failedSessionCount,
      Optional<String> additionalInformation,
      Optional<String> failureReasonCode) {
    requireNonNull(resultType, "resultType");
    requireNonNull(sendingMtaIp, "sendingMtaIp");
    requireNonNull(receivingMxHostname, "receivingMxHostname");
    requireNonNull(receivingMxHelo, "receivingMxHelo");
    requireNonNull(receivingIp, "receivingIp");
    if (failedSessionCount < 0 || failedSessionCount > TlsReport.MAX_COUNT) {
      throw new IllegalArgumentException(
          "failed-session-count " + failedSessionCount + " is not from 0 to TlsReport.MAX_COUNT");
    }
    requireNonNull(additionalInformation, "additionalInformation");
    requireNonNull(failureReasonCode, "failureReasonCode");
    this.resultType = resultType;
    this.sendingMtaIp = sendingMtaIp;
    this.receivingMxHostname = receivingMxHostname;
    this.receivingMxHelo = receivingMxHelo;
    this.receivingIp = receivingIp;
    this.failedSessionCount = failedSessionCount;
    this.additionalInformation = additionalInformation;
    this.failureReasonCode = failureReasonCode;
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
   * Returns {@code result-type}, such as {@code certificate-expired}; kept as text, since received
   * reports may use types registered after this version.
   *
   * @return the result type
   */
  public String resultType() {
    return resultType;
  }

  /**
   * Returns {@code sending-mta-ip}.
   *
   * @return the sending MTA's address
   */
  public Optional<String> sendingMtaIp() {
    return sendingMtaIp;
  }

  /**
   * Returns {@code receiving-mx-hostname}.
   *
   * @return the MX host name
   */
  public Optional<String> receivingMxHostname() {
    return receivingMxHostname;
  }

  /**
   * Returns {@code receiving-mx-helo}.
   *
   * @return the MX's greeting name
   */
  public Optional<String> receivingMxHelo() {
    return receivingMxHelo;
  }

  /**
   * Returns {@code receiving-ip}.
   *
   * @return the MX's address
   */
  public Optional<String> receivingIp() {
    return receivingIp;
  }

  /**
   * Returns {@code failed-session-count}, from 0 to {@link TlsReport#MAX_COUNT}.
   *
   * @return the failed session count
   */
  public long failedSessionCount() {
    return failedSessionCount;
  }

  /**
   * Returns {@code additional-information}, a URI.
   *
   * @return the additional information
   */
  public Optional<String> additionalInformation() {
    return additionalInformation;
  }

  /**
   * Returns {@code failure-reason-code}.
   *
   * @return the failure reason code
   */
  public Optional<String> failureReasonCode() {
    return failureReasonCode;
  }

  /**
   * Returns the result type as a value of this version's list.
   *
   * @return the type, or empty for a type this version does not know
   */
  public Optional<TlsRptResultType> knownResultType() {
    return TlsRptResultType.fromToken(resultType);
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code FailureDetail} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof FailureDetail o
        && resultType.equals(o.resultType)
        && sendingMtaIp.equals(o.sendingMtaIp)
        && receivingMxHostname.equals(o.receivingMxHostname)
        && receivingMxHelo.equals(o.receivingMxHelo)
        && receivingIp.equals(o.receivingIp)
        && failedSessionCount == o.failedSessionCount
        && additionalInformation.equals(o.additionalInformation)
        && failureReasonCode.equals(o.failureReasonCode);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(
        resultType,
        sendingMtaIp,
        receivingMxHostname,
        receivingMxHelo,
        receivingIp,
        failedSessionCount,
        additionalInformation,
        failureReasonCode);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "FailureDetail[resultType="
        + resultType
        + ", sendingMtaIp="
        + sendingMtaIp
        + ", receivingMxHostname="
        + receivingMxHostname
        + ", receivingMxHelo="
        + receivingMxHelo
        + ", receivingIp="
        + receivingIp
        + ", failedSessionCount="
        + failedSessionCount
        + ", additionalInformation="
        + additionalInformation
        + ", failureReasonCode="
        + failureReasonCode
        + "]";
  }

  /** Builds {@link FailureDetail} values; not thread-safe. */
  public static final class Builder {
    private String resultType;
    private Optional<String> sendingMtaIp = Optional.empty();
    private Optional<String> receivingMxHostname = Optional.empty();
    private Optional<String> receivingMxHelo = Optional.empty();
    private Optional<String> receivingIp = Optional.empty();
    private long failedSessionCount;
    private Optional<String> additionalInformation = Optional.empty();
    private Optional<String> failureReasonCode = Optional.empty();

    private Builder() {}

    /**
     * Sets {@code result-type}, such as {@code certificate-expired}; kept as text, since received
     * reports may use types registered after this version. Required.
     *
     * @param resultType the result type
     * @return this builder
     */
    public Builder resultType(String resultType) {
      this.resultType = resultType;
      return this;
    }

    /**
     * Sets {@code sending-mta-ip}. Empty by default.
     *
     * @param sendingMtaIp the sending MTA's address
     * @return this builder
     */
    public Builder sendingMtaIp(Optional<String> sendingMtaIp) {
      this.sendingMtaIp = sendingMtaIp;
      return this;
    }

    /**
     * Sets {@code receiving-mx-hostname}. Empty by default.
     *
     * @param receivingMxHostname the MX host name
     * @return this builder
     */
    public Builder receivingMxHostname(Optional<String> receivingMxHostname) {
      this.receivingMxHostname = receivingMxHostname;
      return this;
    }

    /**
     * Sets {@code receiving-mx-helo}. Empty by default.
     *
     * @param receivingMxHelo the MX's greeting name
     * @return this builder
     */
    public Builder receivingMxHelo(Optional<String> receivingMxHelo) {
      this.receivingMxHelo = receivingMxHelo;
      return this;
    }

    /**
     * Sets {@code receiving-ip}. Empty by default.
     *
     * @param receivingIp the MX's address
     * @return this builder
     */
    public Builder receivingIp(Optional<String> receivingIp) {
      this.receivingIp = receivingIp;
      return this;
    }

    /**
     * Sets {@code failed-session-count}, from 0 to {@link TlsReport#MAX_COUNT}. Zero by default.
     *
     * @param failedSessionCount the failed session count
     * @return this builder
     */
    public Builder failedSessionCount(long failedSessionCount) {
      this.failedSessionCount = failedSessionCount;
      return this;
    }

    /**
     * Sets {@code additional-information}, a URI. Empty by default.
     *
     * @param additionalInformation the additional information
     * @return this builder
     */
    public Builder additionalInformation(Optional<String> additionalInformation) {
      this.additionalInformation = additionalInformation;
      return this;
    }

    /**
     * Sets {@code failure-reason-code}. Empty by default.
     *
     * @param failureReasonCode the failure reason code
     * @return this builder
     */
    public Builder failureReasonCode(Optional<String> failureReasonCode) {
      this.failureReasonCode = failureReasonCode;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if resultType is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public FailureDetail build() {
      return new FailureDetail(
          resultType,
          sendingMtaIp,
          receivingMxHostname,
          receivingMxHelo,
          receivingIp,
          failedSessionCount,
          additionalInformation,
          failureReasonCode);
    }
  }
}
