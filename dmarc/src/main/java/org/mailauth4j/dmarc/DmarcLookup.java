package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;

/**
 * One DNS lookup made while evaluating DMARC, for the trace in {@link DmarcOutcome#trace()}: a
 * {@code _dmarc} TXT query of policy discovery or an organizational-domain walk, or the existence
 * test of an author domain (RFC 9989 §4.10.1, for {@code np}). Each name is looked up once per
 * message, however many walks pass it.
 *
 * <p>Made by {@link DmarcVerifier}; immutable.
 */
public final class DmarcLookup {
  /** What a lookup was for. */
  public enum Purpose {
    /** A TXT query for a DMARC record at {@code _dmarc.<name>}. */
    DMARC_RECORD,
    /** An A query of the author domain: does it exist (RFC 9989 §4.10.1, RFC 8020)? */
    EXISTENCE
  }

  private final Purpose purpose;
  private final DomainName name;
  private final DnsStatus status;
  private final List<String> dmarcRecords;
  private final int otherRecords;
  private final Optional<DnsFailure> failure;

  DmarcLookup(
      Purpose purpose,
      DomainName name,
      DnsStatus status,
      List<String> dmarcRecords,
      int otherRecords,
      Optional<DnsFailure> failure) {
    this.purpose = requireNonNull(purpose, "purpose");
    this.name = requireNonNull(name, "name");
    this.status = requireNonNull(status, "status");
    this.dmarcRecords = List.copyOf(dmarcRecords);
    this.otherRecords = otherRecords;
    this.failure = requireNonNull(failure, "failure");
  }

  /**
   * Returns what the lookup was for.
   *
   * @return the purpose
   */
  public Purpose purpose() {
    return purpose;
  }

  /**
   * Returns the name queried: {@code _dmarc.example.com}, or the author domain for an existence
   * test.
   *
   * @return the queried name
   */
  public DomainName name() {
    return name;
  }

  /**
   * Returns the DNS outcome. A lookup still unanswered when the verifier's time budget ran out is a
   * {@link DnsStatus#TEMP_FAIL} with a {@code TIMEOUT} {@link #failure()}.
   *
   * @return the status
   */
  public DnsStatus status() {
    return status;
  }

  /**
   * Returns the TXT records that start with {@code v=DMARC1}, as text. More than one means the name
   * has no usable record (RFC 9989 §4.10 step 3: several records are all discarded).
   *
   * @return the DMARC records found, usually none or one
   */
  public List<String> dmarcRecords() {
    return dmarcRecords;
  }

  /**
   * Returns how many other TXT records the name had, discarded because they are not DMARC records
   * (RFC 9989 §4.10 step 2).
   *
   * @return the count of discarded records
   */
  public int otherRecords() {
    return otherRecords;
  }

  /**
   * Returns why the lookup failed, for {@link DnsStatus#TEMP_FAIL}.
   *
   * @return the failure, or empty
   */
  public Optional<DnsFailure> failure() {
    return failure;
  }

  /**
   * Tells whether exactly one DMARC record was found, the only case in which the name has a policy.
   *
   * @return whether one DMARC record was found
   */
  public boolean hasRecord() {
    return dmarcRecords.size() == 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmarcLookup l
        && l.purpose == purpose
        && l.name.equals(name)
        && l.status == status
        && l.dmarcRecords.equals(dmarcRecords)
        && l.otherRecords == otherRecords
        && l.failure.equals(failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(purpose, name, status, dmarcRecords, otherRecords);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(purpose == Purpose.EXISTENCE ? "A " : "TXT ");
    s.append(name).append(' ').append(status);
    if (!dmarcRecords.isEmpty()) {
      s.append(' ').append(dmarcRecords.size()).append(" DMARC record(s)");
    }
    failure.ifPresent(f -> s.append(" (").append(f.kind()).append(')'));
    return s.toString();
  }
}
