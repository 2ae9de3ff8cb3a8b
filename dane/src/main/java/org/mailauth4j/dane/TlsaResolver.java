package org.mailauth4j.dane;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.InputSyntaxException;
import org.mailauth4j.dns.RawRecord;

/**
 * Finds the TLSA records of an SMTP server as RFC 7672 §2.1.1, §2.2.2 and §2.2.3 say, and tells
 * whether DANE applies to it:
 *
 * <ol>
 *   <li>the server's A and AAAA records are looked up at once; a bogus answer, or no address and a
 *       failed lookup, make the server unreachable ({@link TlsaLookup.Status#FAILED}); address
 *       records that DNSSEC did not validate mean DANE does not apply ({@link
 *       TlsaLookup.Status#INSECURE}) and no TLSA records are asked for;
 *   <li>the TLSA base domains are the fully CNAME-expanded name and then the original name when the
 *       host is an alias, its address records are secure and so is each CNAME of the chain; the
 *       host alone when it is no alias, or when its address records are insecure but its first
 *       CNAME is secure (§2.2.2);
 *   <li>TLSA records are asked for at {@code _<port>._tcp.<base>} for each base domain in turn: a
 *       failed or bogus lookup makes the server unreachable, without trying the next base domain
 *       (§2.2); DNSSEC-validated records end the search; anything else tries the next.
 * </ol>
 *
 * <p>An answer is DNSSEC-validated when the {@link DnsResolver} says it is ({@link
 * DnsAnswer#authenticated()}); for a CNAME chain the resolver vouches for every link. Immutable and
 * thread-safe; the lookups never complete exceptionally.
 *
 * <pre>{@code
 * TlsaResolver tlsa = TlsaResolver.builder(dns).build();
 * TlsaLookup lookup = tlsa.lookup(DomainName.parse("mx.example.com"));
 * if (lookup.daneApplies()) { ... verify the chain with DaneVerifier ... }
 * }</pre>
 */
public final class TlsaResolver {
  /** The SMTP port, where RFC 7672 looks for TLSA records of MX hosts. */
  private static final int SMTP_PORT = 25;

  private final DnsResolver dns;
  private final int maxAliasChain;

  private TlsaResolver(Builder b) {
    this.dns = b.dns;
    this.maxAliasChain = b.maxAliasChain;
  }

  /**
   * Starts configuring a resolver.
   *
   * @param dns where the address, CNAME and TLSA records are looked up; it must report DNSSEC
   *     validation (a validating resolver, or a trusted one that sets the AD bit) or DANE never
   *     applies
   * @return a builder: CNAME chains of up to 8 aliases
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(requireNonNull(dns, "dns"));
  }

  /**
   * Finds the TLSA records of an SMTP server on port 25.
   *
   * @param host the server's name, as the MX record gives it
   * @return a future of the lookup; it always completes normally
   */
  public CompletableFuture<TlsaLookup> lookupAsync(DomainName host) {
    return lookupAsync(host, SMTP_PORT);
  }

