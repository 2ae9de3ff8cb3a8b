package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a lookup ended in {@link DnsStatus#TEMP_FAIL}: a machine-readable kind, a sentence for
 * people, and the underlying exception where there was one. It has no public constructor, so that
 * later versions can add fields without breaking callers. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class DnsFailure {

  /** The kinds of temporary failure a resolver tells apart. */
  public enum Kind {
    /** No answer arrived within the configured time. */
    TIMEOUT,
    /** The server answered SERVFAIL (RCODE 2) without saying more. */
    SERVER_FAILURE,
    /** The server refused to answer (RCODE 5). */
    REFUSED,
    /** The server answered with another error code, such as FORMERR or NOTIMP. */
    UNEXPECTED_RESPONSE_CODE,
    /**
     * The response could not be parsed, or only responses that did not match the query (another ID
     * or question) arrived.
     */
    MALFORMED_RESPONSE,
    /** The answer was truncated even over TCP, so records may be missing from it. */
    TRUNCATED,
    /** The query could not be sent or the connection failed. */
    NETWORK_ERROR,
    /** A CNAME chain looped or was longer than the configured limit. */
    ALIAS_CHAIN,
    /** A validating resolver found the answer bogus (RFC 4035 §5.5): it must not be used. */
    DNSSEC_BOGUS
  }

  private final Kind kind;
  private final String detail;
  private final Optional<Throwable> cause;

  private DnsFailure(Kind kind, String detail, Optional<Throwable> cause) {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
    requireNonNull(cause, "cause");
    this.kind = kind;
    this.detail = detail;
    this.cause = cause;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns a human-readable description naming the server or the name where it helps.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the exception that reported it, such as a {@code SocketTimeoutException}.
   *
   * @return the cause
   */
  public Optional<Throwable> cause() {
    return cause;
  }

  /**
   * A failure without an exception behind it.
   *
   * @param kind what went wrong
   * @param detail a human-readable description
   * @return the failure
   */
  public static DnsFailure of(Kind kind, String detail) {
    return new DnsFailure(kind, detail, Optional.empty());
  }

  /**
   * A failure reported by an exception.
   *
   * @param kind what went wrong
   * @param detail a human-readable description
   * @param cause the exception
   * @return the failure
   */
  public static DnsFailure of(Kind kind, String detail, Throwable cause) {
    return new DnsFailure(kind, detail, Optional.of(cause));
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code DnsFailure} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof DnsFailure o
        && kind == o.kind
        && detail.equals(o.detail)
        && cause.equals(o.cause);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(kind, detail, cause);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "DnsFailure[kind=" + kind + ", detail=" + detail + ", cause=" + cause + "]";
  }
}
