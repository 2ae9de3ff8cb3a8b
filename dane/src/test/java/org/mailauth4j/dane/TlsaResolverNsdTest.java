package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.NsdServer;

/**
 * {@link TlsaResolver} against nsd serving the signed, unsigned and bogus zones of {@link
 * DaneZones}, through dnsjava's validating resolver: the statuses RFC 7672 §2.1.1 and §2.2 tell
 * apart, and the TLSA base domain of §2.2.3.
 */
class TlsaResolverNsdTest {
  @RegisterExtension static final NsdServer NSD = DaneZones.nsd();

  private static final class Lazy {
    static final TlsaResolver TLSA = TlsaResolver.builder(DaneZones.validating(NSD)).build();
  }

  /** The expected lookup: its status, base domain and records. */
  private record Expected(
      TlsaLookup.Status status, Optional<String> baseDomain, List<String> tlsa) {}

  private static Expected usable(String baseDomain, String... tlsa) {
    return new Expected(TlsaLookup.Status.USABLE, Optional.of(baseDomain), List.of(tlsa));
  }

  private static Expected without(TlsaLookup.Status status) {
    return new Expected(status, Optional.empty(), List.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        host("secure usable TLSA", "mx.secure.test", usable("mx.secure.test", DaneZones.MX_TLSA)),
        host(
            "host name that is an alias: the expanded name is the base domain",
            "alias.secure.test",
            usable("mx.secure.test", DaneZones.MX_TLSA)),
        host(
            "TLSA RRset behind a CNAME in the same zone",
            "mx2.secure.test",
            usable("mx2.secure.test", DaneZones.MX_TLSA)),
        host(
            "TLSA RRset behind a CNAME into another signed zone",
            "mx3.secure.test",
            usable("mx3.secure.test", DaneZones.MX_TLSA)),
        host(
            "TLSA RRset behind a CNAME into the unsigned zone",
            "mx4.secure.test",
            without(TlsaLookup.Status.INSECURE)),
        host(
            "rollover: old and new key published together",
            "roll.secure.test",
            usable("roll.secure.test", DaneZones.MX_TLSA, DaneZones.NEXT_TLSA)),
        host(
            "only a PKIX-EE record",
            "pkix.secure.test",
            new Expected(
                TlsaLookup.Status.UNUSABLE,
                Optional.of("pkix.secure.test"),
                List.of("1" + DaneZones.MX_TLSA.substring(1)))),
        host("insecure delegation", "mx.insecure.test", without(TlsaLookup.Status.INSECURE)),
        host("altered TLSA signature", "bad.secure.test", without(TlsaLookup.Status.FAILED)),
        host("expired TLSA RRSIG", "expired.secure.test", without(TlsaLookup.Status.FAILED)),
        host(
            "TLSA substituted after signing",
            "forged.secure.test",
            without(TlsaLookup.Status.FAILED)),
        host(
            "zone whose DS names another key", "mx.broken.test", without(TlsaLookup.Status.FAILED)),
        host(
            "secure denial: no TLSA name (NXDOMAIN)",
            "plain.secure.test",
            without(TlsaLookup.Status.NOT_FOUND)),
        host(
            "secure denial: TLSA name with other data (NODATA)",
            "nodata.secure.test",
            without(TlsaLookup.Status.NOT_FOUND)));
  }

  private static Arguments host(String name, String host, Expected expected) {
    return arguments(named(name, host), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void looksUpTlsaRecords(String host, Expected expected) {
    TlsaLookup lookup = Lazy.TLSA.lookup(DomainName.parse(host));
    assertThat(lookup.status()).as(lookup.toString()).isEqualTo(expected.status());
    assertThat(lookup.host()).isEqualTo(DomainName.parse(host));
    assertThat(lookup.port()).isEqualTo(25);
    if (expected.baseDomain().isPresent()) {
      assertThat(lookup.baseDomain()).contains(DomainName.parse(expected.baseDomain().get()));
    }
    assertThat(lookup.records())
        .containsExactlyInAnyOrderElementsOf(
            expected.tlsa().stream().map(TlsaRecord::parse).toList());
    if (expected.status() == TlsaLookup.Status.FAILED) {
      assertThat(lookup.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
    }
  }

  @Test
  void findsTheAddressesOfASecureHost() {
    assertThat(Lazy.TLSA.lookup(DomainName.parse("mx.secure.test")).addresses())
        .extracting(a -> a.getHostAddress())
        .containsExactlyInAnyOrder("192.0.2.25", "2001:db8:0:0:0:0:0:25");
  }

  @Test
  void looksUpThePortAsked() {
    // _465._tcp.mx.secure.test does not exist, and NSEC proves it.
    TlsaLookup lookup = Lazy.TLSA.lookupAsync(DomainName.parse("mx.secure.test"), 465).join();
    assertThat(lookup.status()).as(lookup.toString()).isEqualTo(TlsaLookup.Status.NOT_FOUND);
    assertThat(lookup.port()).isEqualTo(465);
  }

  static Stream<Arguments> rolloverChains() {
    return Stream.of(
        arguments(named("the old key", DaneZones.MX.chain()), true),
        arguments(named("the new key", DaneZones.NEXT.chain()), true),
        arguments(named("a key neither record names", DaneZones.STRANGER.chain()), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rolloverChains")
  void acceptsEitherKeyDuringARollover(List<X509Certificate> chain, boolean passes) {
    DomainName host = DomainName.parse("roll.secure.test");
    TlsaLookup lookup = Lazy.TLSA.lookupAsync(host).join();
    DaneResult result = DaneVerifier.builder().build().verify(lookup, List.of(host), chain);
    assertThat(result.passed()).as(result.toString()).isEqualTo(passes);
    if (passes) {
      assertThat(result.matched()).isPresent();
    } else {
      assertThat(result.failure()).contains(TlsRptResultType.TLSA_INVALID);
    }
  }
}
