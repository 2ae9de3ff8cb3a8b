package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What submitting a report to an HTTPS endpoint came to (RFC 8460 §5.4, §5.5): whether the endpoint
 * accepted it, the last status code, how many attempts were made, and, when it was not accepted,
 * the kind of the last failure and whether trying later could help. Network trouble is a value of
 * this type, never an exception. Immutable.
 *
 * <p>A final class rather than a record, so that later versions can add evidence without breaking
 * callers.
 */
public final class TlsReportSubmission {

  /** Why an attempt did not deliver the report. */
  public enum Failure {
    /** The endpoint's host name does not resolve. Retried. */
    DNS,
    /** No connection could be made, or it broke before an answer. Retried. */
    CONNECTION,
    /** Connecting or waiting for the answer took longer than allowed. Retried. */
    TIMEOUT,
    /**
     * The TLS handshake failed: the endpoint's certificate is not trusted, has expired or does not
     * name the host, or no protocol or cipher was agreed. Not retried: it needs someone to fix it.
     */
    TLS,
    /**
     * The endpoint answered with a redirect (3xx), which is not followed: the report goes only to
     * the URI the policy domain published. Not retried.
     */
    REDIRECT,
    /** The endpoint refused the report with a 4xx status other than 429. Not retried. */
    REJECTED,
    /** The endpoint answered 429 (Too Many Requests). Retried. */
    THROTTLED,
    /** The endpoint answered with a 5xx status. Retried. */
    SERVER_ERROR,
    /** The endpoint answered with a status outside 2xx to 5xx. Not retried. */
    UNEXPECTED_STATUS;

    /**
     * Tells whether another attempt later could succeed where this one failed.
     *
     * @return {@code true} for the transient kinds
     */
    public boolean isTransient() {
      switch (this) {
        case DNS:
        case CONNECTION:
        case TIMEOUT:
        case THROTTLED:
        case SERVER_ERROR:
          return true;
        default:
          return false;
      }
    }
  }

  private final URI endpoint;
  private final OptionalInt statusCode;
  private final int attempts;
  private final Optional<Failure> failure;
  private final String detail;
  private final Duration elapsed;

  private TlsReportSubmission(
      URI endpoint,
      OptionalInt statusCode,
      int attempts,
      Optional<Failure> failure,
      String detail,
      Duration elapsed) {
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.statusCode = requireNonNull(statusCode, "statusCode");
    this.attempts = attempts;
    this.failure = requireNonNull(failure, "failure");
    this.detail = requireNonNull(detail, "detail");
    this.elapsed = requireNonNull(elapsed, "elapsed");
  }

  static TlsReportSubmission delivered(URI endpoint, int status, int attempts, Duration elapsed) {
    return new TlsReportSubmission(
        endpoint,
        OptionalInt.of(status),
        attempts,
        Optional.empty(),
        "HTTP " + status + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"),
        elapsed);
  }

  static TlsReportSubmission failed(
      URI endpoint,
      OptionalInt status,
      int attempts,
      Failure failure,
      String detail,
      Duration elapsed) {
    return new TlsReportSubmission(
        endpoint, status, attempts, Optional.of(failure), detail, elapsed);
  }

  /**
   * Returns the endpoint the report was submitted to.
   *
   * @return the {@code https:} URI
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Tells whether the endpoint accepted the report: it answered with a 2xx status (RFC 8460 §5.4).
   *
   * @return {@code true} if delivered
   */
  public boolean isDelivered() {
    return failure.isEmpty();
  }

  /**
   * Returns the status code of the last answer.
   *
   * @return the status, or empty if the last attempt got no answer
   */
  public OptionalInt statusCode() {
    return statusCode;
  }

  /**
   * Returns how many times the report was sent.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns the kind of the last failure.
   *
   * @return the kind, or empty when the report was delivered
   */
  public Optional<Failure> failure() {
    return failure;
  }

  /**
   * Tells whether a later submission could succeed: the report was not delivered and the last
   * failure was transient. A caller that keeps its own retry schedule uses this to decide.
   *
   * @return {@code true} if worth trying again later
   */
  public boolean isRetryable() {
    return failure.isPresent() && failure.get().isTransient();
  }

  /**
   * Returns what happened, for people and logs: the status or the error, and why trying stopped. It
   * holds no report data.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the time from the first attempt to the end of the last, by the submitter's clock.
   *
   * @return the duration, back-off waits included
   */
  public Duration elapsed() {
    return elapsed;
  }

  /** Returns the submission for logs, such as {@code https://… delivered: HTTP 200 …}. */
  @Override
  public String toString() {
    return endpoint
        + (isDelivered() ? " delivered: " : " not delivered (" + failure.get() + "): ")
        + detail;
  }
}
