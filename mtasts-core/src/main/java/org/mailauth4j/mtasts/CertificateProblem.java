package org.mailauth4j.mtasts;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.Locale;
import java.util.Optional;

/** What is wrong with a certificate, in TLS-RPT's terms (RFC 8460 §4.3.2.1). */
enum CertificateProblem {
  EXPIRED(TlsRptResultType.CERTIFICATE_EXPIRED, "the certificate has expired"),
  NOT_YET_VALID(TlsRptResultType.CERTIFICATE_EXPIRED, "the certificate is not valid yet"),
  NOT_TRUSTED(
      TlsRptResultType.CERTIFICATE_NOT_TRUSTED, "the certificate does not chain to a trusted root"),
  HOST_MISMATCH(TlsRptResultType.CERTIFICATE_HOST_MISMATCH, "the certificate does not name"),
  OTHER(TlsRptResultType.VALIDATION_FAILURE, "the certificate failed validation");

  private final TlsRptResultType resultType;
  private final String description;

  CertificateProblem(TlsRptResultType resultType, String description) {
    this.resultType = resultType;
    this.description = description;
  }

  TlsRptResultType resultType() {
    return resultType;
  }

  String describe(String host) {
    return this == HOST_MISMATCH ? description + " " + host : description;
  }

  /** Classifies a validation failure, as JSSE or CertPathValidator reports it. */
  static CertificateProblem of(CertPathValidatorException e) {
    if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
      return EXPIRED;
    }
    if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return NOT_YET_VALID;
    }
    if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
      return NOT_TRUSTED;
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException) {
        return EXPIRED;
      }
      if (c instanceof CertificateNotYetValidException) {
        return NOT_YET_VALID;
      }
    }
    return OTHER;
  }

  /**
   * Finds the certificate problem behind a failed TLS handshake, or empty when the failure was not
   * about the certificate.
   */
  static Optional<CertificateProblem> of(Throwable handshakeFailure) {
    for (Throwable c = handshakeFailure; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException) {
        return Optional.of(EXPIRED);
      }
      if (c instanceof CertificateNotYetValidException) {
        return Optional.of(NOT_YET_VALID);
      }
      if (c instanceof CertPathValidatorException) {
        return Optional.of(of((CertPathValidatorException) c));
      }
      if (c instanceof CertPathBuilderException) {
        return Optional.of(NOT_TRUSTED); // no path to any trusted root
      }
    }
    for (Throwable c = handshakeFailure; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) {
        // JSSE's host name check says so only in its message.
        String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
        return Optional.of(
            m.contains("subject alternative") || m.contains("no name matching")
                ? HOST_MISMATCH
                : OTHER);
      }
    }
    return Optional.empty();
  }
}
