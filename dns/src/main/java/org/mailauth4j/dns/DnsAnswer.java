package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link DnsQuery}: which of the four outcomes it was, the records if any, how long
 * it may be cached, and whether DNSSEC vouched for it.
 *
 * <p>Resolvers and tests make answers with the factories ({@link #found}, {@link #noData}, {@link
 * #nxDomain}, {@link #tempFail}), which make only answers whose parts agree. There is no public
 * constructor, so that later versions can add fields without breaking callers. Immutable and
 * thread-safe; equal when all their fields are.
 *
 * @param <T> the type of the records
 */
public final class DnsAnswer<T> {

  private final DnsQuery<T> query;
  private final DnsStatus status;
  private final List<T> records;
  private final Duration ttl;
  private final boolean authenticated;
  private final Optional<DnsFailure> failure;

  DnsAnswer(
      DnsQuery<T> query,
      DnsStatus status,
      List<T> records,
      Duration ttl,
      boolean authenticated,
      Optional<DnsFailure> failure) {
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
    this.query = query;
    this.status = status;
    this.records = records;
    this.ttl = ttl;
    this.authenticated = authenticated;
    this.failure = failure;
  }

  /**
   * Returns the question this answers.
   *
   * @return the query
   */
  public DnsQuery<T> query() {
    return query;
  }

  /**
   * Returns which outcome it was.
   *
   * @return the status
   */
  public DnsStatus status() {
    return status;
  }

  /**
   * Returns the records, in the order received; non-empty exactly when {@code status} is {@link
   * DnsStatus#FOUND}.
   *
   * @return the records
   */
  public List<T> records() {
    return records;
  }

  /**
   * Returns how long the answer may be cached: the smallest TTL of the records and CNAMEs used for
   * a positive answer, the negative-caching TTL (RFC 2308 §5) for a negative one, and zero for a
   * temporary failure or when the server gave no TTL to go by.
   *
   * @return the TTL
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns whether the answer was DNSSEC-validated: by this process's validating resolver, or by
   * an upstream resolver that was configured as trusted and set the AD bit.
   *
   * @return the authenticated
   */
  public boolean authenticated() {
    return authenticated;
  }

  /**
   * Returns why the lookup failed; present exactly when {@code status} is {@link
   * DnsStatus#TEMP_FAIL}.
   *
   * @return the failure
   */
  public Optional<DnsFailure> failure() {
    return failure;
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

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code DnsAnswer} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof DnsAnswer<?> o
        && query.equals(o.query)
        && status == o.status
        && records.equals(o.records)
        && ttl.equals(o.ttl)
        && authenticated == o.authenticated
        && failure.equals(o.failure);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(query, status, records, ttl, authenticated, failure);
  }
}
