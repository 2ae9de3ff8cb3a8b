package org.mailauth4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

class ZoneFileResolverTest {
  private static final ZoneFileResolver ZONE =
      ZoneFileResolver.builder()
          .zoneResource(ZoneFileResolverTest.class, "/dns/zone-resolver.zone")
          .fail(DomainName.parse("timeout.example.test"), DnsFailure.Kind.TIMEOUT)
          .fail(DomainName.parse("servfail.example.test"), DnsFailure.Kind.SERVER_FAILURE)
          .build();

  static Stream<Arguments> cases() {
    return Cases.arguments(ZoneFileResolverTest.class, "/dns/zone-resolver.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersLikeAnAuthoritativeServer(Cases.Row c) {
    DomainName name = DomainName.parse(c.get(0));
    DnsAnswer<?> answer = ZONE.lookup(query(name, c.get(1)));

    assertThat(answer.status()).as("status of %s", answer).hasToString(c.get(2));
    if (answer.isTempFail()) {
      assertThat(answer.failure().orElseThrow().kind()).hasToString(c.get(3));
    } else {
      assertThat(render(answer.records())).isEqualTo(c.get(3));
    }
    assertThat(answer.ttl().toSeconds()).as("ttl").isEqualTo(Long.parseLong(c.get(4)));
    assertThat(answer.authenticated()).isFalse();
  }

  static DnsQuery<?> query(DomainName name, String type) {
    switch (type) {
      case "TXT":
        return DnsQuery.txt(name);
      case "A":
        return DnsQuery.a(name);
      case "AAAA":
        return DnsQuery.aaaa(name);
      case "MX":
        return DnsQuery.mx(name);
      case "PTR":
        return DnsQuery.ptr(name);
      case "CNAME":
        return DnsQuery.cname(name);
      case "TLSA":
        return DnsQuery.ofType(name, 52);
      default:
        throw new IllegalArgumentException(type);
    }
  }

  /** Records as the cases file writes them. */
  static String render(List<?> records) {
    return records.stream()
        .map(
            r -> {
              if (r instanceof TxtRecord) {
                return ((TxtRecord) r).text();
              } else if (r instanceof InetAddress) {
                return ((InetAddress) r).getHostAddress();
              } else if (r instanceof MxHost) {
                return ((MxHost) r).preference() + " " + ((MxHost) r).exchange();
              } else if (r instanceof RawRecord) {
                return ((RawRecord) r).presentation();
              }
              return r.toString();
            })
        .collect(Collectors.joining(" ; "));
  }

  @Test
  void answersPtrForAnAddress() throws Exception {
    DnsAnswer<DomainName> answer = ZONE.lookup(DnsQuery.ptr(InetAddress.getByName("192.0.2.1")));
    assertThat(answer.records()).containsExactly(DomainName.parse("mx1.example.test"));
  }

  @Test
  void keepsTheCharacterStringsOfATxtRecord() {
    TxtRecord spf = ZONE.lookup(DnsQuery.txt(DomainName.parse("example.test"))).records().get(0);
    assertThat(spf.strings()).containsExactly("v=spf1 ", "ip4:192.0.2.0/24 ", "-all");
  }

  @Test
  void reportsTheLineOfAZoneFileError() {
    assertThatThrownBy(
            () ->
                ZoneFileResolver.fromZoneText(
                    "ok.test. TXT \"fine\"\nbad.test. MX not-a-number host.test.\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void refusesIncludeDirectives(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("other.zone"), "leak.test. TXT \"x\"\n");
    assertThatThrownBy(() -> ZoneFileResolver.fromZoneText("$INCLUDE " + secret + "\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadsZoneFilesWithAnOrigin(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("z.zone"), "$ORIGIN z.test.\nwww A 192.0.2.80\n");
    ZoneFileResolver fromFile = ZoneFileResolver.builder().zoneFile(file).build();
    assertThat(fromFile.lookup(DnsQuery.a(DomainName.parse("www.z.test"))).isFound()).isTrue();

    ZoneFileResolver relative =
        ZoneFileResolver.builder().zone("www A 192.0.2.81\n", DomainName.parse("r.test")).build();
    assertThat(relative.lookup(DnsQuery.a(DomainName.parse("www.r.test"))).records())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("192.0.2.81");
  }

  @Test
  void limitsCnameChains() {
    StringBuilder chain = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      chain.append("c").append(i).append(".test. CNAME c").append(i + 1).append(".test.\n");
    }
    chain.append("c5.test. A 192.0.2.1\n");
    ZoneFileResolver.Builder builder = ZoneFileResolver.builder().zone(chain.toString());
    DomainName start = DomainName.parse("c0.test");
    assertThat(builder.maxAliasChain(5).build().lookup(DnsQuery.a(start)).isFound()).isTrue();
    DnsAnswer<?> tooLong = builder.maxAliasChain(4).build().lookup(DnsQuery.a(start));
    assertThat(tooLong.failure().orElseThrow().kind()).isEqualTo(DnsFailure.Kind.ALIAS_CHAIN);
    assertThat(tooLong.failure().orElseThrow().detail()).contains("too long");
  }

  @Test
  void servesAThousandRecordsAtOneName() {
    StringBuilder zone = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      zone.append("many.test. MX ").append(i).append(" mx").append(i).append(".many.test.\n");
    }
    DnsAnswer<MxHost> answer =
        ZoneFileResolver.fromZoneText(zone.toString())
            .lookup(DnsQuery.mx(DomainName.parse("many.test")));
    assertThat(answer.records()).hasSize(1000);
  }

  /** What dnsjava's parser lets escape as other exceptions is still "does not parse". */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "\"\" TXT \"x\"",
        "$GENERATE 1- h$ A 192.0.2.$",
        "$GENERATE -5 h$ A 192.0.2.$",
        "x.example. NSAP 0",
      })
  void refusesMalformedZoneTextWithIllegalArgument(String text) {
    assertThatThrownBy(() -> ZoneFileResolver.fromZoneText(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone text");
  }

  @Test
  void boundsTheRecordsAZoneMayHold() {
    assertThatThrownBy(
            () -> ZoneFileResolver.fromZoneText("$GENERATE 1-1000000 h$.example. A 192.0.2.1"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 10000 records");
    ZoneFileResolver.Builder small = ZoneFileResolver.builder().maxRecords(2);
    assertThatThrownBy(() -> small.zone("a. A 192.0.2.1\nb. A 192.0.2.2\nc. A 192.0.2.3"))
        .hasMessageContaining("more than 2 records");
    assertThat(
            ZoneFileResolver.builder()
                .maxRecords(3)
                .zone("a. A 192.0.2.1\nb. A 192.0.2.2\nc. A 192.0.2.3")
                .build()
                .lookup(DnsQuery.a(DomainName.parse("c")))
                .isFound())
        .isTrue();
  }
}
