package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dane.ScriptedDns.name;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.TlsaLookup.Status;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;

class TlsaResolverTest {
  static final int A = 1;
  static final int AAAA = 28;
  static final int CNAME = 5;
  static final int TLSA = TlsaRecord.TYPE;

  static final TlsaRecord EE = TlsaRecord.of(3, 1, 1, digest(1));
  static final TlsaRecord TA = TlsaRecord.of(2, 0, 1, digest(2));
  static final TlsaRecord PKIX_TA = TlsaRecord.of(0, 0, 1, digest(3));

  static byte[] digest(int fill) {
    byte[] d = new byte[32];
    Arrays.fill(d, (byte) fill);
    return d;
  }

  /**
   * One lookup: the zone, the host and port asked about, and what must come of it.
   *
   * @param base the expected TLSA base domain, or null for none
   * @param tlsaAsked the TLSA names the resolver must ask for, in order, and no others
   * @param addresses the expected addresses, or null not to check them
   */
  record Case(
      Consumer<ScriptedDns> zone,
      String host,
      int port,
      int maxAliasChain,
      Status status,
      String base,
      List<String> tlsaAsked,
      List<String> addresses) {

    Case port(int p) {
      return new Case(zone, host, p, maxAliasChain, status, base, tlsaAsked, addresses);
    }

    Case maxAliasChain(int max) {
      return new Case(zone, host, port, max, status, base, tlsaAsked, addresses);
    }

    Case addresses(String... expected) {
      return new Case(zone, host, port, maxAliasChain, status, base, tlsaAsked, List.of(expected));
    }
  }

  static Case lookup(
      Consumer<ScriptedDns> zone, String host, Status status, String base, String... tlsaAsked) {
    return new Case(zone, host, 25, 8, status, base, List.of(tlsaAsked), null);
  }

  static Named<Case> named(String name, Case c) {
    return Named.of(name, c);
  }

  static final String MX = "mx.example";
  static final String TLSA_MX = "_25._tcp.mx.example";
  static final String PROVIDER = "mx.provider.example";
  static final String TLSA_PROVIDER = "_25._tcp.mx.provider.example";

  /** {@link #MX} with a secure A record and no alias. */
  static ScriptedDns secureHost(ScriptedDns z) {
    return z.a(MX, true, "192.0.2.1");
  }

