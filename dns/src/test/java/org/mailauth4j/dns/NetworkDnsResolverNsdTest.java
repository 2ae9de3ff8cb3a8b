package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailauth4j.testkit.NsdServer;

/**
 * The dnsjava-backed resolver against a real authoritative server: nsd on loopback, serving zones
 * from the test resources and a DNSSEC-signed zone made at test time.
 */
class NetworkDnsResolverNsdTest {
  private static final SignedZone SECURE = signedZone();

  @RegisterExtension
  static final NsdServer NSD =
      new NsdServer()
          .zoneResource("example.test", "/dns/nsd/example.test.zone")
          .zoneResource("other.test", "/dns/nsd/other.test.zone")
          .zoneResource("2.0.192.in-addr.arpa", "/dns/nsd/2.0.192.in-addr.arpa.zone")
          .zone("secure.test", SECURE.zoneText);

  private static SignedZone signedZone() {
    try {
      return SignedZone.create(Instant.now());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static NetworkDnsResolver.Builder resolverBuilder() {
    return NetworkDnsResolver.builder()
        .servers(List.of(NSD.address()))
        .timeout(Duration.ofSeconds(2))
        .lookupTimeout(Duration.ofSeconds(8));
  }

  private static final class Lazy {
    static final NetworkDnsResolver DNS = resolverBuilder().build();
  }

  private static DomainName name(String name) {
    return DomainName.parse(name);
  }

  @Test
  void joinsTheCharacterStringsOfOneTxtRecord() {
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("multi.example.test")));
    assertThat(answer.status()).isEqualTo(DnsStatus.FOUND);
    assertThat(answer.records()).hasSize(1);
    TxtRecord spf = answer.records().get(0);
    assertThat(spf.text()).isEqualTo("v=spf1 ip4:192.0.2.0/24 -all");
    assertThat(spf.strings()).containsExactly("v=spf1 ", "ip4:192.0.2.0/24 ", "-all");
    assertThat(answer.ttl()).hasSeconds(300);
    assertThat(answer.authenticated()).isFalse();
  }

  @Test
  void readsATxtRecordLongerThan255Octets() {
    TxtRecord r = Lazy.DNS.lookup(DnsQuery.txt(name("long.example.test"))).records().get(0);
    assertThat(r.length()).isEqualTo(610);
    assertThat(r.rawStrings()).extracting(b -> b.length).containsExactly(255, 255, 100);
    assertThat(r.text()).startsWith("aaa").contains("ab").endsWith("ccc");
  }

  @Test
  void keepsSeveralTxtRecordsApart() {
    assertThat(Lazy.DNS.lookup(DnsQuery.txt(name("two.example.test"))).records())
        .extracting(TxtRecord::text)
        .containsExactlyInAnyOrder("first record", "second record");
  }

  @Test
  void tellsNxdomainFromNoData() {
    DnsAnswer<TxtRecord> missing = Lazy.DNS.lookup(DnsQuery.txt(name("nothing.example.test")));
    assertThat(missing.status()).isEqualTo(DnsStatus.NXDOMAIN);
    assertThat(missing.ttl()).as("SOA minimum").hasSeconds(60);

    DnsAnswer<TxtRecord> otherType = Lazy.DNS.lookup(DnsQuery.txt(name("onlya.example.test")));
    assertThat(otherType.status()).isEqualTo(DnsStatus.NO_DATA);
    assertThat(otherType.ttl()).hasSeconds(60);

    DnsAnswer<TxtRecord> emptyNonTerminal = Lazy.DNS.lookup(DnsQuery.txt(name("b.c.example.test")));
    assertThat(emptyNonTerminal.status()).isEqualTo(DnsStatus.NO_DATA);
  }

  @Test
  void readsMxPreferencesAndExchanges() {
    assertThat(Lazy.DNS.lookup(DnsQuery.mx(name("mail.example.test"))).records())
        .containsExactlyInAnyOrder(
            new MxHost(10, name("mx1.example.test")), new MxHost(20, name("mx2.other.test")));
  }

  @Test
  void readsIpv4AndIpv6Addresses() throws Exception {
    assertThat(Lazy.DNS.lookup(DnsQuery.a(name("mx1.example.test"))).records())
        .containsExactly((Inet4Address) InetAddress.getByName("192.0.2.1"));
    assertThat(Lazy.DNS.lookup(DnsQuery.aaaa(name("mx1.example.test"))).records())
        .containsExactly((Inet6Address) InetAddress.getByName("2001:db8::25"));
  }

  @Test
  void readsPtrRecords() throws Exception {
    assertThat(Lazy.DNS.lookup(DnsQuery.ptr(InetAddress.getByName("192.0.2.2"))).records())
        .containsExactly(name("mx2.other.test"));
  }

