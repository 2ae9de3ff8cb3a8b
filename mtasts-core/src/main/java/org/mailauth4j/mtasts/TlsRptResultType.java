package org.mailauth4j.mtasts;

import java.util.Optional;

/**
 * The TLS-RPT result types (RFC 8460 §4.3, the IANA "TLS-RPT Failure Types"): failures of the
 * negotiation with an MX (§4.3.1), of DANE (§4.3.2.1) and of MTA-STS (§4.3.2.2). Every type of the
 * RFC is here, so that a {@code switch} over them stays complete as the SDK grows; a received
 * report may still carry a type registered later, which its model keeps as text.
 */
public enum TlsRptResultType {
  /** The MX did not offer STARTTLS. */
  STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
  /** The MX's certificate does not name the MX host. */
  CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
  /** The MX's certificate, or one in its chain, has expired or is not valid yet. */
  CERTIFICATE_EXPIRED("certificate-expired"),
  /** The MX's certificate does not chain to a trusted root. */
  CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
  /** Any other failure to validate the MX, such as an MX host the policy does not list. */
  VALIDATION_FAILURE("validation-failure"),
  /** DANE: no usable TLSA record matched the chain the MX presented, or the records are invalid. */
  TLSA_INVALID("tlsa-invalid"),
  /** DANE: the DNSSEC validation of the TLSA records, or of the names leading to them, failed. */
  DNSSEC_INVALID("dnssec-invalid"),
  /** DANE: the MX has DNSSEC-validated TLSA records, and TLS could not be used as they require. */
  DANE_REQUIRED("dane-required"),
  /** The policy could not be fetched: DNS, connection, timeout or HTTP status. */
  STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
  /** The policy was fetched but is not valid. */
  STS_POLICY_INVALID("sts-policy-invalid"),
  /** The policy host's certificate failed PKIX or name validation. */
  STS_WEBPKI_INVALID("sts-webpki-invalid");

  private final String token;

  TlsRptResultType(String token) {
    this.token = token;
  }

  /**
   * Returns the result type as a TLS-RPT report writes it.
   *
   * @return such as {@code certificate-expired}
   */
  public String token() {
    return token;
  }

  /**
   * Finds the result type a report's {@code result-type} names.
   *
   * @param token such as {@code certificate-expired}; compared exactly, as the registry spells it
   * @return the type, or empty for a type this version does not know
   */
  public static Optional<TlsRptResultType> fromToken(String token) {
    for (TlsRptResultType type : values()) {
      if (type.token.equals(token)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