  /**
   * Finds the TLSA records of a server on a port.
   *
   * @param host the server's name
   * @param port the TCP port, 1 to 65535
   * @return a future of the lookup; it always completes normally
   * @throws IllegalArgumentException if the port is out of range
   */
  public CompletableFuture<TlsaLookup> lookupAsync(DomainName host, int port) {
    requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
    }
    CompletableFuture<DnsAnswer<Inet4Address>> a = ask(DnsQuery.a(host));
    CompletableFuture<DnsAnswer<Inet6Address>> aaaa = ask(DnsQuery.aaaa(host));
    CompletableFuture<DnsAnswer<DomainName>> alias = ask(DnsQuery.cname(host));
    return CompletableFuture.allOf(a, aaaa, alias)
        .thenCompose(v -> afterAddresses(host, port, a.join(), aaaa.join(), alias.join()))
        .exceptionally(
            e ->
                TlsaLookup.failed(
                    host,
                    port,
                    DnsFailure.of(DnsFailure.Kind.NETWORK_ERROR, "TLSA lookup failed: " + e, e),
                    "the lookup for " + host + " failed: " + e));
  }

  /**
   * Finds the TLSA records of an SMTP server on port 25 and waits. This only joins {@link
   * #lookupAsync(DomainName)}.
   *
   * @param host the server's name
   * @return the lookup
   */
  public TlsaLookup lookup(DomainName host) {
    return lookupAsync(host).join();
  }

  /**
   * Finds the TLSA records of a server on a port and waits. This only joins {@link
   * #lookupAsync(DomainName, int)}.
   *
   * @param host the server's name
   * @param port the TCP port, 1 to 65535
   * @return the lookup
   */
  public TlsaLookup lookup(DomainName host, int port) {
    return lookupAsync(host, port).join();
  }

  private <T> CompletableFuture<DnsAnswer<T>> ask(DnsQuery<T> query) {
    return Lookups.ask(dns, query);
  }

  private CompletableFuture<TlsaLookup> afterAddresses(
      DomainName host,
      int port,
      DnsAnswer<Inet4Address> a,
      DnsAnswer<Inet6Address> aaaa,
      DnsAnswer<DomainName> alias) {
    // RFC 7672 §2.1.1: a bogus answer is a failed lookup, and the server is not to be tried.
    for (DnsAnswer<?> answer : List.of(a, aaaa)) {
      if (isBogus(answer)) {
        return done(
            TlsaLookup.failed(
                host,
                port,
                answer.failure().orElseThrow(),
                "the address records of " + host + " are bogus (RFC 7672 §2.1.1): " + answer));
      }
    }
    List<InetAddress> addresses = new ArrayList<>(a.records());
    addresses.addAll(aaaa.records());
    if (addresses.isEmpty()) {
      for (DnsAnswer<?> answer : List.of(a, aaaa)) {
        if (answer.isTempFail()) {
          return done(
              TlsaLookup.failed(
                  host,
                  port,
                  answer.failure().orElseThrow(),
                  "no addresses for " + host + " and a lookup failed: " + answer));
        }
      }
      String detail = host + " has no addresses (" + a.status() + " A, " + aaaa.status() + " AAAA)";
      return done(
          a.authenticated() && aaaa.authenticated()
              ? TlsaLookup.notFound(host, port, List.of(), detail + ", DNSSEC-validated")
              : TlsaLookup.insecure(host, port, List.of(), detail + ", not DNSSEC-validated"));
    }
    List<InetAddress> found = List.copyOf(addresses);
    // RFC 7672 §2.2.2: DANE applies only to a server whose address records DNSSEC validated. Of an
    // A RRset and an AAAA RRset, one secure RRset makes the name secure: the other's addresses
    // still lead to a server that must present a chain matching the secure TLSA records.
    boolean secure = (a.isFound() && a.authenticated()) || (aaaa.isFound() && aaaa.authenticated());
    boolean isAlias = alias.isFound();
    if (!secure) {
      if (isAlias && alias.authenticated()) {
        // §2.2.2: the address records past an insecure link are insecure, but the original name,
        // whose CNAME is secure, stays a secure TLSA base domain.
        return tlsa(
            host,
            port,
            List.of(host),
            found,
            "the address records of "
                + host
                + " are not DNSSEC-validated but its CNAME is; TLSA base domain "
                + host);
      }
      return done(
          TlsaLookup.insecure(
              host,
              port,
              found,
              "address records not DNSSEC-validated: DANE does not apply, RFC 7672 §2.2.2"));
    }
    if (!isAlias) {
      if (alias.isTempFail()) {
        return done(
            TlsaLookup.failed(
                host,
                port,
                alias.failure().orElseThrow(),
                "cannot tell whether " + host + " is an alias: " + alias));
      }
      return tlsa(host, port, List.of(host), found, "");
    }
    return expand(host, alias, new HashSet<>(List.of(host)), true)
        .thenCompose(
            expanded -> {
              if (expanded.failure.isPresent()) {
                return done(TlsaLookup.failed(host, port, expanded.failure.get(), expanded.detail));
              }
              DomainName last = expanded.name;
              if (!expanded.secure) {
                // §2.2.2: the expanded name is a TLSA base domain only if every link of the chain
                // is secure; were an insecure link trusted, whoever forged it would choose the
                // name whose TLSA records authenticate the server.
                return tlsa(
                    host,
                    port,
                    List.of(host),
                    found,
                    host + " is an alias of " + last + " through a link not DNSSEC-validated; ");
              }
              // §2.2.3: the fully expanded name first, then the original name.
              List<DomainName> candidates = last.equals(host) ? List.of(host) : List.of(last, host);
              return tlsa(host, port, candidates, found, host + " is an alias of " + last + "; ");
            });
  }

  private static boolean isBogus(DnsAnswer<?> answer) {
    return answer.failure().map(f -> f.kind() == DnsFailure.Kind.DNSSEC_BOGUS).orElse(false);
  }

  /** The end of a CNAME chain, or why it could not be followed. */
  private record Expansion(
      DomainName name, boolean secure, Optional<DnsFailure> failure, String detail) {}

  /**
   * Follows a CNAME chain one hop at a time, up to the limit, refusing loops, and notes whether
   * every link was DNSSEC-validated.
   */
  private CompletableFuture<Expansion> expand(
      DomainName current, DnsAnswer<DomainName> answer, Set<DomainName> visited, boolean secure) {
    if (answer.isTempFail()) {
      return CompletableFuture.completedFuture(
          new Expansion(
              current,
              false,
              answer.failure(),
              "the CNAME lookup of " + current + " failed: " + answer));
    }
    if (!answer.isFound()) {
      return CompletableFuture.completedFuture(
          new Expansion(current, secure, Optional.empty(), ""));
    }
    boolean stillSecure = secure && answer.authenticated();
    DomainName next = answer.records().get(0);
    boolean loop = !visited.add(next);
    if (loop || visited.size() > maxAliasChain + 1) {
      DnsFailure chain =
          DnsFailure.of(
              DnsFailure.Kind.ALIAS_CHAIN,
              loop
                  ? "CNAME loop at " + next
                  : "more than " + maxAliasChain + " CNAMEs at " + current);
      return CompletableFuture.completedFuture(
          new Expansion(current, false, Optional.of(chain), chain.detail()));
    }
    return ask(DnsQuery.cname(next)).thenCompose(a -> expand(next, a, visited, stillSecure));
  }

  /** §2.2.3: asks for TLSA records at each base domain in turn. */
  private CompletableFuture<TlsaLookup> tlsa(
      DomainName host,
      int port,
      List<DomainName> candidates,
      List<InetAddress> addresses,
      String detail) {
    return nextCandidate(host, port, candidates, 0, addresses, new StringBuilder(detail), true);
  }

  private CompletableFuture<TlsaLookup> nextCandidate(
      DomainName host,
      int port,
      List<DomainName> candidates,
      int index,
      List<InetAddress> addresses,
      StringBuilder notes,
      boolean allDenialsSecure) {
    if (index == candidates.size()) {
      String detail = notes.toString();
      return done(
          allDenialsSecure
              ? TlsaLookup.notFound(
                  host, port, addresses, detail + "DNSSEC proved there are no TLSA records")
              : TlsaLookup.insecure(
                  host,
                  port,
                  addresses,
                  detail + "no DNSSEC-validated TLSA records: DANE does not apply, RFC 7672 §2.2"));
    }
    DomainName base = candidates.get(index);
    DomainName name;
    try {
      name = base.prepend("_" + port + "._tcp");
    } catch (InputSyntaxException e) {
      // The name cannot exist in DNS, so there are no records at it.
      notes.append("_").append(port).append("._tcp.").append(base).append(" is too long; ");
      return nextCandidate(host, port, candidates, index + 1, addresses, notes, allDenialsSecure);
    }
    return ask(DnsQuery.ofType(name, TlsaRecord.TYPE))
        .thenCompose(
            answer -> {
              switch (answer.status()) {
                case TEMP_FAIL:
                  // RFC 7672 §2.2: a failed or bogus TLSA lookup makes the server unreachable; an
                  // attacker who can make it fail must not get the next base domain instead.
                  return done(
                      TlsaLookup.failed(
                          host,
                          port,
                          answer.failure().orElseThrow(),
                          notes
                              + "the TLSA lookup at "
                              + name
                              + " failed (RFC 7672 §2.2): "
                              + answer.failure().orElseThrow().kind()
                              + ", "
                              + answer.failure().orElseThrow().detail()));
                case FOUND:
                  if (answer.authenticated()) {
                    return done(found(host, port, base, name, answer, addresses, notes));
                  }
                  notes.append("TLSA records at ").append(name).append(" not DNSSEC-validated; ");
                  return nextCandidate(host, port, candidates, index + 1, addresses, notes, false);
                default:
                  notes
                      .append(answer.status() == DnsStatus.NXDOMAIN ? "no name " : "no TLSA at ")
                      .append(name)
                      .append(answer.authenticated() ? " (DNSSEC-validated); " : " (insecure); ");
                  return nextCandidate(
                      host,
                      port,
                      candidates,
                      index + 1,
                      addresses,
                      notes,
                      allDenialsSecure && answer.authenticated());
              }
            });
  }

  private static TlsaLookup found(
      DomainName host,
      int port,
      DomainName base,
      DomainName name,
      DnsAnswer<RawRecord> answer,
      List<InetAddress> addresses,
      StringBuilder notes) {
    List<TlsaRecord> records = new ArrayList<>();
    int skipped = 0;
    for (RawRecord raw : answer.records()) {
      byte[] rdata = raw.rdata();
      if (rdata.length < 4) {
        skipped++; // RFC 6698 §2.1: three octets and at least one of data
        continue;
      }
      records.add(TlsaRecord.fromRdata(rdata));
    }
    if (skipped > 0) {
      notes.append(skipped).append(" TLSA RDATA under 4 octets skipped; ");
    }
    if (records.isEmpty()) {
      // Only a resolver that does not parse TLSA records can hand these over; a validating one
      // would have called the response malformed, which makes the server unreachable too.
      DnsFailure malformed =
          DnsFailure.of(
              DnsFailure.Kind.MALFORMED_RESPONSE, "no TLSA record at " + name + " can be decoded");
      return TlsaLookup.failed(host, port, malformed, notes + malformed.detail());
    }
    return TlsaLookup.secure(
        host,
        port,
        base,
        records,
        addresses,
        notes.toString() + records.size() + " DNSSEC-validated TLSA records at " + name);
  }

  private static CompletableFuture<TlsaLookup> done(TlsaLookup lookup) {
    return CompletableFuture.completedFuture(lookup);
  }

  /** Configures a {@link TlsaResolver}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private final DnsResolver dns;
    private int maxAliasChain = 8;

    private Builder(DnsResolver dns) {
      this.dns = dns;
    }

    /**
     * Sets how many CNAMEs are followed to find the fully expanded name of a host (RFC 7672
     * §2.2.3); a longer chain, or a loop, makes the lookup fail.
     *
     * @param max at least 0; 8 by default
     * @return this builder
     */
    public Builder maxAliasChain(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxAliasChain must not be negative: " + max);
      }
      this.maxAliasChain = max;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return an immutable, thread-safe resolver
     */
    public TlsaResolver build() {
      return new TlsaResolver(this);
    }
  }
}