  @Test
  void followsACnameChain() {
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("alias1.example.test")));
    assertThat(answer.records())
        .extracting(TxtRecord::text)
        .containsExactly("reached through two aliases");
    assertThat(answer.ttl()).as("smallest TTL along the chain").hasSeconds(30);
  }

  @Test
  void answersACnameQueryWithTheAliasItself() {
    DnsAnswer<DomainName> answer = Lazy.DNS.lookup(DnsQuery.cname(name("alias1.example.test")));
    assertThat(answer.records()).containsExactly(name("alias2.example.test"));
    assertThat(Lazy.DNS.lookup(DnsQuery.cname(name("target.example.test"))).status())
        .as("not an alias")
        .isEqualTo(DnsStatus.NO_DATA);
  }

  @Test
  void asksAgainForACnameTargetTheServerDidNotResolve() {
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("outside.example.test")));
    assertThat(answer.records()).extracting(TxtRecord::text).containsExactly("in another zone");
  }

  @Test
  void reportsACnameLoop() {
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("loop1.example.test")));
    assertThat(answer.status()).isEqualTo(DnsStatus.TEMP_FAIL);
    assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.ALIAS_CHAIN);
  }

  @Test
  void readsTypesWithoutATypedForm() {
    RawRecord tlsa =
        Lazy.DNS.lookup(DnsQuery.ofType(name("_25._tcp.mx1.example.test"), 52)).records().get(0);
    assertThat(tlsa.type()).isEqualTo(52);
    assertThat(tlsa.presentation())
        .isEqualTo("3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");
    assertThat(tlsa.rdata()).hasSize(35);
  }

  @Test
  void fallsBackToTcpForAnAnswerTooLargeForUdp() {
    // About 4.4 KB: more than the 1232 octets of the EDNS payload, so only TCP can carry it.
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("big.example.test")));
    assertThat(answer.records()).hasSize(40);

    NetworkDnsResolver withoutEdns = resolverBuilder().ednsPayloadSize(0).build();
    assertThat(withoutEdns.lookup(DnsQuery.txt(name("big.example.test"))).records()).hasSize(40);
  }

  @Test
  void reportsARefusalForANameTheServerDoesNotServe() {
    DnsAnswer<TxtRecord> answer = Lazy.DNS.lookup(DnsQuery.txt(name("example.org")));
    assertThat(answer.status()).isEqualTo(DnsStatus.TEMP_FAIL);
    assertThat(answer.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.REFUSED);
    assertThat(answer.failure().orElseThrow().detail()).contains("REFUSED", "example.org");
  }

  @Test
  void answersManyConcurrentLookups() {
    List<CompletableFuture<DnsAnswer<TxtRecord>>> pending = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String label = i % 3 == 0 ? "multi" : i % 3 == 1 ? "two" : "nothing";
      pending.add(Lazy.DNS.lookupAsync(DnsQuery.txt(name(label + ".example.test"))));
    }
    for (int i = 0; i < pending.size(); i++) {
      assertThat(pending.get(i).join().status())
          .isEqualTo(i % 3 == 2 ? DnsStatus.NXDOMAIN : DnsStatus.FOUND);
    }
  }

  @Test
  void cachesNetworkAnswers() {
    CachingDnsResolver cache = CachingDnsResolver.builder(Lazy.DNS).build();
    for (int i = 0; i < 5; i++) {
      assertThat(cache.lookup(DnsQuery.txt(name("two.example.test"))).records()).hasSize(2);
    }
    assertThat(cache.stats().misses()).isEqualTo(1);
    assertThat(cache.stats().hits()).isEqualTo(4);
  }

  @Test
  void validatesDnssecWithATrustAnchor() {
    NetworkDnsResolver validating =
        resolverBuilder().dnssecTrustAnchors(SECURE.trustAnchor).build();

    DnsAnswer<TxtRecord> signed = validating.lookup(DnsQuery.txt(name("www.secure.test")));
    assertThat(signed.records()).extracting(TxtRecord::text).containsExactly("signed and sealed");
    assertThat(signed.authenticated()).as("validated answer").isTrue();

    DnsAnswer<TxtRecord> provenAbsent = validating.lookup(DnsQuery.txt(name("no.secure.test")));
    assertThat(provenAbsent.status()).isEqualTo(DnsStatus.NXDOMAIN);
    assertThat(provenAbsent.authenticated()).as("NSEC proof of absence").isTrue();

    DnsAnswer<TxtRecord> unsigned = validating.lookup(DnsQuery.txt(name("multi.example.test")));
    assertThat(unsigned.isFound()).isTrue();
    assertThat(unsigned.authenticated()).as("outside the trust anchor").isFalse();
  }

  @Test
  void failsABogusAnswerUnderValidation() {
    NetworkDnsResolver validating =
        resolverBuilder().dnssecTrustAnchors(SECURE.trustAnchor).build();
    DnsAnswer<TxtRecord> forged = validating.lookup(DnsQuery.txt(name("forged.secure.test")));
    assertThat(forged.status()).isEqualTo(DnsStatus.TEMP_FAIL);
    assertThat(forged.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.DNSSEC_BOGUS);

    // Without validation the same answer is used, and not marked authenticated.
    DnsAnswer<TxtRecord> plain = Lazy.DNS.lookup(DnsQuery.txt(name("forged.secure.test")));
    assertThat(plain.records()).extracting(TxtRecord::text).containsExactly("tampered");
    assertThat(plain.authenticated()).isFalse();
  }
}