  /** {@link #MX} a secure alias of {@link #PROVIDER}, which has a secure A record. */
  static ScriptedDns secureAlias(ScriptedDns z) {
    return z.cname(MX, PROVIDER, true).a(PROVIDER, true, "192.0.2.7");
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        named(
            "RFC 7672 §2.2: secure DANE-EE(3) records at _25._tcp of a secure host are usable",
            lookup(z -> secureHost(z).tlsa(TLSA_MX, true, EE), MX, Status.USABLE, MX, TLSA_MX)
                .addresses("192.0.2.1")),
        named(
            "RFC 7672 §2.2: secure DANE-TA(2) records are usable",
            lookup(z -> secureHost(z).tlsa(TLSA_MX, true, TA), MX, Status.USABLE, MX, TLSA_MX)),
        named(
            "RFC 7672 §2.2, §3.1.3: secure records with only PKIX-TA(0) are unusable",
            lookup(
                z -> secureHost(z).tlsa(TLSA_MX, true, PKIX_TA), MX, Status.UNUSABLE, MX, TLSA_MX)),
        named(
            "RFC 7672 §2.2: insecure TLSA records are not used",
            lookup(
                z -> secureHost(z).tlsa(TLSA_MX, false, EE), MX, Status.INSECURE, null, TLSA_MX)),
        named(
            "RFC 7672 §2.2: a secure empty TLSA RRset (NODATA) means DANE does not apply",
            lookup(
                z -> secureHost(z).noData(TLSA_MX, TLSA, true),
                MX,
                Status.NOT_FOUND,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2: a secure NXDOMAIN for the TLSA name means DANE does not apply",
            lookup(
                z -> secureHost(z).nxDomain(TLSA_MX, TLSA, true),
                MX,
                Status.NOT_FOUND,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2: an insecure denial of TLSA records is insecure",
            lookup(
                z -> secureHost(z).noData(TLSA_MX, TLSA, false),
                MX,
                Status.INSECURE,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2: a TLSA SERVFAIL makes the host unreachable",
            lookup(
                z -> secureHost(z).fail(TLSA_MX, TLSA, DnsFailure.Kind.SERVER_FAILURE),
                MX,
                Status.FAILED,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.1.1: a bogus TLSA RRset makes the host unreachable",
            lookup(
                z -> secureHost(z).fail(TLSA_MX, TLSA, DnsFailure.Kind.DNSSEC_BOGUS),
                MX,
                Status.FAILED,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.1.1: bogus address records make the host unreachable, no TLSA lookup",
            lookup(
                z ->
                    secureHost(z)
                        .fail(MX, AAAA, DnsFailure.Kind.DNSSEC_BOGUS)
                        .tlsa(TLSA_MX, true, EE),
                MX,
                Status.FAILED,
                null)),
        named(
            "RFC 7672 §2.2.2: insecure address records: DANE does not apply, no TLSA lookup",
            lookup(
                    z -> z.a(MX, false, "192.0.2.1").tlsa(TLSA_MX, true, EE),
                    MX,
                    Status.INSECURE,
                    null)
                .addresses("192.0.2.1")),
        named(
            "RFC 7672 §2.2.2: secure A and insecure AAAA: the TLSA records apply, IPv4 first",
            lookup(
                    z -> secureHost(z).aaaa(MX, false, "2001:db8::1").tlsa(TLSA_MX, true, EE),
                    MX,
                    Status.USABLE,
                    MX,
                    TLSA_MX)
                .addresses("192.0.2.1", "2001:db8::1")),
        named(
            "RFC 7672 §2.2.2: insecure A and secure AAAA: the TLSA records apply",
            lookup(
                    z ->
                        z.a(MX, false, "192.0.2.1")
                            .aaaa(MX, true, "2001:db8::1")
                            .tlsa(TLSA_MX, true, EE),
                    MX,
                    Status.USABLE,
                    MX,
                    TLSA_MX)
                .addresses("192.0.2.1", "2001:db8::1")),
        named(
            "RFC 7672 §2.2.2: secure A and a failed AAAA lookup: the found addresses are used",
            lookup(
                    z ->
                        secureHost(z)
                            .fail(MX, AAAA, DnsFailure.Kind.TIMEOUT)
                            .tlsa(TLSA_MX, true, EE),
                    MX,
                    Status.USABLE,
                    MX,
                    TLSA_MX)
                .addresses("192.0.2.1")),
        named(
            "RFC 7672 §2.2.2: no addresses, securely denied: no TLSA lookup",
            lookup(z -> z.noData(MX, A, true).noData(MX, AAAA, true), MX, Status.NOT_FOUND, null)),
        named(
            "RFC 7672 §2.2.2: no addresses, insecurely denied: insecure",
            lookup(
                z -> z.noData(MX, A, true).nxDomain(MX, AAAA, false), MX, Status.INSECURE, null)),
        named(
            "RFC 7672 §2.1.1: no addresses and a failed lookup: unreachable",
            lookup(
                z -> z.noData(MX, A, true).fail(MX, AAAA, DnsFailure.Kind.TIMEOUT),
                MX,
                Status.FAILED,
                null)),
        named(
            "RFC 7672 §2.2.3: a secure alias: the TLSA base domain is the expanded name first",
            lookup(
                    z -> secureAlias(z).tlsa(TLSA_PROVIDER, true, EE),
                    MX,
                    Status.USABLE,
                    PROVIDER,
                    TLSA_PROVIDER)
                .addresses("192.0.2.7")),
        named(
            "RFC 7672 §2.2.3: no TLSA records at the expanded name: then the original name",
            lookup(
                z -> secureAlias(z).noData(TLSA_PROVIDER, TLSA, true).tlsa(TLSA_MX, true, EE),
                MX,
                Status.USABLE,
                MX,
                TLSA_PROVIDER,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: insecure TLSA records at the expanded name: then the original name",
            lookup(
                z -> secureAlias(z).tlsa(TLSA_PROVIDER, false, EE).tlsa(TLSA_MX, true, TA),
                MX,
                Status.USABLE,
                MX,
                TLSA_PROVIDER,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: no TLSA records at either name, securely: not found",
            lookup(
                z -> secureAlias(z).noData(TLSA_PROVIDER, TLSA, true).nxDomain(TLSA_MX, TLSA, true),
                MX,
                Status.NOT_FOUND,
                null,
                TLSA_PROVIDER,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: a two-hop secure chain: the base domain is the last name",
            lookup(
                z ->
                    z.cname(MX, "hop.provider.example", true)
                        .cname("hop.provider.example", PROVIDER, true)
                        .a(PROVIDER, true, "192.0.2.7")
                        .tlsa(TLSA_PROVIDER, true, EE),
                MX,
                Status.USABLE,
                PROVIDER,
                TLSA_PROVIDER)),
        named(
            "RFC 7672 §2.2.2: secure first CNAME, insecure later hop: only the original name",
            lookup(
                    z ->
                        z.cname(MX, "hop.provider.example", true)
                            .cname("hop.provider.example", "mx.unsigned.example", false)
                            .a("mx.unsigned.example", false, "192.0.2.8")
                            .tlsa(TLSA_MX, true, EE)
                            .tlsa("_25._tcp.mx.unsigned.example", true, TA),
                    MX,
                    Status.USABLE,
                    MX,
                    TLSA_MX)
                .addresses("192.0.2.8")),
        named(
            "RFC 7672 §2.2.2: an insecure first CNAME: DANE does not apply",
            lookup(
                z ->
                    z.cname(MX, PROVIDER, false)
                        .a(PROVIDER, true, "192.0.2.7")
                        .tlsa(TLSA_PROVIDER, true, EE)
                        .tlsa(TLSA_MX, true, EE),
                MX,
                Status.INSECURE,
                null)),
        named(
            "RFC 7672 §2.2: a TLSA failure at the expanded name: unreachable, original not tried",
            lookup(
                z ->
                    secureAlias(z)
                        .fail(TLSA_PROVIDER, TLSA, DnsFailure.Kind.TIMEOUT)
                        .tlsa(TLSA_MX, true, EE),
                MX,
                Status.FAILED,
                null,
                TLSA_PROVIDER)),
        named(
            "RFC 7672 §2.2.3: TLSA records shared through a secure CNAME are used",
            lookup(
                z ->
                    secureHost(z)
                        .cname(TLSA_MX, "_25._tcp.tlsa.provider.example", true)
                        .tlsa("_25._tcp.tlsa.provider.example", true, EE),
                MX,
                Status.USABLE,
                MX,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: TLSA records reached through an insecure CNAME are insecure",
            lookup(
                z ->
                    secureHost(z)
                        .cname(TLSA_MX, "_25._tcp.tlsa.provider.example", false)
                        .tlsa("_25._tcp.tlsa.provider.example", true, EE),
                MX,
                Status.INSECURE,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: a CNAME loop: the lookup fails",
            lookup(
                z -> z.cname(MX, "loop.example", true).cname("loop.example", MX, true),
                MX,
                Status.FAILED,
                null)),
        named(
            "RFC 7672 §2.2.3: a chain longer than maxAliasChain: the lookup fails",
            lookup(
                    z ->
                        z.cname(MX, "h1.example", true)
                            .cname("h1.example", "h2.example", true)
                            .cname("h2.example", "h3.example", true)
                            .a("h3.example", true, "192.0.2.9")
                            .tlsa("_25._tcp.h3.example", true, EE),
                    MX,
                    Status.FAILED,
                    null)
                .maxAliasChain(2)),
        named(
            "RFC 7672 §2.2: TLSA records of another port are at _587._tcp",
            lookup(
                    z ->
                        secureHost(z)
                            .tlsa(TLSA_MX, true, TA)
                            .tlsa("_587._tcp.mx.example", true, EE),
                    MX,
                    Status.USABLE,
                    MX,
                    "_587._tcp.mx.example")
                .port(587)),
        named(
            "RFC 6698 §2.1: TLSA RDATA under 4 octets is skipped, the rest used",
            lookup(
                z -> secureHost(z).tlsaRdata(TLSA_MX, true, new byte[] {3, 1, 1}, EE.toRdata()),
                MX,
                Status.USABLE,
                MX,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2: a secure TLSA RRset of nothing decodable: unreachable",
            lookup(
                z -> secureHost(z).tlsaRdata(TLSA_MX, true, new byte[] {3, 1}),
                MX,
                Status.FAILED,
                null,
                TLSA_MX)),
        named(
            "RFC 7672 §2.2.3: a base domain too long for _25._tcp has no TLSA records",
            lookup(z -> z.a(LONG, true, "192.0.2.1"), LONG, Status.NOT_FOUND, null)));
  }

  /** 247 octets: a valid name, but _25._tcp before it is over 253. */
  static final String LONG =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(55);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lookup(Case c) throws Exception {
    ScriptedDns dns = new ScriptedDns();
    c.zone().accept(dns);
    TlsaResolver resolver = TlsaResolver.builder(dns).maxAliasChain(c.maxAliasChain()).build();

    TlsaLookup lookup = resolver.lookupAsync(name(c.host()), c.port()).get();

    assertThat(lookup.status()).as(lookup.toString()).isEqualTo(c.status());
    assertThat(lookup.host()).isEqualTo(name(c.host()));
    assertThat(lookup.port()).isEqualTo(c.port());
    assertThat(lookup.baseDomain().map(Object::toString).orElse(null))
        .as(lookup.toString())
        .isEqualTo(c.base());
    assertThat(dns.tlsaAsked()).as(dns.asked().toString()).isEqualTo(c.tlsaAsked());
    assertThat(lookup.failure().isPresent()).isEqualTo(c.status() == Status.FAILED);
    assertThat(lookup.records().isEmpty())
        .isEqualTo(c.status() != Status.USABLE && c.status() != Status.UNUSABLE);
    if (c.addresses() != null) {
      assertThat(lookup.addresses().stream().map(InetAddress::getHostAddress).toList())
          .isEqualTo(c.addresses().stream().map(TlsaResolverTest::canonical).toList());
    }
  }

  static String canonical(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  @Test
  void theTlsaRecordsFoundAreTheOnesPublishedInOrder() {
    ScriptedDns dns = secureHost(new ScriptedDns()).tlsa(TLSA_MX, true, PKIX_TA, EE);
    TlsaLookup lookup = TlsaResolver.builder(dns).build().lookup(name(MX));
    assertThat(lookup.records()).containsExactly(PKIX_TA, EE);
    assertThat(lookup.usableRecords()).containsExactly(EE);
    assertThat(lookup.port()).isEqualTo(25);
  }

  @Test
  void aBogusTlsaAnswerCarriesItsFailureKind() {
    ScriptedDns dns =
        secureHost(new ScriptedDns()).fail(TLSA_MX, TLSA, DnsFailure.Kind.DNSSEC_BOGUS);
    TlsaLookup lookup = TlsaResolver.builder(dns).build().lookup(name(MX));
    assertThat(lookup.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
    assertThat(lookup.addresses()).isEmpty();
  }

  @Test
  void aResolverThatThrowsOrFailsGivesAFailedLookupNotAnException() {
    DnsResolver throwing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            throw new IllegalStateException("broken resolver");
          }
        };
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("broken future"));
          }
        };
    DnsResolver futureless =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return null; // broken: no future at all
          }
        };
    DnsResolver answerless =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.completedFuture(null); // broken: a future of nothing
          }
        };
    for (DnsResolver dns : List.of(throwing, failing, futureless, answerless)) {
      TlsaLookup lookup = TlsaResolver.builder(dns).build().lookup(name(MX));
      assertThat(lookup.status()).isEqualTo(Status.FAILED);
      assertThat(lookup.failure()).isPresent();
    }
  }

  @Test
  void anInsecureLinkOfTheChainIsNoTlsaBaseDomain() {
    // RFC 7672 §2.2.2: the expanded name is a TLSA base domain only when every CNAME is secure.
    // A resolver whose address answer vouches for the chain while a link asked for alone is
    // insecure (another path, a stale cache) must not let that link choose the TLSA records.
    ScriptedDns zone =
        secureAlias(new ScriptedDns())
            .tlsa(TLSA_PROVIDER, true, TA)
            .tlsa("_25._tcp.attacker.example", true, EE)
            .tlsa(TLSA_MX, true, EE);
    DnsResolver dns =
        new DnsResolver() {
          @Override
          @SuppressWarnings("unchecked")
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            if (query.type() == CNAME && query.name().equals(name(PROVIDER))) {
              return CompletableFuture.completedFuture(
                  DnsAnswer.found(
                      query, List.of((T) name("attacker.example")), Duration.ofMinutes(5), false));
            }
            return zone.lookupAsync(query);
          }
        };
    TlsaLookup lookup = TlsaResolver.builder(dns).build().lookup(name(MX));
    assertThat(lookup.status()).isEqualTo(Status.USABLE);
    assertThat(lookup.baseDomain()).contains(name(MX));
    assertThat(zone.tlsaAsked()).containsExactly(TLSA_MX);
  }

  @Test
  void limitsAreChecked() {
    ScriptedDns dns = new ScriptedDns();
    assertThatThrownBy(() -> TlsaResolver.builder(dns).maxAliasChain(-1))
        .isInstanceOf(IllegalArgumentException.class);
    TlsaResolver resolver = TlsaResolver.builder(dns).build();
    assertThatThrownBy(() -> resolver.lookup(name(MX), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> resolver.lookup(name(MX), 65536))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
