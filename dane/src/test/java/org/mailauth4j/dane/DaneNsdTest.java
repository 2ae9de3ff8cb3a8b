package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsStatus;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.MxHost;
import org.mailauth4j.dns.NetworkDnsResolver;
import org.mailauth4j.dns.RawRecord;
import org.mailauth4j.testkit.NsdServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * What DANE's TLSA and MX lookups get from a real authoritative server (nsd) serving the signed,
 * unsigned and bogus zones of {@link DaneZones}, through dnsjava's validating resolver with the
 * tree's trust anchor: the authenticated flag RFC 7672 §2.1 rests on, and DNSSEC_BOGUS failures.
 */
class DaneNsdTest {
  @RegisterExtension static final NsdServer NSD = DaneZones.nsd();

  private static final class Lazy {
    static final NetworkDnsResolver VALIDATING = DaneZones.validating(NSD);
    static final NetworkDnsResolver PLAIN = DaneZones.plain(NSD).build();
  }

  /** What a lookup is expected to give. */
  private record Expected(DnsStatus status, boolean authenticated, List<String> tlsa) {}

  private static Expected found(boolean authenticated, String... tlsa) {
    return new Expected(DnsStatus.FOUND, authenticated, List.of(tlsa));
  }

  private static Expected denied(DnsStatus status, boolean authenticated) {
    return new Expected(status, authenticated, List.of());
  }

  private static final Expected BOGUS = new Expected(DnsStatus.TEMP_FAIL, false, List.of());

  static Stream<Arguments> tlsaCases() {
    return Stream.of(
        tlsa("secure TLSA", "_25._tcp.mx.secure.test", found(true, DaneZones.MX_TLSA)),
        tlsa(
            "TLSA in an unsigned delegation",
            "_25._tcp.mx.insecure.test",
            found(false, DaneZones.MX_TLSA)),
        tlsa("TLSA whose signature was altered", "_25._tcp.bad.secure.test", BOGUS),
        tlsa("TLSA whose RRSIG has expired", "_25._tcp.expired.secure.test", BOGUS),
        tlsa("TLSA substituted after signing", "_25._tcp.forged.secure.test", BOGUS),
        tlsa("TLSA in a zone whose DS names another key", "_25._tcp.mx.broken.test", BOGUS),
        tlsa(
            "no TLSA name, NSEC proves NXDOMAIN",
            "_25._tcp.plain.secure.test",
            denied(DnsStatus.NXDOMAIN, true)),
        tlsa(
            "TLSA name with other data only, NSEC proves NODATA",
            "_25._tcp.nodata.secure.test",
            denied(DnsStatus.NO_DATA, true)),
        tlsa(
            "empty non-terminal, NSEC proves NODATA",
            "_tcp.mx.secure.test",
            denied(DnsStatus.NO_DATA, true)),
        tlsa(
            "no TLSA name in the unsigned zone",
            "_25._tcp.mx9.insecure.test",
            denied(DnsStatus.NXDOMAIN, false)),
        tlsa(
            "TLSA behind a CNAME in the same signed zone",
            "_25._tcp.mx2.secure.test",
            found(true, DaneZones.MX_TLSA)),
        tlsa(
            "TLSA behind a CNAME into another signed zone",
            "_25._tcp.mx3.secure.test",
            found(true, DaneZones.MX_TLSA)),
        tlsa(
            "TLSA behind a CNAME into the unsigned zone",
            "_25._tcp.mx4.secure.test",
            found(false, DaneZones.MX_TLSA)),
        tlsa(
            "two TLSA records during a rollover",
            "_25._tcp.roll.secure.test",
            found(true, DaneZones.MX_TLSA, DaneZones.NEXT_TLSA)));
  }

