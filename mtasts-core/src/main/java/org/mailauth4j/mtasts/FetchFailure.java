package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * Why a policy fetch failed, classified as TLS-RPT needs it (RFC 8460 §4.3.2.2), with a reason for
 * people.
 *
 * <p>Made by {@link MtaStsPolicyFetcher}; it has no public constructor, so that later versions can
 * add evidence without breaking callers. Immutable and thread-safe; equal when all their fields
 * are.
 */
public final class FetchFailure {

  /** The classes of failure. */
  public enum Kind {
    /** The policy host's name does not resolve. */
    DNS,
    /** No connection could be made, or it broke. */
    CONNECTION,
    /** Connecting or reading took longer than allowed. */
    TIMEOUT,
    /** The TLS handshake failed for a reason other than the certificate. */
    TLS,
    /** The certificate is expired, untrusted, or does not name the policy host. */
    CERTIFICATE,
    /** The server answered with a redirect, which RFC 8461 §3.3 forbids following. */
    REDIRECT,
    /** The server answered with a status other than 200. */
    HTTP_STATUS,
    /**
     * The response is not {@code text/plain} (RFC 8461 §3.2), or says nothing clear about its media
     * type. Parameters never cause it.
     */
    MEDIA_TYPE,
    /**
     * The response is larger than allowed (64 KiB by default), as sent or, for a gzip-coded body,
     * once decoded.
     */
    TOO_LARGE,
    /**
     * The body is content-coded in a way that cannot be undone (RFC 9110 §8.4): a coding other than
     * {@code gzip}, although the fetch asks for {@code Accept-Encoding: identity}, or a corrupt
     * gzip body.
     */
    CONTENT_ENCODING,
    /**
     * The policy host resolves to an address that is not public (loopback, private, link-local and
     * the like), and the fetcher was built to refuse those; see {@link
     * MtaStsPolicyFetcher.Builder#publicAddressesOnly(boolean)}. Nothing was sent.
     */
    NON_PUBLIC_ADDRESS,
    /** The body is not a valid policy; see the findings of the fetch. */
    INVALID_POLICY
  }

  private final Kind kind;
  private final String detail;

  FetchFailure(Kind kind, String detail) {
    this.kind = requireNonNull(kind, "kind");
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * Returns the class of failure.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns what happened, such as the status code or the certificate problem.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is a failure with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof FetchFailure f && kind == f.kind && detail.equals(f.detail);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(kind, detail);
  }

  /**
   * Returns the TLS-RPT result type the failure is reported under.
   *
   * @return {@code sts-webpki-invalid} for certificates, {@code sts-policy-invalid} for invalid
   *     policies and media types, {@code sts-policy-fetch-error} for the rest
   */
  public TlsRptResultType resultType() {
    switch (kind) {
      case CERTIFICATE:
        return TlsRptResultType.STS_WEBPKI_INVALID;
      case MEDIA_TYPE:
      case INVALID_POLICY:
        return TlsRptResultType.STS_POLICY_INVALID;
      default:
        return TlsRptResultType.STS_POLICY_FETCH_ERROR;
    }
  }

  /**
   * Returns the failure for logs, such as {@code HTTP_STATUS: 404}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return kind + ": " + detail;
  }
}
