package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptPolicyType;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.TestPki;
import org.mailauth4j.testkit.TestPki.Identity;

/**
 * The DANE verifier (RFC 7672 §3, RFC 7671) against chains minted at test time: a root, an
 * intermediate, and leaves for {@code mx.example.test}, judged at a fixed instant.
 */
class DaneVerifierTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(3650));
  private static final Instant FAR_AHEAD = NOW.plus(Duration.ofDays(3650));
  private static final Instant LAST_MONTH = NOW.minus(Duration.ofDays(30));
  private static final Instant IN_90_DAYS = NOW.plus(Duration.ofDays(90));
  private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));
  private static final Instant TOMORROW = NOW.plus(Duration.ofDays(1));

  private static final DomainName HOST = DomainName.parse("mx.example.test");
  private static final InetAddress ADDRESS = address();

  private static final TestPki ROOT = new TestPki("DANE Test Root", LONG_AGO, FAR_AHEAD);
  private static final TestPki INTERMEDIATE =
      ROOT.intermediate("DANE Test Intermediate", LONG_AGO, FAR_AHEAD);
  private static final Identity SERVER =
      INTERMEDIATE.issue(List.of("mx.example.test"), LAST_MONTH, IN_90_DAYS);

  /** Another PKI of the same shape, whose records match nothing of {@link #SERVER}'s chain. */
  private static final TestPki STRANGER_ROOT = new TestPki("DANE Test Root", LONG_AGO, FAR_AHEAD);

  private static final TestPki STRANGER_INTERMEDIATE =
      STRANGER_ROOT.intermediate("DANE Test Intermediate", LONG_AGO, FAR_AHEAD);
  private static final Identity STRANGER =
      STRANGER_INTERMEDIATE.issue(List.of("mx.example.test"), LAST_MONTH, IN_90_DAYS);

  private static final DaneVerifier VERIFIER =
      DaneVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  private static InetAddress address() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 25});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TlsaLookup lookup(TlsaRecord... records) {
    return TlsaLookup.secure(HOST, 25, HOST, List.of(records), List.of(ADDRESS), "test records");
  }

  private static DaneResult verify(TlsaLookup lookup, List<X509Certificate> chain) {
    return VERIFIER.verify(lookup, List.of(), chain);
  }

  private static TlsaRecord record(
      CertificateUsage usage, Selector selector, MatchingType type, X509Certificate certificate) {
    return TlsaRecord.of(usage, selector, type, certificate);
  }

  private static TlsaRecord daneEe(X509Certificate certificate) {
    return record(CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, certificate);
  }

  private static TlsaRecord daneTa(X509Certificate certificate) {
    return record(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, certificate);
  }

  private static TlsaRecord bareKey(X509Certificate certificate) {
    return record(CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.FULL, certificate);
  }

  private static List<X509Certificate> chain(X509Certificate... certificates) {
    return List.of(certificates);
  }

  private static X509Certificate leafOf(Identity identity) {
    return identity.chain().get(0);
  }

  private static X509Certificate intermediateOf(Identity identity) {
    return identity.chain().get(1);
  }

  private static X509Certificate rootOf(Identity identity) {
    return identity.chain().get(identity.chain().size() - 1);
  }

  private static void assertPassedBy(DaneResult result, TlsaRecord record) {
    assertThat(result.passed()).as(result.toString()).isTrue();
    assertThat(result.failure()).isEmpty();
    assertThat(result.matched()).as(result.toString()).contains(record);
  }

  private static void assertFailed(DaneResult result, TlsRptResultType type) {
    assertThat(result.passed()).as(result.toString()).isFalse();
    assertThat(result.matched()).isEmpty();
    assertThat(result.failure()).as(result.detail()).contains(type);
  }

  // ---- every usage, selector and matching type ------------------------------------------------

  /** Which certificate of a chain a record names. */
  enum Target {
    LEAF(CertificateUsage.DANE_EE, 0),
    INTERMEDIATE_CA(CertificateUsage.DANE_TA, 1),
    ROOT_CA(CertificateUsage.DANE_TA, 2);

    final CertificateUsage usage;
    final int index;

    Target(CertificateUsage usage, int index) {
      this.usage = usage;
      this.index = index;
    }
  }

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (Target target : Target.values()) {
      for (Selector s : Selector.values()) {
        for (MatchingType m : MatchingType.values()) {
          String name =
              target.usage.code() + " " + s.code() + " " + m.code() + " naming the " + target;
          all.add(Arguments.of(named(name, target), s, m));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void aRecordOfTheChainPasses(Target target, Selector selector, MatchingType type) {
    TlsaRecord record = record(target.usage, selector, type, SERVER.chain().get(target.index));
    DaneResult result = verify(lookup(record), SERVER.chain());
    assertPassedBy(result, record);
    assertThat(result.recordsUsed()).containsExactly(record);
    assertThat(result.lookup()).isEqualTo(lookup(record));
    assertThat(result.toVerdict().action()).isEqualTo(MxVerdict.Action.DELIVER);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void aRecordOfAnotherChainDoesNotMatch(Target target, Selector selector, MatchingType type) {
    TlsaRecord record = record(target.usage, selector, type, STRANGER.chain().get(target.index));
    DaneResult result = verify(lookup(record), SERVER.chain());
    assertFailed(result, TlsRptResultType.TLSA_INVALID);
    assertThat(result.detail()).contains("matches the chain");
    assertThat(result.toVerdict().action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(result.toVerdict().failure()).contains(TlsRptResultType.TLSA_INVALID);
  }

  // ---- unusable record sets -------------------------------------------------------------------

  static Stream<Arguments> unusableSets() {
    X509Certificate leaf = leafOf(SERVER);
    X509Certificate root = rootOf(SERVER);
    return Stream.of(
        Arguments.of(
            named(
                "PKIX-TA and PKIX-EE only",
                List.of(
                    record(CertificateUsage.PKIX_TA, Selector.CERT, MatchingType.SHA2_256, root),
                    record(CertificateUsage.PKIX_EE, Selector.SPKI, MatchingType.SHA2_256, leaf)))),
        Arguments.of(
            named(
                "malformed digests only",
                List.of(
                    TlsaRecord.parse("3 1 1 " + "ab".repeat(31)),
                    TlsaRecord.parse("2 0 2 " + "ab".repeat(32))))),
        Arguments.of(
            named(
                "unassigned values only",
                List.of(TlsaRecord.parse("4 1 1 00"), TlsaRecord.parse("3 2 1 00")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableSets")
  void unusableRecordsAskForTlsOnly(List<TlsaRecord> records) {
    // RFC 7672 §2.2, §3.1.3: TLS is mandatory, but the server is not authenticated.
    TlsaLookup lookup = lookup(records.toArray(TlsaRecord[]::new));
    assertThat(lookup.status()).isEqualTo(TlsaLookup.Status.UNUSABLE);
    for (List<X509Certificate> chain :
        List.of(SERVER.chain(), STRANGER.chain(), List.<X509Certificate>of())) {
      DaneResult result = verify(lookup, chain);
      assertThat(result.passed()).as(result.toString()).isTrue();
      assertThat(result.matched()).isEmpty();
      assertThat(result.recordsUsed()).isEmpty();
      assertThat(result.detail()).contains("TLS without authentication");
      MxVerdict verdict = result.toVerdict();
      assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DELIVER);
      assertThat(verdict.failure()).isEmpty();
      assertThat(verdict.policy().strings())
          .containsExactlyElementsOf(records.stream().map(TlsaRecord::toText).toList());
    }
  }

  @Test
  void lookupsWithoutSecureRecordsAreNotVerified() {
    for (TlsaLookup lookup :
        List.of(
            TlsaLookup.notFound(HOST, 25, List.of(ADDRESS), "no TLSA"),
            TlsaLookup.insecure(HOST, 25, List.of(ADDRESS), "unsigned zone"),
            TlsaLookup.failed(
                HOST, 25, DnsFailure.of(DnsFailure.Kind.DNSSEC_BOGUS, "bogus"), "bogus TLSA"))) {
      assertThatThrownBy(() -> verify(lookup, SERVER.chain()))
          .as(lookup.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no DNSSEC-validated TLSA records");
    }
  }

  // ---- DANE-EE: names and dates are not checked ------------------------------------------------

  static Stream<Arguments> daneEeIgnoresNamesAndDates() {
    return Stream.of(
        Arguments.of(
            named(
                "an expired certificate",
                INTERMEDIATE.issue(List.of("mx.example.test"), LONG_AGO, YESTERDAY))),
        Arguments.of(
            named(
                "a certificate not valid yet",
                INTERMEDIATE.issue(List.of("mx.example.test"), TOMORROW, FAR_AHEAD))),
        Arguments.of(
            named(
                "another host's name",
                INTERMEDIATE.issue(List.of("mail.example.net"), LAST_MONTH, IN_90_DAYS))),
        Arguments.of(
            named(
                "an expired self-signed certificate of another name",
                TestPki.selfSigned(List.of("localhost.localdomain"), LONG_AGO, YESTERDAY))),
        Arguments.of(
            named(
                "no names at all",
                INTERMEDIATE.issue(
                    "DANE Test Anonymous", List.of(), TestPki.newKeyPair(), LONG_AGO, YESTERDAY))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void daneEeIgnoresNamesAndDates(Identity server) {
    // RFC 7672 §3.1.1: with DANE-EE(3) the certificate's names and validity are not checked.
    for (Selector s : Selector.values()) {
      for (MatchingType m : MatchingType.values()) {
        TlsaRecord record = record(CertificateUsage.DANE_EE, s, m, server.certificate());
        assertPassedBy(verify(lookup(record), server.chain()), record);
        assertPassedBy(verify(lookup(record), List.of(server.certificate())), record);
      }
    }
  }

  @Test
  void daneEeMatchesOnlyTheServerCertificate() {
    // A DANE-EE record of the intermediate is no trust anchor.
    TlsaRecord record = daneEe(intermediateOf(SERVER));
    assertFailed(verify(lookup(record), SERVER.chain()), TlsRptResultType.TLSA_INVALID);
  }

  // ---- DANE-TA: reference identifiers ---------------------------------------------------------

  static Stream<Arguments> names() {
    return Stream.of(
        name("the exact name as DNS-ID", "mx.example.test", List.of("mx.example.test"), true),
        name("one DNS-ID of several", "x", List.of("mail.example.net", "mx.example.test"), true),
        name("a DNS-ID in upper case", "x", List.of("MX.Example.TEST"), true),
        name("a DNS-ID with a trailing dot", "x", List.of("mx.example.test."), true),
        name("a wildcard for the left-most label", "x", List.of("*.example.test"), true),
        name("a wildcard in upper case", "x", List.of("*.EXAMPLE.test"), true),
        name("another host's DNS-ID", "mx.example.test", List.of("mail.example.net"), false),
        name("a DNS-ID of the parent domain", "x", List.of("example.test"), false),
        name("a DNS-ID of a child", "x", List.of("a.mx.example.test"), false),
        name("a partial wildcard m*", "x", List.of("m*.example.test"), false),
        name("a partial wildcard *x", "x", List.of("*x.example.test"), false),
        name("a partial wildcard m*x", "x", List.of("m*x.example.test"), false),
        name("a wildcard not left-most", "x", List.of("mx.*.test"), false),
        name("a wildcard for two labels", "x", List.of("*.*.test"), false),
        name("a bare wildcard", "x", List.of("*"), false),
        name("a DNS-ID with a space", "x", List.of("mx.example.test other"), false),
        name("the common name, without DNS-IDs", "mx.example.test", List.of(), true),
        name("the common name in upper case", "MX.EXAMPLE.TEST", List.of(), true),
        name("a wildcard common name, without DNS-IDs", "*.example.test", List.of(), true),
        name("another common name, without DNS-IDs", "mail.example.net", List.of(), false),
        name("a partial wildcard common name", "m*.example.test", List.of(), false),
        name("the common name beside another DNS-ID", "mx.example.test", List.of("a.test"), false),
        name("a common name that is no host name", "DANE Test Server", List.of(), false));
  }

  private static Arguments name(String name, String cn, List<String> dnsIds, boolean passes) {
    return Arguments.of(named(name, cn), dnsIds, passes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void daneTaChecksTheServerName(String commonName, List<String> dnsIds, boolean passes) {
    // RFC 7672 §3.2.2, §3.2.3, RFC 6125 §6.4: reference identifiers are the TLSA base domain and
    // the MX host; the wildcard is a whole left-most label; the CN only without DNS-IDs.
    Identity server =
        INTERMEDIATE.issue(commonName, dnsIds, TestPki.newKeyPair(), LAST_MONTH, IN_90_DAYS);
    for (TlsaRecord record :
        List.of(daneTa(rootOf(server)), daneTa(intermediateOf(server)), bareKey(rootOf(server)))) {
      DaneResult result = verify(lookup(record), server.chain());
      if (passes) {
        assertPassedBy(result, record);
        assertThat(result.detail()).contains("names mx.example.test");
      } else {
        assertFailed(result, TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(result.detail()).contains("RFC 7672 §3.2.2");
      }
      // DANE-EE ignores the name whatever it is.
      assertPassedBy(
          verify(lookup(daneEe(server.certificate())), server.chain()), daneEe(leafOf(server)));
    }
  }

  static Stream<Arguments> referenceIdentifiers() {
    return Stream.of(
        reference("the host, given", List.of("mx.example.test"), List.of("mx.example.test"), true),
        reference(
            "the host, given with a trailing dot and in upper case",
            List.of("MX.EXAMPLE.TEST."),
            List.of("mx.example.test"),
            true),
        reference(
            "the second identifier given",
            List.of("example.test", "mx.example.test"),
            List.of("mx.example.test"),
            true),
        reference(
            "the next-hop domain, given", List.of("example.test"), List.of("example.test"), true),
        reference(
            "given identifiers replace the defaults",
            List.of("example.test"),
            List.of("mx.example.test"),
            false),
        reference(
            "a wildcard does not match a deeper name",
            List.of("a.mx.example.test"),
            List.of("*.example.test"),
            false),
        reference(
            "a wildcard does not match the domain itself",
            List.of("example.test"),
            List.of("*.example.test"),
            false));
  }

  private static Arguments reference(
      String name, List<String> referenceIds, List<String> dnsIds, boolean passes) {
    return Arguments.of(named(name, referenceIds), dnsIds, passes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceIdentifiers")
  void daneTaUsesTheGivenReferenceIdentifiers(
      List<String> referenceIds, List<String> dnsIds, boolean passes) {
    Identity server = INTERMEDIATE.issue("x", dnsIds, TestPki.newKeyPair(), LAST_MONTH, IN_90_DAYS);
    TlsaRecord record = daneTa(rootOf(server));
    DaneResult result =
        VERIFIER.verify(
            lookup(record), referenceIds.stream().map(DomainName::parse).toList(), server.chain());
    if (passes) {
      assertPassedBy(result, record);
    } else {
      assertFailed(result, TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
    }
  }

  @Test
  void theTlsaBaseDomainIsAReferenceIdentifier() {
    // RFC 7672 §2.2.3, §3.2.2: records found at a CNAME target's name make it the base domain,
    // which the certificate may name instead of the MX host.
    DomainName base = DomainName.parse("mx.hosting.test");
    for (String dnsId : List.of("mx.hosting.test", "mx.example.test", "*.hosting.test")) {
      Identity server =
          INTERMEDIATE.issue("x", List.of(dnsId), TestPki.newKeyPair(), LAST_MONTH, IN_90_DAYS);
      TlsaRecord record = daneTa(rootOf(server));
      TlsaLookup lookup =
          TlsaLookup.secure(HOST, 25, base, List.of(record), List.of(ADDRESS), "via a CNAME");
      assertPassedBy(VERIFIER.verify(lookup, List.of(), server.chain()), record);
    }
    Identity other =
        INTERMEDIATE.issue(
            "x", List.of("mx.other.test"), TestPki.newKeyPair(), LAST_MONTH, IN_90_DAYS);
    TlsaLookup lookup =
        TlsaLookup.secure(
            HOST, 25, base, List.of(daneTa(rootOf(other))), List.of(ADDRESS), "via a CNAME");
    assertFailed(
        VERIFIER.verify(lookup, List.of(), other.chain()),
        TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
  }

  // ---- DANE-TA: dates -------------------------------------------------------------------------

  /** Which certificate of the chain the DANE-TA record names. */
  enum Anchor {
    ROOT,
    INTERMEDIATE,
    ROOT_KEY_NOT_SENT
  }

  static Stream<Arguments> dates() {
    TestPki expiredIntermediate = ROOT.intermediate("Expired Intermediate", LONG_AGO, YESTERDAY);
    TestPki futureIntermediate = ROOT.intermediate("Future Intermediate", TOMORROW, FAR_AHEAD);
    TestPki expiredRoot =
        new TestPki("Expired Root", LONG_AGO, YESTERDAY)
            .intermediate("Below An Expired Root", LONG_AGO, FAR_AHEAD);
    List<String> name = List.of("mx.example.test");
    Identity expiredLeaf = INTERMEDIATE.issue(name, LONG_AGO, YESTERDAY);
    Identity futureLeaf = INTERMEDIATE.issue(name, TOMORROW, FAR_AHEAD);
    Identity justValid = INTERMEDIATE.issue(name, NOW, NOW);
    Identity underExpired = expiredIntermediate.issue(name, LAST_MONTH, IN_90_DAYS);
    Identity underFuture = futureIntermediate.issue(name, LAST_MONTH, IN_90_DAYS);
    Identity underExpiredRoot = expiredRoot.issue(name, LAST_MONTH, IN_90_DAYS);
    Optional<TlsRptResultType> pass = Optional.empty();
    Optional<TlsRptResultType> expired = Optional.of(TlsRptResultType.CERTIFICATE_EXPIRED);
    return Stream.of(
        dated("an expired leaf, root TA", expiredLeaf, Anchor.ROOT, expired),
        dated("an expired leaf, intermediate TA", expiredLeaf, Anchor.INTERMEDIATE, expired),
        dated("an expired leaf, root key TA", expiredLeaf, Anchor.ROOT_KEY_NOT_SENT, expired),
        dated("a leaf not valid yet", futureLeaf, Anchor.ROOT, expired),
        dated("a leaf not valid yet, intermediate TA", futureLeaf, Anchor.INTERMEDIATE, expired),
        dated("a leaf valid for this instant only", justValid, Anchor.ROOT, pass),
        dated("an expired intermediate, root TA", underExpired, Anchor.ROOT, expired),
        dated(
            "an expired intermediate, root key TA",
            underExpired,
            Anchor.ROOT_KEY_NOT_SENT,
            expired),
        dated("an intermediate not valid yet, root TA", underFuture, Anchor.ROOT, expired),
        dated("an expired intermediate that is the TA", underExpired, Anchor.INTERMEDIATE, pass),
        dated(
            "an intermediate not valid yet that is the TA", underFuture, Anchor.INTERMEDIATE, pass),
        dated("an expired root that is the TA", underExpiredRoot, Anchor.ROOT, pass),
        dated(
            "an expired root key that is the TA",
            underExpiredRoot,
            Anchor.ROOT_KEY_NOT_SENT,
            pass));
  }

  private static Arguments dated(
      String name, Identity server, Anchor anchor, Optional<TlsRptResultType> failure) {
    return Arguments.of(named(name, server), anchor, failure);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dates")
  void daneTaChecksTheDatesBelowTheTrustAnchor(
      Identity server, Anchor anchor, Optional<TlsRptResultType> failure) {
    // RFC 7672 §3.1.2: the chain below the trust anchor validates at the verifier's clock; the
    // trust anchor is given by DNS, its own dates are not checked (RFC 5280 §6.1.1 (d)).
    List<X509Certificate> chain = server.chain();
    TlsaRecord record =
        switch (anchor) {
          case ROOT -> daneTa(rootOf(server));
          case INTERMEDIATE -> daneTa(intermediateOf(server));
          case ROOT_KEY_NOT_SENT -> bareKey(rootOf(server));
        };
    if (anchor == Anchor.ROOT_KEY_NOT_SENT) {
      chain = chain.subList(0, chain.size() - 1);
    }
    DaneResult result = verify(lookup(record), chain);
    if (failure.isEmpty()) {
      assertPassedBy(result, record);
    } else {
      assertFailed(result, failure.get());
      assertThat(result.detail()).contains("matches, but");
    }
  }

  // ---- DANE-TA: the chain must lead to the matched trust anchor --------------------------------

  static Stream<Arguments> brokenChains() {
    X509Certificate leaf = leafOf(SERVER);
    X509Certificate intermediate = intermediateOf(SERVER);
    X509Certificate root = rootOf(SERVER);
    // Same issuer name as the real intermediate, another key.
    TestPki impostor = ROOT.intermediate("DANE Test Intermediate", LONG_AGO, FAR_AHEAD);
    X509Certificate forged =
        impostor.issue(List.of("mx.example.test"), LAST_MONTH, IN_90_DAYS).certificate();
    X509Certificate strangerLeaf = leafOf(STRANGER);
    TlsaRecord rootTa = daneTa(root);
    TlsaRecord intermediateTa = daneTa(intermediate);
    TlsaRecord rootKey = bareKey(root);
    return Stream.of(
        broken("the intermediate missing", chain(leaf, root), rootTa),
        broken("a leaf of another CA of the same name", chain(forged, intermediate, root), rootTa),
        broken(
            "a leaf of another CA of the same name, intermediate TA",
            chain(forged, intermediate, root),
            intermediateTa),
        broken(
            "a leaf of another CA of the same name, root key TA",
            chain(forged, intermediate),
            rootKey),
        broken(
            "another PKI's leaf under this PKI", chain(strangerLeaf, intermediate, root), rootTa),
        broken(
            "another PKI's leaf, intermediate TA",
            chain(strangerLeaf, intermediate),
            intermediateTa));
  }

  private static Arguments broken(String name, List<X509Certificate> chain, TlsaRecord record) {
    return Arguments.of(named(name, chain), record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenChains")
  void aChainThatDoesNotLeadToTheTrustAnchorIsNotTrusted(
      List<X509Certificate> chain, TlsaRecord record) {
    DaneResult result = verify(lookup(record), chain);
    assertFailed(result, TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(result.detail()).contains("DANE-TA record " + record + " matches, but");
  }

  static Stream<Arguments> disorderedChains() {
    X509Certificate leaf = leafOf(SERVER);
    X509Certificate intermediate = intermediateOf(SERVER);
    X509Certificate root = rootOf(SERVER);
    TlsaRecord rootTa = daneTa(root);
    TlsaRecord intermediateTa = daneTa(intermediate);
    TlsaRecord rootKey = bareKey(root);
    return Stream.of(
        broken("root and intermediate swapped", chain(leaf, root, intermediate), rootTa),
        broken(
            "root and intermediate swapped, intermediate TA",
            chain(leaf, root, intermediate),
            intermediateTa),
        broken(
            "the intermediate sent twice", chain(leaf, intermediate, intermediate, root), rootTa),
        broken("the leaf sent again", chain(leaf, intermediate, leaf, root), rootTa),
        broken(
            "another PKI's certificates in between",
            chain(leaf, intermediateOf(STRANGER), rootOf(STRANGER), intermediate, root),
            rootTa),
        broken("root first, bare root key", chain(leaf, root, intermediate), rootKey));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disorderedChains")
  void aChainSentOutOfOrderOrWithRepeatsStillLeadsToTheTrustAnchor(
      List<X509Certificate> chain, TlsaRecord record) {
    // RFC 8446 §4.4.2: after the server's own certificate, clients SHOULD be prepared for any
    // order and for extraneous certificates; the path to the trust anchor is built, not assumed.
    assertPassedBy(verify(lookup(record), chain), record);
  }

  @Test
  void aTrustAnchorRecordDoesNotMatchTheServerCertificateItself() {
    // RFC 7671 §5.2: DANE-TA names an issuer of the server's certificate. A self-signed leaf named
    // by a DANE-TA certificate digest is no trust anchor for itself: such a record names nothing
    // (its dates are not checked either way, only a DANE-EE record may pin the leaf).
    Identity self = TestPki.selfSigned(List.of("mx.example.test"), LONG_AGO, YESTERDAY);
    for (Selector selector : Selector.values()) {
      TlsaRecord ta =
          record(CertificateUsage.DANE_TA, selector, MatchingType.SHA2_256, self.certificate());
      assertFailed(verify(lookup(ta), self.chain()), TlsRptResultType.TLSA_INVALID);
    }
    TlsaRecord leafTa = daneTa(leafOf(SERVER));
    assertFailed(verify(lookup(leafTa), SERVER.chain()), TlsRptResultType.TLSA_INVALID);
  }

  @Test
  void theCommonNameIsNotUsedBesideAUriId() throws Exception {
    // RFC 6125 §6.4.4: the CN is checked only if the certificate has no DNS-ID, SRV-ID or URI-ID.
    Identity ca = INTERMEDIATE.ca();
    X509Certificate issuer = ca.certificate();
    KeyPair keys = TestPki.newKeyPair();
    X509CertificateHolder holder =
        new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(4242),
                Date.from(LAST_MONTH),
                Date.from(IN_90_DAYS),
                new X500Principal("CN=mx.example.test"),
                keys.getPublic())
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, "smtp://other.test")))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate()));
    X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(holder);
    TlsaRecord rootTa = daneTa(rootOf(SERVER));
    assertFailed(
        verify(lookup(rootTa), chain(leaf, intermediateOf(SERVER), rootOf(SERVER))),
        TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
  }

  @Test
  void aTrustAnchorCarriedWholeNeedNotBeSent() {
    // RFC 7671 §5.2.2, §5.2.3: "2 0 0" and "2 1 0" carry a trust anchor the server may omit.
    TlsaRecord rootKey = bareKey(rootOf(SERVER));
    TlsaRecord intermediateKey = bareKey(intermediateOf(SERVER));
    X509Certificate leaf = leafOf(SERVER);
    X509Certificate intermediate = intermediateOf(SERVER);
    assertPassedBy(verify(lookup(rootKey), chain(leaf, intermediate)), rootKey);
    assertPassedBy(verify(lookup(rootKey), SERVER.chain()), rootKey);
    assertPassedBy(verify(lookup(intermediateKey), chain(leaf)), intermediateKey);
    // Another PKI's root key, or a key that signed nothing of the chain: nothing matches.
    assertFailed(
        verify(lookup(bareKey(rootOf(STRANGER))), chain(leaf, intermediate)),
        TlsRptResultType.TLSA_INVALID);
    assertFailed(verify(lookup(rootKey), chain(leaf)), TlsRptResultType.TLSA_INVALID);
    TlsaRecord rootCertificate =
        record(CertificateUsage.DANE_TA, Selector.CERT, MatchingType.FULL, rootOf(SERVER));
    assertPassedBy(verify(lookup(rootCertificate), chain(leaf, intermediate)), rootCertificate);
    assertFailed(
        verify(
            lookup(
                record(
                    CertificateUsage.DANE_TA, Selector.CERT, MatchingType.FULL, rootOf(STRANGER))),
            chain(leaf, intermediate)),
        TlsRptResultType.TLSA_INVALID);
    // A digest cannot stand for a certificate not sent: it names nothing.
    assertFailed(
        verify(lookup(daneTa(rootOf(SERVER))), chain(leaf, intermediate)),
        TlsRptResultType.TLSA_INVALID);
  }

  @Test
  void aBareKeyThatIsNoKeyMatchesNothing() {
    TlsaRecord garbage = TlsaRecord.parse("2 1 0 3059301306072a8648ce3d020106082a8648ce3d0301");
    assertThat(garbage.usable()).isTrue();
    assertFailed(
        verify(lookup(garbage), chain(leafOf(SERVER), intermediateOf(SERVER))),
        TlsRptResultType.TLSA_INVALID);
  }

  @Test
  void anotherTrustAnchorRecordMayPassWhereOneFails() {
    TestPki expiredIntermediate = ROOT.intermediate("Expired Intermediate", LONG_AGO, YESTERDAY);
    Identity server = expiredIntermediate.issue(List.of("mx.example.test"), LAST_MONTH, IN_90_DAYS);
    TlsaRecord rootTa = daneTa(rootOf(server));
    TlsaRecord intermediateTa =
        record(
            CertificateUsage.DANE_TA, Selector.CERT, MatchingType.SHA2_512, intermediateOf(server));
    assertFailed(verify(lookup(rootTa), server.chain()), TlsRptResultType.CERTIFICATE_EXPIRED);
    assertPassedBy(verify(lookup(rootTa, intermediateTa), server.chain()), intermediateTa);
    // The first failure of a matching DANE-TA record is the one reported.
    DaneResult failed = verify(lookup(daneEe(STRANGER.certificate()), rootTa), server.chain());
    assertFailed(failed, TlsRptResultType.CERTIFICATE_EXPIRED);
  }

  @Test
  void aDaneEeMatchWinsOverAFailingTrustAnchor() {
    Identity expired = INTERMEDIATE.issue(List.of("mail.example.net"), LONG_AGO, YESTERDAY);
    TlsaRecord ee = daneEe(expired.certificate());
    DaneResult result = verify(lookup(daneTa(rootOf(expired)), ee), expired.chain());
    assertPassedBy(result, ee);
  }

  // ---- rollover -------------------------------------------------------------------------------

  @Test
  void duringARolloverEitherKeyPasses() {
    // RFC 7671 §8.1: the old and the new key are published together while the server changes.
    Identity current = SERVER;
    Identity next = INTERMEDIATE.issue(List.of("mx.example.test"), NOW, FAR_AHEAD);
    TestPki nextRoot = new TestPki("DANE Next Root", LONG_AGO, FAR_AHEAD);
    Identity nextCa =
        nextRoot
            .intermediate("DANE Next Intermediate", LONG_AGO, FAR_AHEAD)
            .issue(List.of("mx.example.test"), NOW, FAR_AHEAD);
    TlsaRecord oldEe = daneEe(current.certificate());
    TlsaRecord newEe = daneEe(next.certificate());
    TlsaLookup ee = lookup(oldEe, newEe);
    assertPassedBy(verify(ee, current.chain()), oldEe);
    assertPassedBy(verify(ee, next.chain()), newEe);
    assertFailed(verify(ee, STRANGER.chain()), TlsRptResultType.TLSA_INVALID);

    TlsaRecord oldTa = daneTa(rootOf(current));
    TlsaRecord newTa = daneTa(rootOf(nextCa));
    TlsaLookup ta = lookup(oldTa, newTa);
    assertPassedBy(verify(ta, current.chain()), oldTa);
    assertPassedBy(verify(ta, nextCa.chain()), newTa);

    // From DANE-EE to DANE-TA: "3 1 1" for the current key, "2 1 1" for the new CA.
    TlsaLookup mixed = lookup(oldEe, newTa);
    assertPassedBy(verify(mixed, current.chain()), oldEe);
    assertPassedBy(verify(mixed, nextCa.chain()), newTa);
  }

  @Test
  void aRenewalWithTheSameKeyKeepsMatchingSpkiRecords() {
    Identity renewed =
        INTERMEDIATE.issue(
            "mx.example.test", List.of("mx.example.test"), SERVER.keys(), NOW, FAR_AHEAD);
    TlsaRecord spki = daneEe(SERVER.certificate());
    TlsaRecord cert =
        record(
            CertificateUsage.DANE_EE, Selector.CERT, MatchingType.SHA2_256, SERVER.certificate());
    assertPassedBy(verify(lookup(spki), renewed.chain()), spki);
    assertFailed(verify(lookup(cert), renewed.chain()), TlsRptResultType.TLSA_INVALID);
  }

  // ---- digest agility (RFC 7671 §9) -----------------------------------------------------------

  private static TlsaRecord ee(Selector selector, MatchingType type, Identity identity) {
    return record(CertificateUsage.DANE_EE, selector, type, identity.certificate());
  }

  @Test
  void aStrongerDigestDisplacesAWeakerOneOfTheSameUsageAndSelector() {
    TlsaRecord weakMatch = ee(Selector.SPKI, MatchingType.SHA2_256, SERVER);
    TlsaRecord strongOther = ee(Selector.SPKI, MatchingType.SHA2_512, STRANGER);
    TlsaLookup lookup = lookup(weakMatch, strongOther);
    DaneResult result = verify(lookup, SERVER.chain());
    assertFailed(result, TlsRptResultType.TLSA_INVALID);
    assertThat(result.recordsUsed()).containsExactly(strongOther);

    DaneVerifier sha256Only =
        DaneVerifier.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .digestPreference(List.of(MatchingType.SHA2_256))
            .build();
    DaneResult preferred = sha256Only.verify(lookup, List.of(), SERVER.chain());
    assertPassedBy(preferred, weakMatch);
    assertThat(preferred.recordsUsed()).containsExactly(weakMatch);

    DaneVerifier sha256First =
        DaneVerifier.builder()
            .digestPreference(List.of(MatchingType.SHA2_256, MatchingType.SHA2_512))
            .build();
    assertPassedBy(sha256First.verify(lookup, List.of(), SERVER.chain()), weakMatch);
  }

  @Test
  void bothDigestsMatchingPassByTheStrongerOne() {
    TlsaRecord sha256 = ee(Selector.SPKI, MatchingType.SHA2_256, SERVER);
    TlsaRecord sha512 = ee(Selector.SPKI, MatchingType.SHA2_512, SERVER);
    DaneResult result = verify(lookup(sha256, sha512), SERVER.chain());
    assertPassedBy(result, sha512);
    assertThat(result.recordsUsed()).containsExactly(sha512);
  }

  static Stream<Arguments> notDisplaced() {
    TlsaRecord strongOther = ee(Selector.SPKI, MatchingType.SHA2_512, STRANGER);
    return Stream.of(
        Arguments.of(named("another usage", daneTa(rootOf(SERVER))), strongOther),
        Arguments.of(
            named("another selector", ee(Selector.CERT, MatchingType.SHA2_256, SERVER)),
            strongOther),
        Arguments.of(
            named("a full value", ee(Selector.SPKI, MatchingType.FULL, SERVER)), strongOther),
        Arguments.of(
            named("a malformed stronger digest", ee(Selector.SPKI, MatchingType.SHA2_256, SERVER)),
            TlsaRecord.parse("3 1 2 " + "ab".repeat(32))),
        Arguments.of(
            named("a PKIX-EE stronger digest", ee(Selector.SPKI, MatchingType.SHA2_256, SERVER)),
            record(
                CertificateUsage.PKIX_EE,
                Selector.SPKI,
                MatchingType.SHA2_512,
                STRANGER.certificate())));
  }

  @ParameterizedTest(name = "a stronger digest does not displace {0}")
  @MethodSource
  void notDisplaced(TlsaRecord matching, TlsaRecord stronger) {
    DaneResult result = verify(lookup(matching, stronger), SERVER.chain());
    assertPassedBy(result, matching);
    assertThat(result.recordsUsed()).contains(matching);
  }

  @Test
  void recordsWithOnlyDigestsTheVerifierDoesNotUseAskForTlsOnly() {
    // RFC 7671 §9, RFC 7672 §2.2: a record whose matching type the client does not use is
    // unusable to it; with no usable record left, TLS is mandatory but not authenticated.
    DaneVerifier sha256Only =
        DaneVerifier.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .digestPreference(List.of(MatchingType.SHA2_256))
            .build();
    TlsaLookup lookup = lookup(ee(Selector.SPKI, MatchingType.SHA2_512, STRANGER));
    assertThat(lookup.status()).isEqualTo(TlsaLookup.Status.USABLE);
    DaneResult result = sha256Only.verify(lookup, List.of(), SERVER.chain());
    assertThat(result.passed()).as(result.toString()).isTrue();
    assertThat(result.matched()).isEmpty();
    assertThat(result.recordsUsed()).isEmpty();
    assertThat(result.detail()).contains("TLS without authentication");
    assertThat(result.toVerdict().action()).isEqualTo(MxVerdict.Action.DELIVER);
  }

  @Test
  void malformedDigestsAreIgnored() {
    TlsaRecord good = daneEe(SERVER.certificate());
    TlsaRecord shortDigest = TlsaRecord.of(3, 1, 1, Arrays.copyOf(good.data(), 31));
    TlsaRecord longDigest = TlsaRecord.of(3, 1, 1, Arrays.copyOf(good.data(), 33));
    DaneResult result = verify(lookup(shortDigest, longDigest, good), SERVER.chain());
    assertPassedBy(result, good);
    assertThat(result.recordsUsed()).containsExactly(good);
    assertThat(result.toVerdict().policy().strings())
        .containsExactly(shortDigest.toText(), longDigest.toText(), good.toText());
  }

  // ---- limits and degenerate chains -----------------------------------------------------------

  @Test
  void aRepeatedRecordIsJudgedOnce() {
    TlsaRecord rootTa = daneTa(rootOf(SERVER));
    TlsaRecord[] repeated = new TlsaRecord[50];
    Arrays.fill(repeated, rootTa);
    DaneResult result = verify(lookup(repeated), chain(leafOf(SERVER), rootOf(SERVER)));
    assertFailed(result, TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(result.recordsUsed()).containsExactly(rootTa);
  }

  @Test
  void anEmptyChainFails() {
    DaneResult result = verify(lookup(daneEe(SERVER.certificate())), List.of());
    assertFailed(result, TlsRptResultType.VALIDATION_FAILURE);
    assertThat(result.detail()).contains("no certificate");
  }

  @Test
  void aChainOverTheLimitFails() {
    DaneVerifier two =
        DaneVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).maxChainLength(2).build();
    TlsaRecord record = daneEe(SERVER.certificate());
    DaneResult result = two.verify(lookup(record), List.of(), SERVER.chain());
    assertFailed(result, TlsRptResultType.VALIDATION_FAILURE);
    assertThat(result.detail()).contains("3 certificates; at most 2");
    assertPassedBy(two.verify(lookup(record), List.of(), SERVER.chain().subList(0, 2)), record);

    List<X509Certificate> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(SERVER.certificate());
    }
    assertFailed(verify(lookup(record), eleven), TlsRptResultType.VALIDATION_FAILURE);
    assertPassedBy(verify(lookup(record), eleven.subList(0, 10)), record);
  }

  @Test
  void theBuilderRefusesNonsense() {
    assertThatThrownBy(() -> DaneVerifier.builder().digestPreference(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DaneVerifier.builder().digestPreference(List.of(MatchingType.FULL)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                DaneVerifier.builder()
                    .digestPreference(List.of(MatchingType.SHA2_256, MatchingType.SHA2_256)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DaneVerifier.builder().maxChainLength(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DaneVerifier.builder().clock(null))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- the verdict for TLS-RPT ----------------------------------------------------------------

  @Test
  void theVerdictCarriesTheTlsaPolicyOfTheBaseDomain() {
    DomainName base = DomainName.parse("mx.hosting.test");
    TlsaRecord pkix = TlsaRecord.parse("1 1 1 " + "AB".repeat(32));
    TlsaRecord ta = daneTa(rootOf(SERVER));
    TlsaLookup lookup =
        TlsaLookup.secure(HOST, 25, base, List.of(pkix, ta), List.of(ADDRESS), "via a CNAME");

    MxVerdict passed = VERIFIER.verify(lookup, List.of(), SERVER.chain()).toVerdict();
    assertThat(passed.action()).isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(passed.failure()).isEmpty();
    assertThat(passed.mode()).isEqualTo(MtaStsMode.NONE);
    assertThat(passed.mxHost()).isEqualTo(HOST);
    assertThat(passed.policy().type()).isEqualTo(TlsRptPolicyType.TLSA);
    assertThat(passed.policyDomain()).isEqualTo(base);
    assertThat(passed.policy().domain()).isEqualTo(base);
    assertThat(passed.policy().strings()).containsExactly("1 1 1 " + "ab".repeat(32), ta.toText());
    assertThat(passed.policy().mxHosts()).containsExactly("mx.example.test");

    Identity misnamed = INTERMEDIATE.issue(List.of("mail.example.net"), LAST_MONTH, IN_90_DAYS);
    DaneResult failure = VERIFIER.verify(lookup, List.of(), misnamed.chain());
    MxVerdict failed = failure.toVerdict();
    assertThat(failed.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(failed.failure()).contains(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(failed.detail()).isEqualTo(failure.detail());
    assertThat(failed.policy()).isEqualTo(passed.policy());
    assertThat(failed.mayDeliver()).isFalse();
  }

  static Stream<Arguments> failureTypes() {
    Identity expired = INTERMEDIATE.issue(List.of("mx.example.test"), LONG_AGO, YESTERDAY);
    Identity future = INTERMEDIATE.issue(List.of("mx.example.test"), TOMORROW, FAR_AHEAD);
    Identity misnamed = INTERMEDIATE.issue(List.of("mail.example.net"), LAST_MONTH, IN_90_DAYS);
    TestPki impostor = ROOT.intermediate("DANE Test Intermediate", LONG_AGO, FAR_AHEAD);
    X509Certificate forged =
        impostor.issue(List.of("mx.example.test"), LAST_MONTH, IN_90_DAYS).certificate();
    TlsaRecord rootTa = daneTa(rootOf(SERVER));
    List<X509Certificate> tooLong = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      tooLong.add(SERVER.certificate());
    }
    Optional<String> none = Optional.empty();
    return Stream.of(
        failure(
            "no record matches",
            SERVER.chain(),
            daneEe(STRANGER.certificate()),
            TlsRptResultType.TLSA_INVALID,
            none),
        failure(
            "an expired leaf under DANE-TA",
            expired.chain(),
            rootTa,
            TlsRptResultType.CERTIFICATE_EXPIRED,
            Optional.of("EXPIRED")),
        failure(
            "a leaf not valid yet under DANE-TA",
            future.chain(),
            rootTa,
            TlsRptResultType.CERTIFICATE_EXPIRED,
            Optional.of("NOT_YET_VALID")),
        failure(
            "a name mismatch under DANE-TA",
            misnamed.chain(),
            rootTa,
            TlsRptResultType.CERTIFICATE_HOST_MISMATCH,
            none),
        failure(
            "a missing intermediate under DANE-TA",
            chain(leafOf(SERVER), rootOf(SERVER)),
            rootTa,
            TlsRptResultType.CERTIFICATE_NOT_TRUSTED,
            Optional.of("NO_TRUST_ANCHOR")),
        failure(
            "a forged signature under DANE-TA",
            chain(forged, intermediateOf(SERVER), rootOf(SERVER)),
            rootTa,
            TlsRptResultType.CERTIFICATE_NOT_TRUSTED,
            Optional.of("INVALID_SIGNATURE")),
        failure(
            "no certificate",
            List.of(),
            rootTa,
            TlsRptResultType.VALIDATION_FAILURE,
            Optional.of("NO_CERTIFICATE")),
        failure(
            "a chain over the limit",
            tooLong,
            rootTa,
            TlsRptResultType.VALIDATION_FAILURE,
            Optional.of("CHAIN_TOO_LONG")));
  }

  private static Arguments failure(
      String name,
      List<X509Certificate> chain,
      TlsaRecord record,
      TlsRptResultType type,
      Optional<String> reasonCode) {
    return Arguments.of(named(name, chain), record, type, reasonCode);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failureTypes")
  void eachFailureHasItsResultType(
      List<X509Certificate> chain,
      TlsaRecord record,
      TlsRptResultType type,
      Optional<String> reasonCode) {
    // RFC 8460 §4.3: the result type of each failure, and §4.3.3 a failure-reason-code.
    DaneResult result = verify(lookup(record), chain);
    assertFailed(result, type);
    assertThat(result.failureReasonCode()).isEqualTo(reasonCode);
    MxVerdict verdict = result.toVerdict();
    assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(verdict.failure()).contains(type);
    assertThat(verdict.failureReasonCode()).isEqualTo(reasonCode);
    assertThat(verdict.policyDomain()).isEqualTo(HOST);
    assertThat(verdict.policy().strings()).containsExactly(record.toText());
    assertThat(result.toString()).contains("failed " + type.token());
    assertThat(result).isEqualTo(verify(lookup(record), chain));
    assertThat(result.hashCode()).isEqualTo(verify(lookup(record), chain).hashCode());
  }
}