  private static Arguments tlsa(String name, String owner, Expected expected) {
    return arguments(named(name, owner), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tlsaCases")
  void validatesTlsaAnswers(String owner, Expected expected) {
    DnsAnswer<RawRecord> answer =
        Lazy.VALIDATING.lookup(DnsQuery.ofType(DomainName.parse(owner), TlsaRecord.TYPE));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(expected.status());
    assertThat(answer.authenticated()).as(answer.toString()).isEqualTo(expected.authenticated());
    assertThat(answer.records())
        .extracting(r -> TlsaRecord.fromRdata(r.rdata()))
        .containsExactlyInAnyOrderElementsOf(
            expected.tlsa().stream().map(TlsaRecord::parse).toList());
    if (expected.status() == DnsStatus.TEMP_FAIL) {
      assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
    }
  }

  static Stream<Arguments> bogusOwners() {
    return Stream.of(
        arguments(named("altered signature", "_25._tcp.bad.secure.test")),
        arguments(named("expired RRSIG", "_25._tcp.expired.secure.test")),
        arguments(named("substituted record", "_25._tcp.forged.secure.test")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bogusOwners")
  void servesTheBogusRecordsToAResolverThatDoesNotValidate(String owner) {
    // The failures above come from validation, not from a zone nsd would not serve.
    DnsAnswer<RawRecord> answer =
        Lazy.PLAIN.lookup(DnsQuery.ofType(DomainName.parse(owner), TlsaRecord.TYPE));
    assertThat(answer.status()).isEqualTo(DnsStatus.FOUND);
    assertThat(answer.authenticated()).isFalse();
  }

  static Stream<Arguments> mxCases() {
    return Stream.of(
        arguments(
            named("secure MX RRset", "secure.test"),
            new Expected(DnsStatus.FOUND, true, List.of()),
            List.of(mx(10, "mx.secure.test"), mx(20, "mx.insecure.test"))),
        arguments(
            named("MX RRset in the unsigned delegation", "insecure.test"),
            new Expected(DnsStatus.FOUND, false, List.of()),
            List.of(mx(10, "mx.insecure.test"))),
        arguments(
            named("MX RRset with an altered signature", "bogusmx.secure.test"), BOGUS, List.of()),
        arguments(named("MX RRset with an expired RRSIG", "stalemx.secure.test"), BOGUS, List.of()),
        arguments(
            named("no MX RRset, NSEC proves NODATA", "mx.secure.test"),
            denied(DnsStatus.NO_DATA, true),
            List.of()),
        arguments(
            named("no such domain, NSEC proves NXDOMAIN", "nowhere.secure.test"),
            denied(DnsStatus.NXDOMAIN, true),
            List.of()));
  }

  private static MxHost mx(int preference, String host) {
    return new MxHost(preference, DomainName.parse(host));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mxCases")
  void validatesMxAnswers(String domain, Expected expected, List<MxHost> hosts) {
    DnsAnswer<MxHost> answer = Lazy.VALIDATING.lookup(DnsQuery.mx(DomainName.parse(domain)));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(expected.status());
    assertThat(answer.authenticated()).as(answer.toString()).isEqualTo(expected.authenticated());
    assertThat(answer.records()).containsExactlyInAnyOrderElementsOf(hosts);
    if (expected.status() == DnsStatus.TEMP_FAIL) {
      assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);
    }
  }

  @Test
  void validatesTheAddressesOfASecureHost() {
    assertThat(
            Lazy.VALIDATING.lookup(DnsQuery.a(DomainName.parse("mx.secure.test"))).authenticated())
        .isTrue();
    assertThat(
            Lazy.VALIDATING
                .lookup(DnsQuery.aaaa(DomainName.parse("mx.secure.test")))
                .authenticated())
        .isTrue();
    assertThat(
            Lazy.VALIDATING
                .lookup(DnsQuery.a(DomainName.parse("mx.insecure.test")))
                .authenticated())
        .isFalse();
  }

  @Test
  void answersDsQueriesAtTheCutsFromTheParent() throws Exception {
    // What the validator builds its chain of trust from: nsd serves parent and child, and must
    // answer DS at a cut from the parent's side (RFC 4035 §3.1.4.1).
    SimpleResolver wire = new SimpleResolver(NSD.address());
    Message signed = wire.send(dsQuery("secure.test."));
    assertThat(signed.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(signed.getSection(Section.ANSWER))
        .extracting(Record::getType)
        .containsExactlyInAnyOrder(Type.DS, Type.RRSIG);
    assertThat(signed.getSection(Section.ANSWER))
        .filteredOn(r -> r instanceof RRSIGRecord)
        .extracting(r -> ((RRSIGRecord) r).getSigner())
        .containsExactly(Name.fromString("test."));

    Message unsigned = wire.send(dsQuery("insecure.test."));
    assertThat(unsigned.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(unsigned.getSection(Section.ANSWER)).isEmpty();
    NSECRecord proof =
        unsigned.getSection(Section.AUTHORITY).stream()
            .filter(r -> r instanceof NSECRecord)
            .map(r -> (NSECRecord) r)
            .findFirst()
            .orElseThrow();
    assertThat(proof.getName()).isEqualTo(Name.fromString("insecure.test."));
    assertThat(proof.hasType(Type.NS)).as("a delegation").isTrue();
    assertThat(proof.hasType(Type.DS)).as("without a DS").isFalse();
  }

  private static Message dsQuery(String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.DS, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return query;
  }
}
