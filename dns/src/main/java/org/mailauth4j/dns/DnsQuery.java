package org.mailauth4j.dns;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.xbill.DNS.Type;

/**
 * A DNS question whose answer type is fixed by the factory that made it: {@link #txt} answers with
 * {@link TxtRecord}s, {@link #mx} with {@link MxHost}s, and so on. Pass it to {@link
 * DnsResolver#lookupAsync(DnsQuery)}.
 *
 * <p>Queries are immutable values; equal queries (same name, type and answer form) may share a
 * cached answer.
 *
 * @param <T> the type of the records in the answer
 */
public final class DnsQuery<T> {

  /** How the records of the answer are decoded. */
  enum Form {
    TXT,
    A,
    AAAA,
    MX,
    PTR,
    CNAME,
    RAW
  }

  private final DomainName name;
  private final int type;
  private final Form form;

  private DnsQuery(DomainName name, int type, Form form) {
    this.name = requireNonNull(name, "name");
    this.type = type;
    this.form = form;
  }

  /**
   * Asks for the TXT records at a name, as SPF, DKIM, DMARC, MTA-STS and TLS-RPT do.
   *
   * @param name the owner name, such as {@code _dmarc.example.com}
   * @return the query
   */
  public static DnsQuery<TxtRecord> txt(DomainName name) {
    return new DnsQuery<>(name, Type.TXT, Form.TXT);
  }

  /**
   * Asks for the IPv4 addresses of a name.
   *
   * @param name the host name
   * @return the query
   */
  public static DnsQuery<Inet4Address> a(DomainName name) {
    return new DnsQuery<>(name, Type.A, Form.A);
  }

  /**
   * Asks for the IPv6 addresses of a name.
   *
   * @param name the host name
   * @return the query
   */
  public static DnsQuery<Inet6Address> aaaa(DomainName name) {
    return new DnsQuery<>(name, Type.AAAA, Form.AAAA);
  }

  /**
   * Asks for the mail exchangers of a domain.
   *
   * @param name the mail domain
   * @return the query
   */
  public static DnsQuery<MxHost> mx(DomainName name) {
    return new DnsQuery<>(name, Type.MX, Form.MX);
  }

  /**
   * Asks for the host names of an address (reverse DNS).
   *
   * @param address the address whose PTR records are wanted
   * @return the query for {@link DomainName#reverseLookupName(InetAddress)}
   */
  public static DnsQuery<DomainName> ptr(InetAddress address) {
    return ptr(DomainName.reverseLookupName(address));
  }

  /**
   * Asks for the PTR records at a name under {@code in-addr.arpa} or {@code ip6.arpa}.
   *
   * @param reverseName the reverse-lookup name
   * @return the query
   */
  public static DnsQuery<DomainName> ptr(DomainName reverseName) {
    return new DnsQuery<>(reverseName, Type.PTR, Form.PTR);
  }

  /**
   * Asks whether a name is an alias: its CNAME record's target, not followed (RFC 1034 §3.6.2).
   * DANE needs it to tell each link of a chain apart (RFC 7672 §2.2.2); other queries follow
   * aliases by themselves.
   *
   * @param name the name that may be an alias
   * @return the query; an answer has at most one target
   */
  public static DnsQuery<DomainName> cname(DomainName name) {
    return new DnsQuery<>(name, Type.CNAME, Form.CNAME);
  }

  /**
   * Asks for records of any type, answered as {@link RawRecord}s; for types this module has no
   * typed form for, such as TLSA (52). Asking for type 5 (CNAME) returns the alias itself instead
   * of following it, as {@link #cname(DomainName)} does with a typed answer.
   *
   * @param name the owner name
   * @param type the RR type code
   * @return the query
   * @throws IllegalArgumentException for a type outside 1..65535 or a meta type (OPT, TSIG, AXFR,
   *     IXFR, ANY, ...) that is not a question about data
   */
  public static DnsQuery<RawRecord> ofType(DomainName name, int type) {
    if (type < 1 || type > 0xFFFF || !Type.isRR(type)) {
      throw new IllegalArgumentException("not a data RR type: " + type);
    }
    return new DnsQuery<>(name, type, Form.RAW);
  }

  /**
   * Returns the name asked about.
   *
   * @return the owner name
   */
  public DomainName name() {
    return name;
  }

  /**
   * Returns the RR type asked for.
   *
   * @return the type code, such as 16 for TXT
   */
  public int type() {
    return type;
  }

  /**
   * Returns the mnemonic of the type asked for.
   *
   * @return such as {@code TXT}, or {@code TYPE65280} for a type without one (RFC 3597)
   */
  public String typeName() {
    return Type.string(type);
  }

  Form form() {
    return form;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsQuery
        && ((DnsQuery<?>) o).type == type
        && ((DnsQuery<?>) o).form == form
        && ((DnsQuery<?>) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + type) * 31 + form.hashCode();
  }

  /** Returns the question as {@code name/TYPE}, such as {@code example.com/MX}. */
  @Override
  public String toString() {
    return name + "/" + typeName();
  }
}
