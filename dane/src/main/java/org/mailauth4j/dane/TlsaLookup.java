package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.TlsRptPolicy;

/**
 * What DNS says about the TLSA records of one SMTP server (RFC 7672 §2.2): whether DANE applies to
 * it, the records found and where (the TLSA base domain, §2.2.3), and the server's addresses. Made
 * by {@link TlsaResolver}; the factories are for other resolvers and tests. Immutable.
 */
public final class TlsaLookup {

  /** The outcomes RFC 7672 §2.1.1 and §2.2 tell apart. */
  public enum Status {
    /**
     * DNSSEC-validated TLSA records, at least one of them usable: the server must be authenticated
     * with them (DANE applies).
     */
    USABLE,
    /**
     * DNSSEC-validated TLSA records, none of them usable: TLS is still mandatory, but the server is
     * not authenticated (RFC 7672 §2.2, §3.1).
     */
    UNUSABLE,
    /** DNSSEC proved that there are no TLSA records: DANE does not apply. */
    NOT_FOUND,
    /**
     * The server's address records, or the TLSA records, are not DNSSEC-validated ("insecure"):
     * DANE does not apply (RFC 7672 §2.2.2, §2.2.3).
     */
    INSECURE,
    /**
     * A lookup failed, or a validating resolver found an answer bogus: the server must be treated
     * as unreachable (RFC 7672 §2.1.1, §2.2).
     */
    FAILED
  }

  private final DomainName host;
  private final int port;
  private final Status status;
  private final Optional<DomainName> baseDomain;
  private final List<TlsaRecord> records;
  private final List<InetAddress> addresses;
  private final Optional<DnsFailure> failure;
  private final String detail;

