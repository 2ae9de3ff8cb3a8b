package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.dane.ScriptedDns.name;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.MxTransport.Security;
import org.mailauth4j.dane.TransportPolicy.Status;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.CachedPolicy;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MtaStsPolicyResolver;
import org.mailauth4j.mtasts.MxPattern;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.PolicyStore;
import org.mailauth4j.mtasts.TlsRptPolicyType;
import org.mailauth4j.mtasts.TlsRptResultType;

class TransportPolicyResolverTest {
  static final int A = 1;
  static final int MX_TYPE = 15;
  static final int TLSA = TlsaRecord.TYPE;

  static final TlsaRecord EE = TlsaResolverTest.EE;
  static final TlsaRecord TA = TlsaResolverTest.TA;
  static final TlsaRecord PKIX_EE_001 = TlsaRecord.of(0, 0, 1, TlsaResolverTest.digest(4));

  static final String DOMAIN = "example.com";
  static final String MX1 = "mx1.example.com";
  static final String MX2 = "mx2.example.com";

  /**
   * One recipient domain: its zone, how the resolver is configured, and the decision expected.
   *
   * @param hosts the MX hosts as {@code host SECURITY}, in order
   * @param tlsaAsked the TLSA names asked for, in order, or null not to check them
   * @param stsMode the mode of the cached MTA-STS policy for the domain, or null for no MTA-STS
   * @param check further assertions
   */
  record Case(
      Consumer<ScriptedDns> zone,
      Status status,
      List<String> hosts,
      List<String> tlsaAsked,
      String stsMode,
      boolean requireDane,
      int maxMxHosts,
      Consumer<TransportPolicy> check) {

    Case asksTlsa(String... names) {
      return new Case(zone, status, hosts, List.of(names), stsMode, requireDane, maxMxHosts, check);
    }

    Case sts(String mode) {
      return new Case(zone, status, hosts, tlsaAsked, mode, requireDane, maxMxHosts, check);
    }

    Case requiringDane() {
      return new Case(zone, status, hosts, tlsaAsked, stsMode, true, maxMxHosts, check);
    }

    Case maxMxHosts(int max) {
      return new Case(zone, status, hosts, tlsaAsked, stsMode, requireDane, max, check);
    }

    Case and(Consumer<TransportPolicy> more) {
      return new Case(
          zone,
          status,
          hosts,
          tlsaAsked,
          stsMode,
          requireDane,
          maxMxHosts,
          p -> {
            check.accept(p);
            more.accept(p);
          });
    }
  }

  static Case policy(Consumer<ScriptedDns> zone, Status status, String... hosts) {
    return new Case(zone, status, List.of(hosts), null, null, false, 16, p -> {});
  }

  /** A secure MX RRset for example.com with secure addresses for each host. */
  static ScriptedDns secureMx(ScriptedDns z, String... hosts) {
    String[] records = new String[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      records[i] = (10 * (i + 1)) + " " + hosts[i];
      z.a(hosts[i], true, "192.0.2." + (i + 1));
    }
    return z.mx(DOMAIN, true, records);
  }

  /** {@link #MX1} with DANE-EE records, {@link #MX2} with a secure denial of TLSA records. */
  static ScriptedDns oneDaneHost(ScriptedDns z) {
    return secureMx(z, MX1, MX2).tlsa(tlsaName(MX1), true, EE).noData(tlsaName(MX2), TLSA, true);
  }

  static String tlsaName(String host) {
    return "_25._tcp." + host;
  }

