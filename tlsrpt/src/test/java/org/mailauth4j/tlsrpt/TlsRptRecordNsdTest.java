package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.NetworkDnsResolver;
import org.mailauth4j.testkit.NsdServer;
import org.mailauth4j.tlsrpt.TlsRptRecordLookup.Status;

/**
 * Discovery over the wire: nsd on loopback serving discovery.zone, read by the network resolver.
 */
class TlsRptRecordNsdTest {
  @RegisterExtension
  static final NsdServer NSD =
      new NsdServer().zoneResource("example.test", "/tlsrpt/discovery.zone");

  private static TlsRptRecordResolver resolver() {
    return TlsRptRecordResolver.builder(
            NetworkDnsResolver.builder()
                .servers(List.of(NSD.address()))
                .timeout(Duration.ofSeconds(2))
                .lookupTimeout(Duration.ofSeconds(8))
                .build())
        .build();
  }

  @Test
  void findsARecordSplitIntoStringsOnTheWire() {
    TlsRptRecordLookup lookup = resolver().lookup(DomainName.parse("split.example.test"));
    assertThat(lookup.status()).as("%s", lookup).isEqualTo(Status.FOUND);
    TlsRptRecord record = lookup.record().orElseThrow();
    assertThat(record.reportUris())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.mailbox()).hasValue("tlsrpt@split.example.test");
              assertThat(u.host()).isEqualTo("split.example.test");
            });
    assertThat(lookup.ttl()).hasSeconds(300);
  }

  @Test
  void tellsNoneSeveralAndInvalidApartOnTheWire() {
    TlsRptRecordResolver resolver = resolver();
    assertThat(resolver.lookup(DomainName.parse("among-others.example.test")).status())
        .isEqualTo(Status.FOUND);
    assertThat(resolver.lookup(DomainName.parse("several.example.test")).status())
        .isEqualTo(Status.MULTIPLE_RECORDS);
    assertThat(resolver.lookup(DomainName.parse("invalid.example.test")).status())
        .isEqualTo(Status.INVALID_RECORD);
    assertThat(resolver.lookupAsync(DomainName.parse("nowhere.example.test")).join().status())
        .isEqualTo(Status.NO_RECORD);
    assertThat(resolver.lookup(DomainName.parse("no-txt.example.test")).detail())
        .contains("has no TXT record");
  }

  @Test
  void aServerThatDoesNotAnswerIsATemporaryFailure() {
    // nsd answers REFUSED for names outside its zones.
    TlsRptRecordLookup lookup = resolver().lookup(DomainName.parse("example.org"));
    assertThat(lookup.status()).isEqualTo(Status.TEMP_FAIL);
    assertThat(lookup.failure()).isPresent();
  }
}