  private TlsaLookup(
      DomainName host,
      int port,
      Status status,
      Optional<DomainName> baseDomain,
      List<TlsaRecord> records,
      List<InetAddress> addresses,
      Optional<DnsFailure> failure,
      String detail) {
    this.host = requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
    }
    this.port = port;
    this.status = status;
    this.baseDomain = baseDomain;
    this.records = List.copyOf(records);
    this.addresses = List.copyOf(addresses);
    this.failure = failure;
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * DNSSEC-validated TLSA records: {@link Status#USABLE} if one of them is usable, else {@link
   * Status#UNUSABLE}.
   *
   * @param host the server's host name, as the MX record names it
   * @param port the server's TCP port
   * @param baseDomain the TLSA base domain the records were found at (RFC 7672 §2.2.3)
   * @param records the TLSA RRset, not empty
   * @param addresses the server's addresses
   * @param detail a human-readable account of the lookup
   * @return the lookup
   */
  public static TlsaLookup secure(
      DomainName host,
      int port,
      DomainName baseDomain,
      List<TlsaRecord> records,
      List<InetAddress> addresses,
      String detail) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("a secure TLSA RRset has records; use notFound");
    }
    Status status = records.stream().anyMatch(TlsaRecord::usable) ? Status.USABLE : Status.UNUSABLE;
    return new TlsaLookup(
        host,
        port,
        status,
        Optional.of(requireNonNull(baseDomain, "baseDomain")),
        records,
        addresses,
        Optional.empty(),
        detail);
  }

  /**
   * DNSSEC proved that no TLSA records exist.
   *
   * @param host the server's host name
   * @param port the server's TCP port
   * @param addresses the server's addresses
   * @param detail a human-readable account of the lookup
   * @return a lookup with {@link Status#NOT_FOUND}
   */
  public static TlsaLookup notFound(
      DomainName host, int port, List<InetAddress> addresses, String detail) {
    return new TlsaLookup(
        host,
        port,
        Status.NOT_FOUND,
        Optional.empty(),
        List.of(),
        addresses,
        Optional.empty(),
        detail);
  }

  /**
   * An answer on the way was not DNSSEC-validated.
   *
   * @param host the server's host name
   * @param port the server's TCP port
   * @param addresses the server's addresses
   * @param detail which answer was insecure
   * @return a lookup with {@link Status#INSECURE}
   */
  public static TlsaLookup insecure(
      DomainName host, int port, List<InetAddress> addresses, String detail) {
    return new TlsaLookup(
        host,
        port,
        Status.INSECURE,
        Optional.empty(),
        List.of(),
        addresses,
        Optional.empty(),
        detail);
  }

  /**
   * A lookup failed or was bogus.
   *
   * @param host the server's host name
   * @param port the server's TCP port
   * @param failure the DNS failure, {@link DnsFailure.Kind#DNSSEC_BOGUS} for a bogus answer
   * @param detail which lookup failed
   * @return a lookup with {@link Status#FAILED}
   */
  public static TlsaLookup failed(DomainName host, int port, DnsFailure failure, String detail) {
    return new TlsaLookup(
        host,
        port,
        Status.FAILED,
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.of(requireNonNull(failure, "failure")),
        detail);
  }

  /**
   * Returns the server's host name, as it was asked about.
   *
   * @return the host name
   */
  public DomainName host() {
    return host;
  }

  /**
   * Returns the server's TCP port: TLSA records are looked up at {@code _<port>._tcp.<base>}.
   *
   * @return the port, 25 for SMTP
   */
  public int port() {
    return port;
  }

  /**
   * Returns the outcome.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Tells whether the server must be authenticated with DANE.
   *
   * @return true for {@link Status#USABLE}
   */
  public boolean daneApplies() {
    return status == Status.USABLE;
  }

  /**
   * Tells whether TLS is mandatory with this server because of its TLSA records.
   *
   * @return true for {@link Status#USABLE} and {@link Status#UNUSABLE}
   */
  public boolean tlsRequired() {
    return status == Status.USABLE || status == Status.UNUSABLE;
  }

  /**
   * Returns the TLSA base domain (RFC 7672 §2.2.3): the name, the host's or its CNAME target's,
   * whose TLSA records were found. It is the name to send in SNI and the first reference identifier
   * (§3.2.2), and the TLS-RPT policy domain of DANE sessions (RFC 8460 §3).
   *
   * @return the base domain, for {@link Status#USABLE} and {@link Status#UNUSABLE}
   */
  public Optional<DomainName> baseDomain() {
    return baseDomain;
  }

  /**
   * Returns the TLSA records found, usable or not, as published.
   *
   * @return an immutable list, empty unless secure records were found
   */
  public List<TlsaRecord> records() {
    return records;
  }

  /**
   * Returns the records SMTP uses (RFC 7672 §3.1).
   *
   * @return the {@linkplain TlsaRecord#usable() usable} records, in published order
   */
  public List<TlsaRecord> usableRecords() {
    return records.stream().filter(TlsaRecord::usable).toList();
  }

  /**
   * Returns the addresses of the server found on the way.
   *
   * @return an immutable list, IPv4 before IPv6; empty for {@link Status#FAILED}
   */
  public List<InetAddress> addresses() {
    return addresses;
  }

  /**
   * Returns the DNS failure of a failed lookup.
   *
   * @return the failure, for {@link Status#FAILED}
   */
  public Optional<DnsFailure> failure() {
    return failure;
  }

  /**
   * Returns a human-readable account of the lookup.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Describes the DANE policy for TLS-RPT (RFC 8460 §4.4): type {@code tlsa}, the TLSA base domain
   * (the host itself when no records were had), each record in presentation form, and the host.
   *
   * @return the policy description
   */
  public TlsRptPolicy reportPolicy() {
    return TlsRptPolicy.tlsa(
        baseDomain.orElse(host), records.stream().map(TlsaRecord::toText).toList(), host);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsaLookup l
        && l.host.equals(host)
        && l.port == port
        && l.status == status
        && l.baseDomain.equals(baseDomain)
        && l.records.equals(records)
        && l.addresses.equals(addresses)
        && l.failure.equals(failure)
        && l.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        host, port, status, baseDomain, records, addresses, failure, detail);
  }

  @Override
  public String toString() {
    return "TlsaLookup["
        + host
        + ":"
        + port
        + " "
        + status
        + baseDomain.map(b -> " at " + b).orElse("")
        + (records.isEmpty() ? "" : " " + records)
        + ", "
        + detail
        + "]";
  }
}