  static Stream<Named<Case>> cases() {
    return Stream.of(
        Named.of(
            "RFC 7672 §2.2: secure MX, secure DANE-EE(3) records: DANE",
            policy(
                    z -> secureMx(z, MX1).tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .asksTlsa(tlsaName(MX1))
                .and(
                    p -> {
                      MxTransport mx = p.mxHosts().get(0);
                      assertThat(p.mxAuthenticated()).isTrue();
                      assertThat(p.usesDane()).isTrue();
                      assertThat(mx.tlsRequired()).isTrue();
                      assertThat(mx.serverName()).isEqualTo(name(MX1));
                      assertThat(mx.referenceIdentifiers())
                          .containsExactly(name(MX1), name(DOMAIN));
                      assertThat(mx.addresses()).hasSize(1);
                      assertThat(mx.refusal()).isEmpty();
                    })),
        Named.of(
            "RFC 7672 §2.2: secure MX, secure DANE-TA(2) records: DANE",
            policy(
                z -> secureMx(z, MX1).tlsa(tlsaName(MX1), true, TA),
                Status.RESOLVED,
                MX1 + " DANE")),
        Named.of(
            "RFC 7672 §2.2, §3.1.3: secure records, none usable (0 0 1): TLS required, no DANE",
            policy(
                    z -> secureMx(z, MX1).tlsa(tlsaName(MX1), true, PKIX_EE_001),
                    Status.RESOLVED,
                    MX1 + " TLS_ONLY")
                .and(
                    p -> {
                      assertThat(p.mxHosts().get(0).tlsRequired()).isTrue();
                      assertThat(p.usesDane()).isFalse();
                    })),
        Named.of(
            "RFC 7672 §2.2: insecure TLSA records: opportunistic",
            policy(
                    z -> secureMx(z, MX1).tlsa(tlsaName(MX1), false, EE),
                    Status.RESOLVED,
                    MX1 + " OPPORTUNISTIC")
                .and(p -> assertThat(p.mxHosts().get(0).tlsRequired()).isFalse())),
        Named.of(
            "RFC 7672 §2.2: a secure empty TLSA RRset: opportunistic",
            policy(
                z -> secureMx(z, MX1).noData(tlsaName(MX1), TLSA, true),
                Status.RESOLVED,
                MX1 + " OPPORTUNISTIC")),
        Named.of(
            "RFC 7672 §2.2: a secure NXDOMAIN for the TLSA name: opportunistic",
            policy(
                z -> secureMx(z, MX1).nxDomain(tlsaName(MX1), TLSA, true),
                Status.RESOLVED,
                MX1 + " OPPORTUNISTIC")),
        Named.of(
            "RFC 7672 §2.2: TLSA SERVFAIL at the first MX: unreachable, the next MX is tried",
            policy(
                    z ->
                        secureMx(z, MX1, MX2)
                            .fail(tlsaName(MX1), TLSA, DnsFailure.Kind.SERVER_FAILURE)
                            .tlsa(tlsaName(MX2), true, EE),
                    Status.RESOLVED,
                    MX1 + " UNREACHABLE",
                    MX2 + " DANE")
                .and(
                    p -> {
                      assertThat(p.deliverable()).isTrue();
                      MxVerdict refused = p.mxHosts().get(0).refusal().orElseThrow();
                      assertThat(refused.failure()).contains(TlsRptResultType.DNSSEC_INVALID);
                      assertThat(refused.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
                    })),
        Named.of(
            "RFC 7672 §2.2: every MX's TLSA lookup fails: nothing deliverable",
            policy(
                    z ->
                        secureMx(z, MX1, MX2)
                            .fail(tlsaName(MX1), TLSA, DnsFailure.Kind.TIMEOUT)
                            .fail(tlsaName(MX2), TLSA, DnsFailure.Kind.DNSSEC_BOGUS),
                    Status.RESOLVED,
                    MX1 + " UNREACHABLE",
                    MX2 + " UNREACHABLE")
                .and(p -> assertThat(p.deliverable()).isFalse())),
        Named.of(
            "RFC 7672 §2.2.3: a CNAME'd MX host whose TLSA lookup at the expanded name fails",
            policy(
                    z ->
                        z.mx(DOMAIN, true, "10 " + MX1)
                            .cname(MX1, "mx.provider.example", true)
                            .a("mx.provider.example", true, "192.0.2.7")
                            .fail(tlsaName("mx.provider.example"), TLSA, DnsFailure.Kind.TIMEOUT)
                            .tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " UNREACHABLE")
                .asksTlsa(tlsaName("mx.provider.example"))),
        Named.of(
            "RFC 7672 §2.2.3: a CNAME'd MX host with records at the expanded name: its name first",
            policy(
                    z ->
                        z.mx(DOMAIN, true, "10 " + MX1)
                            .cname(MX1, "mx.provider.example", true)
                            .a("mx.provider.example", true, "192.0.2.7")
                            .tlsa(tlsaName("mx.provider.example"), true, TA),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .asksTlsa(tlsaName("mx.provider.example"))
                .and(
                    p -> {
                      MxTransport mx = p.mxHosts().get(0);
                      assertThat(mx.serverName()).isEqualTo(name("mx.provider.example"));
                      assertThat(mx.referenceIdentifiers())
                          .containsExactly(name("mx.provider.example"), name(MX1), name(DOMAIN));
                    })),
        Named.of(
            "RFC 7672 §2.2.3: a CNAME'd MX host without records at the expanded name: the original",
            policy(
                    z ->
                        z.mx(DOMAIN, true, "10 " + MX1)
                            .cname(MX1, "mx.provider.example", true)
                            .a("mx.provider.example", true, "192.0.2.7")
                            .noData(tlsaName("mx.provider.example"), TLSA, true)
                            .tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .asksTlsa(tlsaName("mx.provider.example"), tlsaName(MX1))
                .and(p -> assertThat(p.mxHosts().get(0).serverName()).isEqualTo(name(MX1)))),
        Named.of(
            "RFC 7672 §2.2.2: secure first CNAME, insecure target: the original name only",
            policy(
                    z ->
                        z.mx(DOMAIN, true, "10 " + MX1)
                            .cname(MX1, "mx.unsigned.example", true)
                            .a("mx.unsigned.example", false, "192.0.2.8")
                            .tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .asksTlsa(tlsaName(MX1))),
        Named.of(
            "RFC 7672 §2.2.1: an insecure MX RRset: no TLSA lookups, no DANE",
            policy(
                    z ->
                        z.mx(DOMAIN, false, "10 " + MX1, "20 " + MX2)
                            .a(MX1, true, "192.0.2.1")
                            .aaaa(MX1, true, "2001:db8::1")
                            .a(MX2, true, "192.0.2.2")
                            .tlsa(tlsaName(MX1), true, EE)
                            .tlsa(tlsaName(MX2), true, EE),
                    Status.RESOLVED,
                    MX1 + " OPPORTUNISTIC",
                    MX2 + " OPPORTUNISTIC")
                .asksTlsa()
                .and(
                    p -> {
                      assertThat(p.mxAuthenticated()).isFalse();
                      assertThat(p.mxHosts()).allSatisfy(mx -> assertThat(mx.tlsa()).isEmpty());
                      assertThat(p.mxHosts().get(0).addresses())
                          .extracting(InetAddress::getHostAddress)
                          .containsExactly("192.0.2.1", "2001:db8:0:0:0:0:0:1");
                    })),
        Named.of(
            "RFC 7672 §2.2: secure MX with one DANE host and one without: each as it is",
            policy(
                    z ->
                        secureMx(z, MX1, MX2)
                            .tlsa(tlsaName(MX1), true, EE)
                            .nxDomain(tlsaName(MX2), TLSA, true),
                    Status.RESOLVED,
                    MX1 + " DANE",
                    MX2 + " OPPORTUNISTIC")
                .asksTlsa(tlsaName(MX1), tlsaName(MX2))),
        Named.of(
            "RFC 7672 §2.2.2: secure A, insecure AAAA: DANE applies",
            policy(
                    z ->
                        secureMx(z, MX1)
                            .aaaa(MX1, false, "2001:db8::1")
                            .tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .and(p -> assertThat(p.mxHosts().get(0).addresses()).hasSize(2))),
        Named.of(
            "RFC 7672 §2.2.2: insecure A, no AAAA: no TLSA lookup, opportunistic",
            policy(
                    z ->
                        z.mx(DOMAIN, true, "10 " + MX1)
                            .a(MX1, false, "192.0.2.1")
                            .tlsa(tlsaName(MX1), true, EE),
                    Status.RESOLVED,
                    MX1 + " OPPORTUNISTIC")
                .asksTlsa()),
        Named.of(
            "RFC 7672 §2.2.3: TLSA records shared through a secure CNAME: DANE, base the MX host",
            policy(
                    z ->
                        secureMx(z, MX1)
                            .cname(tlsaName(MX1), "_25._tcp.tlsa.provider.example", true)
                            .tlsa("_25._tcp.tlsa.provider.example", true, EE),
                    Status.RESOLVED,
                    MX1 + " DANE")
                .and(p -> assertThat(p.mxHosts().get(0).serverName()).isEqualTo(name(MX1)))),
        Named.of(
            "RFC 7672 §2.2.1, RFC 5321 §5.1: an address literal in an MX record: no TLSA lookup",
            policy(
                    z -> z.mx(DOMAIN, true, "10 192.0.2.25"),
                    Status.RESOLVED,
                    "192.0.2.25 OPPORTUNISTIC")
                .asksTlsa()
                .and(
                    p ->
                        assertThat(p.mxHosts().get(0).addresses())
                            .extracting(InetAddress::getHostAddress)
                            .containsExactly("192.0.2.25"))),
        Named.of(
            "RFC 7672 §2.2.1, RFC 8461 §4.1: an address literal in an MX record under MTA-STS",
            policy(z -> z.mx(DOMAIN, true, "10 192.0.2.25"), Status.RESOLVED, "192.0.2.25 MTA_STS")
                .sts("enforce")
                .and(p -> assertThat(p.mxHosts().get(0).verify(List.of()).mayDeliver()).isFalse())),
        Named.of(
            "RFC 7672 §2.2.1, RFC 7505: a null MX: no mail accepted",
            policy(z -> z.mx(DOMAIN, true, "0 ."), Status.NULL_MX)
                .asksTlsa()
                .and(p -> assertThat(p.deliverable()).isFalse())),
        Named.of(
            "RFC 7672 §2.2.1, RFC 7505 §3: a null MX among other MX records is ignored",
            policy(
                z -> secureMx(z, MX1).mx(DOMAIN, true, "0 .", "10 " + MX1),
                Status.RESOLVED,
                MX1 + " OPPORTUNISTIC")),
        Named.of(
            "RFC 7672 §2.2.1: the recipient domain does not exist (NXDOMAIN)",
            policy(z -> z.nxDomain(DOMAIN, MX_TYPE, true), Status.NO_SUCH_DOMAIN)
                .and(p -> assertThat(p.mxAuthenticated()).isTrue())),
        Named.of(
            "RFC 7672 §2.2.1: an MX lookup that times out defers delivery",
            policy(z -> z.fail(DOMAIN, MX_TYPE, DnsFailure.Kind.TIMEOUT), Status.TEMP_FAIL)
                .and(
                    p ->
                        assertThat(p.failure().orElseThrow().kind())
                            .isEqualTo(DnsFailure.Kind.TIMEOUT))),
        Named.of(
            "RFC 7672 §2.1.1: a bogus MX RRset defers delivery",
            policy(z -> z.fail(DOMAIN, MX_TYPE, DnsFailure.Kind.DNSSEC_BOGUS), Status.TEMP_FAIL)
                .asksTlsa()
                .and(
                    p -> {
                      assertThat(p.failure().orElseThrow().kind())
                          .isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
                      assertThat(p.detail()).contains("bogus");
                    })),
        Named.of(
            "RFC 7672 §2.2.1, RFC 5321 §5.1: no MX records, securely: the domain is its own host",
            policy(
                    z ->
                        z.noData(DOMAIN, MX_TYPE, true)
                            .a(DOMAIN, true, "192.0.2.80")
                            .tlsa(tlsaName(DOMAIN), true, EE),
                    Status.RESOLVED,
                    DOMAIN + " DANE")
                .and(
                    p -> {
                      assertThat(p.implicitMx()).isTrue();
                      assertThat(p.mxHosts().get(0).preference()).isZero();
                      assertThat(p.mxHosts().get(0).referenceIdentifiers())
                          .containsExactly(name(DOMAIN));
                    })),
        Named.of(
            "RFC 7672 §2.2.1: hosts in order of preference, equal ones as DNS gave them",
            policy(
                z -> z.mx(DOMAIN, true, "20 b.example.com", "10 c.example.com", "10 a.example.com"),
                Status.RESOLVED,
                "c.example.com OPPORTUNISTIC",
                "a.example.com OPPORTUNISTIC",
                "b.example.com OPPORTUNISTIC")),
        Named.of(
            "RFC 7672 §2.2.1: at most maxMxHosts hosts, the most preferred",
            policy(
                    z ->
                        z.mx(
                                DOMAIN,
                                true,
                                "40 d.example.com",
                                "30 c.example.com",
                                "20 b.example.com",
                                "10 a.example.com")
                            .a("a.example.com", true, "192.0.2.1")
                            .a("b.example.com", true, "192.0.2.2")
                            .a("c.example.com", true, "192.0.2.3")
                            .a("d.example.com", true, "192.0.2.4"),
                    Status.RESOLVED,
                    "a.example.com OPPORTUNISTIC",
                    "b.example.com OPPORTUNISTIC")
                .maxMxHosts(2)
                .asksTlsa("_25._tcp.a.example.com", "_25._tcp.b.example.com")
                .and(p -> assertThat(p.detail()).contains("2 MX hosts beyond the first 2"))),
        Named.of(
            "RFC 7672 §2.2, RFC 8460 §4.3.2.1: DANE required: the host without DANE is refused",
            policy(z -> oneDaneHost(z), Status.RESOLVED, MX1 + " DANE", MX2 + " UNREACHABLE")
                .requiringDane()
                .and(
                    p ->
                        assertThat(p.mxHosts().get(1).refusal().orElseThrow().failure())
                            .contains(TlsRptResultType.DANE_REQUIRED))),
        Named.of(
            "RFC 7672 §2.1.1: every host unreachable: not deliverable, and the detail says defer",
            policy(
                    z ->
                        secureMx(z, MX1, MX2)
                            .fail(tlsaName(MX1), TLSA, DnsFailure.Kind.DNSSEC_BOGUS)
                            .noData(tlsaName(MX2), TLSA, true),
                    Status.RESOLVED,
                    MX1 + " UNREACHABLE",
                    MX2 + " UNREACHABLE")
                .requiringDane()
                .and(
                    p -> {
                      assertThat(p.deliverable()).isFalse();
                      assertThat(p.detail()).contains("no MX host may be tried: defer delivery");
                      assertThat(p.mxHosts().get(0).refusal().orElseThrow().failure())
                          .contains(TlsRptResultType.DNSSEC_INVALID);
                    })),
        Named.of(
            "RFC 7672 §2.2, RFC 8461 §2: DANE governs its host, MTA-STS enforce the other",
            policy(z -> oneDaneHost(z), Status.RESOLVED, MX1 + " DANE", MX2 + " MTA_STS")
                .sts("enforce")
                .and(
                    p -> {
                      assertThat(p.mtaSts().orElseThrow().mode()).isEqualTo(MtaStsMode.ENFORCE);
                      assertThat(p.mxHosts().get(1).tlsRequired()).isTrue();
                      // RFC 8461 §2: a valid MTA-STS policy does not rescue a failing DANE host
                      MxVerdict dane = p.mxHosts().get(0).verify(List.of());
                      assertThat(dane.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
                    })),
        Named.of(
            "RFC 7672 §2.2, RFC 8461 §2: an MTA-STS policy in testing judges the non-DANE hosts",
            policy(
                    z -> secureMx(z, MX1).noData(tlsaName(MX1), TLSA, true),
                    Status.RESOLVED,
                    MX1 + " MTA_STS")
                .sts("testing")
                .and(p -> assertThat(p.mxHosts().get(0).tlsRequired()).isFalse())),
        Named.of(
            "RFC 8461 §4.1: enforce listing only MX2: the unlisted MX1 without DANE is not sent to",
            policy(
                    z -> secureMx(z, MX1, MX2).noData(tlsaName(MX1), TLSA, true),
                    Status.RESOLVED,
                    MX1 + " MTA_STS",
                    MX2 + " MTA_STS")
                .sts("enforce")
                .and(
                    p -> {
                      MxTransport unlisted = p.mxHosts().get(0);
                      assertThat(unlisted.tlsRequired()).isTrue();
                      for (MxVerdict v :
                          List.of(unlisted.verify(List.of()), unlisted.noStartTls())) {
                        assertThat(v.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
                        assertThat(v.policy().type()).isEqualTo(TlsRptPolicyType.STS);
                        assertThat(v.policyDomain()).isEqualTo(name(DOMAIN));
                      }
                    })),
        Named.of(
            "RFC 7672 §2.2: an MTA-STS policy in mode none: opportunistic",
            policy(
                    z -> secureMx(z, MX1).noData(tlsaName(MX1), TLSA, true),
                    Status.RESOLVED,
                    MX1 + " OPPORTUNISTIC")
                .sts("none")));
  }

  static MtaStsPolicyResolver mtaSts(DnsResolver dns, String mode) {
    MtaStsMode m = MtaStsMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
    MtaStsPolicy policy =
        new MtaStsPolicy(
            m,
            m == MtaStsMode.NONE ? List.of() : List.of(MxPattern.parse(MX2)),
            Duration.ofDays(7),
            Map.of());
    PolicyStore store = PolicyStore.inMemory();
    // A cached policy applies while the _mta-sts record is missing (RFC 8461 §3.3), which the
    // scripted DNS answers for any name it has no script for: no fetch is needed.
    store
        .put(
            CachedPolicy.builder()
                .domain(name(DOMAIN))
                .id("20240101")
                .policy(policy)
                .fetchedAt(Instant.now())
                .build())
        .join();
    return MtaStsPolicyResolver.builder(dns).store(store).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolve(Case c) throws Exception {
    ScriptedDns dns = new ScriptedDns();
    c.zone().accept(dns);
    TransportPolicyResolver.Builder b =
        TransportPolicyResolver.builder(dns)
            .maxMxHosts(c.maxMxHosts())
            .requireDane(d -> c.requireDane() && d.equals(name(DOMAIN)));
    if (c.stsMode() != null) {
      b.mtaSts(mtaSts(dns, c.stsMode()));
    }

    TransportPolicy policy = b.build().resolveAsync(name(DOMAIN)).get();

    assertThat(policy.status()).as(policy.toString()).isEqualTo(c.status());
    assertThat(policy.recipientDomain()).isEqualTo(name(DOMAIN));
    assertThat(policy.mxHosts().stream().map(mx -> mx.host() + " " + mx.security()).toList())
        .as(policy.toString())
        .isEqualTo(c.hosts());
    assertThat(policy.mtaSts().isPresent()).isEqualTo(c.stsMode() != null);
    for (MxTransport mx : policy.mxHosts()) {
      assertThat(mx.recipientDomain()).isEqualTo(name(DOMAIN));
      assertThat(mx.refusal().isPresent()).isEqualTo(mx.security() == Security.UNREACHABLE);
    }
    if (c.tlsaAsked() != null) {
      assertThat(dns.tlsaAsked()).as(dns.asked().toString()).isEqualTo(c.tlsaAsked());
    }
    c.check().accept(policy);
  }

  @Test
  void aResolverThatFailsGivesATemporaryFailureNotAnException() {
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("broken future"));
          }
        };
    TransportPolicy policy =
        TransportPolicyResolver.builder(failing)
            .mtaSts(MtaStsPolicyResolver.builder(failing).build())
            .build()
            .resolve(name(DOMAIN));
    assertThat(policy.status()).isEqualTo(Status.TEMP_FAIL);
    assertThat(policy.detail()).contains("broken future");
    assertThat(policy.mtaSts()).isPresent();
  }

  @Test
  void aTlsaResolverThatFailsMakesTheHostUnreachable() {
    ScriptedDns dns = secureMx(new ScriptedDns(), MX1);
    DnsResolver brokenForTlsa =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            if (query.type() == TLSA) {
              throw new IllegalStateException("no TLSA today");
            }
            return dns.lookupAsync(query);
          }
        };
    TransportPolicy policy =
        TransportPolicyResolver.builder(dns)
            .tlsaResolver(TlsaResolver.builder(brokenForTlsa).build())
            .build()
            .resolve(name(DOMAIN));
    assertThat(policy.mxHosts())
        .singleElement()
        .satisfies(
            mx -> {
              assertThat(mx.security()).isEqualTo(Security.UNREACHABLE);
              assertThat(mx.detail()).contains("no TLSA today");
            });
  }

  @Test
  void aRequireDanePredicateThatThrowsFailsClosed() {
    ScriptedDns dns = secureMx(new ScriptedDns(), MX1, MX2).tlsa(tlsaName(MX1), true, EE);
    dns.noData(tlsaName(MX2), TLSA, true);
    TransportPolicy policy =
        TransportPolicyResolver.builder(dns)
            .requireDane(
                d -> {
                  throw new IllegalStateException("policy table unavailable");
                })
            .build()
            .resolveAsync(name(DOMAIN))
            .join();
    assertThat(policy.mxHosts().stream().map(mx -> mx.host() + " " + mx.security()).toList())
        .containsExactly(MX1 + " DANE", MX2 + " UNREACHABLE");
    MxTransport refused = policy.mxHosts().get(1);
    assertThat(refused.refusal().orElseThrow().failure()).contains(TlsRptResultType.DANE_REQUIRED);
    assertThat(refused.detail()).contains("policy table unavailable");
  }

  @Test
  void addressLiteralsAreRecognizedWithoutDns() {
    assertThat(TransportPolicyResolver.addressLiteral(name("192.0.2.1")))
        .map(InetAddress::getHostAddress)
        .contains("192.0.2.1");
    assertThat(TransportPolicyResolver.addressLiteral(name("192.0.2.256"))).isEmpty();
    assertThat(TransportPolicyResolver.addressLiteral(name("1.2.3"))).isEmpty();
    assertThat(TransportPolicyResolver.addressLiteral(name("2001:db8:0:0:0:0:0:1")))
        .map(InetAddress::getHostAddress)
        .contains("2001:db8:0:0:0:0:0:1");
    assertThat(TransportPolicyResolver.addressLiteral(name("cafe:beef"))).isEmpty();
    assertThat(TransportPolicyResolver.addressLiteral(name("mx.example.com"))).isEmpty();
    assertThat(TransportPolicyResolver.addressLiteral(DomainName.ROOT)).isEmpty();
  }

  @Test
  void limitsAreChecked() {
    assertThatThrownBy(() -> TransportPolicyResolver.builder(new ScriptedDns()).maxMxHosts(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
