package org.mailauth4j.mtasts;

/**
 * The TLS-RPT result types (RFC 8460 §4.3) that MTA-STS failures are reported under: failures of
 * the policy itself (§4.3.2.2) and of the negotiation with an MX (§4.3.2.1).
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
}
