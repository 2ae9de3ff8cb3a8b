package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;

/**
 * What the discovery of a domain's TLS-RPT record found (RFC 8460 §3): the record, or why there is
 * none. Made by {@link TlsRptRecordResolver}; immutable and thread-safe.
 *
 * <p>Only {@link Status#FOUND} means the domain wants reports; every other status means a reporter
 * sends none, as RFC 8460 §3 has senders "assume the recipient domain does not implement TLSRPT"
 * unless exactly one record remains. The statuses tell a domain-checking tool why, and {@link
 * Status#TEMP_FAIL} tells a reporter to look again later rather than to conclude anything.
 */
public final class TlsRptRecordLookup {
  /** What the lookup found. */
  public enum Status {
    /** Exactly one TLS-RPT record, and it is valid: {@link #record()} has it. */
    FOUND,
    /**
     * No TLS-RPT record: the name does not exist, has no TXT record, has only TXT records that do
     * not begin with {@code v=TLSRPTv1}, or cannot be made ({@code _smtp._tls.} and the domain are
     * longer than 253 octets).
     */
    NO_RECORD,
    /**
     * More than one TLS-RPT record, which RFC 8460 §3 counts as none: {@link #records()} has them.
     */
    MULTIPLE_RECORDS,
    /** One TLS-RPT record, and it is not valid: {@link #findings()} says why. */
    INVALID_RECORD,
    /** The DNS lookup failed for now (a timeout, SERVFAIL, a network error): {@link #failure()}. */
    TEMP_FAIL
  }

  private final DomainName domain;
  private final Optional<DomainName> name;
  private final Status status;
  private final Optional<TlsRptRecord> record;
  private final List<String> records;
  private final List<TlsRptRecordFinding> problems;
  private final Optional<DnsFailure> failure;
  private final Duration ttl;
  private final String detail;

  TlsRptRecordLookup(
      DomainName domain,
      Optional<DomainName> name,
      Status status,
      Optional<TlsRptRecord> record,
      List<String> records,
      List<TlsRptRecordFinding> problems,
      Optional<DnsFailure> failure,
      Duration ttl,
      String detail) {
    this.domain = requireNonNull(domain, "domain");
    this.name = requireNonNull(name, "name");
    this.status = requireNonNull(status, "status");
    this.record = requireNonNull(record, "record");
    this.records = List.copyOf(records);
    this.problems = List.copyOf(problems);
    this.failure = requireNonNull(failure, "failure");
    this.ttl = requireNonNull(ttl, "ttl");
    this.detail = requireNonNull(detail, "detail");
    if (record.isPresent() != (status == Status.FOUND)) {
      throw new IllegalArgumentException(status + " does not fit the record " + record);
    }
  }

  /**
   * Returns the domain asked about, the policy domain of reports.
   *
   * @return such as {@code example.com}
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the name queried.
   *
   * @return such as {@code _smtp._tls.example.com}; empty if the domain is too long to have one
   */
  public Optional<DomainName> name() {
    return name;
  }

  /**
   * Returns what the lookup found.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Tells whether the domain wants TLS reports, the one case in which a reporter sends any.
   *
   * @return {@code true} for {@link Status#FOUND}
   */
  public boolean isFound() {
    return status == Status.FOUND;
  }

  /**
   * Returns the record, for {@link Status#FOUND}.
   *
   * @return the valid record, or empty
   */
  public Optional<TlsRptRecord> record() {
    return record;
  }

  /**
   * Returns the TXT records at the name that begin with {@code v=TLSRPTv1}, their strings joined:
   * one for {@link Status#FOUND} and {@link Status#INVALID_RECORD}, several for {@link
   * Status#MULTIPLE_RECORDS}.
   *
   * @return the texts, in the order DNS gave them; unmodifiable
   */
  public List<String> records() {
    return records;
  }

  /**
   * Returns what was found wrong with the one record: the warnings of a {@link Status#FOUND}
   * record, and for {@link Status#INVALID_RECORD} the {@link org.mailauth4j.dns.Severity#ERROR}
   * that refused it, last.
   *
   * @return the findings; unmodifiable
   */
  public List<TlsRptRecordFinding> findings() {
    return problems;
  }

  /**
   * Returns why DNS failed, for {@link Status#TEMP_FAIL} when the resolver said.
   *
   * @return the failure, or empty
   */
  public Optional<DnsFailure> failure() {
    return failure;
  }

  /**
   * Returns how long the answer may be cached: the TTL of the DNS answer, positive or negative.
   *
   * @return the TTL; zero for {@link Status#TEMP_FAIL} and when no DNS answer was had
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns an account of what was found, for people and logs. Record text in it is quoted with
   * control characters escaped.
   *
   * @return such as {@code _smtp._tls.example.com has 2 v=TLSRPTv1 records; RFC 8460 §3 counts them
   *     as none}
   */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsRptRecordLookup l
        && l.domain.equals(domain)
        && l.name.equals(name)
        && l.status == status
        && l.record.equals(record)
        && l.records.equals(records)
        && l.problems.equals(problems)
        && l.failure.equals(failure)
        && l.ttl.equals(ttl)
        && l.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, status, record, records);
  }

  /** Returns the status and the detail, such as {@code FOUND: v=TLSRPTv1; rua=...}. */
  @Override
  public String toString() {
    return status + ": " + detail;
  }
}
