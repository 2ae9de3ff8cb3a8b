package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * One entry of a report's {@code failure-details} (RFC 8460 §4.4): a kind of failure, where it
 * happened, and how many sessions failed so. Addresses and names are kept as written. Immutable.
 *
 * @param resultType {@code result-type}, such as {@code certificate-expired}; kept as text, since
 *     received reports may use types registered after this version
 * @param sendingMtaIp {@code sending-mta-ip}
 * @param receivingMxHostname {@code receiving-mx-hostname}
 * @param receivingMxHelo {@code receiving-mx-helo}
 * @param receivingIp {@code receiving-ip}
 * @param failedSessionCount {@code failed-session-count}, from 0 to {@link TlsReport#MAX_COUNT}
 * @param additionalInformation {@code additional-information}, a URI
 * @param failureReasonCode {@code failure-reason-code}
 */
public record FailureDetail(
    String resultType,
    Optional<String> sendingMtaIp,
    Optional<String> receivingMxHostname,
    Optional<String> receivingMxHelo,
    Optional<String> receivingIp,
    long failedSessionCount,
    Optional<String> additionalInformation,
    Optional<String> failureReasonCode) {

  /**
   * Creates a failure entry.
   *
   * @param resultType the result type
   * @param sendingMtaIp the sending MTA's address, or empty
   * @param receivingMxHostname the MX host name, or empty
   * @param receivingMxHelo the MX's greeting name, or empty
   * @param receivingIp the MX's address, or empty
   * @param failedSessionCount the number of sessions, not negative
   * @param additionalInformation a URI, or empty
   * @param failureReasonCode the reason code, or empty
   */
  public FailureDetail {
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
  }

  /**
   * Returns the result type as a value of this version's list.
   *
   * @return the type, or empty for a type this version does not know
   */
  public Optional<TlsRptResultType> knownResultType() {
    return TlsRptResultType.fromToken(resultType);
  }
}
