package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.NsdServer;

/**
 * The sending MTA's whole transport decision, {@link TransportPolicyResolver#resolve}, against nsd
 * serving the zones of {@link DaneZones} through dnsjava's validating resolver: DANE for the MX
 * host with secure TLSA records, none for the host in the unsigned zone, and bogus answers.
 */
class TransportPolicyResolverNsdTest {
  @RegisterExtension static final NsdServer NSD = DaneZones.nsd();

  private static final class Lazy {
    static final TransportPolicyResolver TRANSPORT =
        TransportPolicyResolver.builder(DaneZones.validating(NSD)).build();
  }

  private static TransportPolicy resolve(String domain) {
    return Lazy.TRANSPORT.resolve(DomainName.parse(domain));
  }

  @Test
  void usesDaneForTheMxWithSecureTlsaAndNotForTheOneInTheUnsignedZone() {
    TransportPolicy policy = resolve("secure.test");
    assertThat(policy.status()).as(policy.toString()).isEqualTo(TransportPolicy.Status.RESOLVED);
    assertThat(policy.mxAuthenticated()).isTrue();
    assertThat(policy.implicitMx()).isFalse();
    assertThat(policy.usesDane()).isTrue();
    assertThat(policy.mxHosts())
        .extracting(mx -> mx.host().toString(), MxTransport::security)
        .containsExactly(
            tuple("mx.secure.test", MxTransport.Security.DANE),
            tuple("mx.insecure.test", MxTransport.Security.OPPORTUNISTIC));

    MxTransport dane = policy.mxHosts().get(0);
    assertThat(dane.tlsRequired()).isTrue();
    assertThat(dane.tlsa().orElseThrow().baseDomain()).contains(DomainName.parse("mx.secure.test"));
    assertThat(dane.verify(DaneZones.MX.chain()).action()).isEqualTo(MxVerdict.Action.DELIVER);
    MxVerdict otherKey = dane.verify(DaneZones.STRANGER.chain());
    assertThat(otherKey.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(otherKey.failure()).contains(TlsRptResultType.TLSA_INVALID);

    MxTransport insecure = policy.mxHosts().get(1);
    assertThat(insecure.tlsRequired()).isFalse();
    assertThat(insecure.tlsa().map(TlsaLookup::status)).contains(TlsaLookup.Status.INSECURE);
    assertThat(insecure.refusal()).isEmpty();
    assertThat(insecure.verify(DaneZones.STRANGER.chain()).mayDeliver()).isTrue();
  }

  @Test
  void makesNothingOfTlsaRecordsUnderAnInsecureMxRrset() {
    TransportPolicy policy = resolve("insecure.test");
    assertThat(policy.status()).isEqualTo(TransportPolicy.Status.RESOLVED);
    assertThat(policy.mxAuthenticated()).isFalse();
    assertThat(policy.usesDane()).isFalse();
    assertThat(policy.mxHosts())
        .singleElement()
        .satisfies(
            mx -> {
              assertThat(mx.host()).isEqualTo(DomainName.parse("mx.insecure.test"));
              assertThat(mx.security()).isEqualTo(MxTransport.Security.OPPORTUNISTIC);
            });
  }

  static Stream<Arguments> bogusTlsa() {
    return Stream.of(
        arguments(named("altered TLSA signature", "bogustlsa.secure.test"), "bad.secure.test"),
        arguments(named("expired TLSA RRSIG", "expiredtlsa.secure.test"), "expired.secure.test"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bogusTlsa")
  void refusesAnMxWhoseTlsaRecordsAreBogus(String domain, String bogusHost) {
    TransportPolicy policy = resolve(domain);
    assertThat(policy.status()).as(policy.toString()).isEqualTo(TransportPolicy.Status.RESOLVED);
    MxTransport mx = policy.mxHosts().get(0);
    assertThat(mx.host()).isEqualTo(DomainName.parse(bogusHost));
    assertThat(mx.security()).isEqualTo(MxTransport.Security.UNREACHABLE);
    assertThat(mx.tlsa().map(TlsaLookup::status)).contains(TlsaLookup.Status.FAILED);
    MxVerdict refusal = mx.refusal().orElseThrow();
    assertThat(refusal.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(refusal.failure()).contains(TlsRptResultType.DNSSEC_INVALID);
    // a chain the TLSA records would match changes nothing: the host is not to be tried
    assertThat(mx.verify(DaneZones.MX.chain()).action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
  }

  @Test
  void triesTheNextMxWhenOneHasBogusTlsaRecords() {
    TransportPolicy policy = resolve("bogustlsa.secure.test");
    assertThat(policy.mxHosts())
        .extracting(MxTransport::security)
        .containsExactly(MxTransport.Security.UNREACHABLE, MxTransport.Security.DANE);
    assertThat(policy.deliverable()).isTrue();
  }

  static Stream<Arguments> bogusMx() {
    return Stream.of(
        arguments(named("altered MX signature", "bogusmx.secure.test")),
        arguments(named("expired MX RRSIG", "stalemx.secure.test")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bogusMx")
  void defersDeliveryWhenTheMxRrsetIsBogus(String domain) {
    TransportPolicy policy = resolve(domain);
    assertThat(policy.status()).as(policy.toString()).isEqualTo(TransportPolicy.Status.TEMP_FAIL);
    assertThat(policy.mxHosts()).isEmpty();
    assertThat(policy.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
    assertThat(policy.deliverable()).isFalse();
  }

  @Test
  void tellsASecurelyDeniedDomainFromAFailure() {
    assertThat(resolve("nowhere.secure.test").status())
        .isEqualTo(TransportPolicy.Status.NO_SUCH_DOMAIN);
  }
}
