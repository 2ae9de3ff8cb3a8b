package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link DnsQuery}: which of the four outcomes it was, the records if any, how long
 * it may be cached, and whether DNSSEC vouched for it. Immutable.
 *
 * <p>Build answers with the factories ({@link #found}, {@link #noData}, {@link #nxDomain}, {@link
 * #tempFail}); the constructor checks that the parts agree.
 *
 * @param query the question this answers
 * @param status which outcome it was
 * @param records the records, in the order received; non-empty exactly when {@code status} is
 *     {@link DnsStatus#FOUND}
 * @param ttl how long the answer may be cached: the smallest TTL of the records and CNAMEs used for
 *     a positive answer, the negative-caching TTL (RFC 2308 §5) for a negative one, and zero for a
 *     temporary failure or when the server gave no TTL to go by
 * @param authenticated whether the answer was DNSSEC-validated: by this process's validating
 *     resolver, or by an upstream resolver that was configured as trusted and set the AD bit
 * @param failure why the lookup failed; present exactly when {@code status} is {@link
 *     DnsStatus#TEMP_FAIL}
 * @param <T> the type of the records
 */
public record DnsAnswer<T>(
    DnsQuery<T> query,
    DnsStatus status,
    List<T> records,
    Duration ttl,
    boolean authenticated,
    Optional<DnsFailure> failure) {

  /**
   * Creates an answer, checking that the parts agree and copying the records; the factories read
   * better.
   *
   * @param query the question
   * @param status the outcome
   * @param records the records, non-empty exactly for {@link DnsStatus#FOUND}
   * @param ttl how long it may be cached, not negative
   * @param authenticated whether DNSSEC validated it
   * @param failure present exactly for {@link DnsStatus#TEMP_FAIL}
   */
  public DnsAnswer {
    requireNonNull(query, "query");
    requireNonNull(status, "status");
    records = List.copyOf(records);
    requireNonNull(ttl, "ttl");
    requireNonNull(failure, "failure");
    if ((status == DnsStatus.FOUND) == records.isEmpty()) {
      throw new IllegalArgumentException(status + " with " + records.size() + " records");
    }
    if ((status == DnsStatus.TEMP_FAIL) != failure.isPresent()) {
      throw new IllegalArgumentException(status + " with failure " + failure);
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative TTL " + ttl);
    }
  }

  /**
   * A positive answer.
   *
   * @param query the question
   * @param records at least one record
   * @param ttl how long it may be cached
   * @param authenticated whether DNSSEC validated it
   * @param <T> the record type
   * @return the answer
   */
  public static <T> DnsAnswer<T> found(
      DnsQuery<T> query, List<T> records, Duration ttl, boolean authenticated) {
    return new DnsAnswer<>(query, DnsStatus.FOUND, records, ttl, authenticated, Optional.empty());
  }

  /**
   * The name exists but has no records of the asked type.
   *
   * @param query the question
   * @param ttl the negative-caching TTL
   * @param authenticated whether DNSSEC proved the absence
   * @param <T> the record type
   * @return the answer
   */
  public static <T> DnsAnswer<T> noData(DnsQuery<T> query, Duration ttl, boolean authenticated) {
    return new DnsAnswer<>(
        query, DnsStatus.NO_DATA, List.of(), ttl, authenticated, Optional.empty());
  }

  /**
   * The name does not exist.
   *
   * @param query the question
   * @param ttl the negative-caching TTL
   * @param authenticated whether DNSSEC proved the absence
   * @param <T> the record type
   * @return the answer
   */
  public static <T> DnsAnswer<T> nxDomain(DnsQuery<T> query, Duration ttl, boolean authenticated) {
    return new DnsAnswer<>(
        query, DnsStatus.NXDOMAIN, List.of(), ttl, authenticated, Optional.empty());
  }

  /**
   * The lookup failed for now.
   *
   * @param query the question
   * @param failure why
   * @param <T> the record type
   * @return the answer, with a zero TTL
   */
  public static <T> DnsAnswer<T> tempFail(DnsQuery<T> query, DnsFailure failure) {
    return new DnsAnswer<>(
        query, DnsStatus.TEMP_FAIL, List.of(), Duration.ZERO, false, Optional.of(failure));
  }

  /**
   * Tells whether records were found.
   *
   * @return {@code true} for {@link DnsStatus#FOUND}
   */
  public boolean isFound() {
    return status == DnsStatus.FOUND;
  }

  /**
   * Tells whether this is one of the two answers that RFC 7208 §4.6.4 counts as a void lookup.
   *
   * @return {@code true} for {@link DnsStatus#NO_DATA} and {@link DnsStatus#NXDOMAIN}
   */
  public boolean isVoid() {
    return status == DnsStatus.NO_DATA || status == DnsStatus.NXDOMAIN;
  }

  /**
   * Tells whether the lookup failed for now.
   *
   * @return {@code true} for {@link DnsStatus#TEMP_FAIL}
   */
  public boolean isTempFail() {
    return status == DnsStatus.TEMP_FAIL;
  }

  /**
   * Returns the same answer with another TTL, as a cache hands out what remains of it.
   *
   * @param remaining the new TTL
   * @return the adjusted answer
   */
  public DnsAnswer<T> withTtl(Duration remaining) {
    return new DnsAnswer<>(query, status, records, remaining, authenticated, failure);
  }

  /**
   * Describes the answer for logs and traces, such as {@code example.com/MX FOUND 2 records ttl
   * 300s} or {@code _dmarc.example.com/TXT TEMP_FAIL TIMEOUT: no answer from 192.0.2.53:53}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(query).append(' ').append(status);
    if (status == DnsStatus.FOUND) {
      sb.append(' ').append(records);
    }
    failure.ifPresent(f -> sb.append(' ').append(f.kind()).append(": ").append(f.detail()));
    if (status != DnsStatus.TEMP_FAIL) {
      sb.append(" ttl ").append(ttl.toSeconds()).append('s');
    }
    if (authenticated) {
      sb.append(" authenticated");
    }
    return sb.toString();
  }
}
