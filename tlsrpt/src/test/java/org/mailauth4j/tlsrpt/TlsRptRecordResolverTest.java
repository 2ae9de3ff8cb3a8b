package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.tlsrpt.TlsRptRecordLookup.Status;

class TlsRptRecordResolverTest {
  private static final DnsResolver DNS =
      ZoneFileResolver.builder()
          .zoneResource(TlsRptRecordResolverTest.class, "/tlsrpt/discovery.zone")
          .fail(DomainName.parse("_smtp._tls.timeout.example.test"), DnsFailure.Kind.TIMEOUT)
          .fail(
              DomainName.parse("_smtp._tls.servfail.example.test"), DnsFailure.Kind.SERVER_FAILURE)
          .build();

  private static final TlsRptRecordResolver RESOLVER = TlsRptRecordResolver.builder(DNS).build();

  static Stream<Arguments> discovery() {
    return Cases.arguments(TlsRptRecordResolverTest.class, "/tlsrpt/discovery.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discovery")
  void findsTheRecordAsTheTableSays(Cases.Row row) {
    DomainName domain = DomainName.parse(row.get(0));
    TlsRptRecordLookup lookup = RESOLVER.lookup(domain);
    assertThat(lookup.status()).as("status: %s", lookup).isEqualTo(Status.valueOf(row.get(1)));
    assertThat(lookup.domain()).isEqualTo(domain);
    assertThat(lookup.name()).hasValue(domain.prepend("_smtp._tls"));
    assertThat(lookup.records()).hasSize(Integer.parseInt(row.get(2)));
    assertThat(lookup.isFound()).isEqualTo(lookup.status() == Status.FOUND);
    if (row.get(3).equals("-")) {
      assertThat(lookup.record()).isEmpty();
    } else {
      assertThat(lookup.record()).map(TlsRptRecord::toText).hasValue(row.get(3));
      assertThat(TlsRptRecord.parse(lookup.records().get(0))).isEqualTo(lookup.record().get());
    }
    List<String> problems = new ArrayList<>();
    lookup.findings().forEach(p -> problems.add(p.problem() + "@" + p.position()));
    assertThat(problems)
        .isEqualTo(row.get(4).equals("-") ? List.of() : Arrays.asList(row.get(4).split(" ")));
    assertThat(lookup.detail()).contains(row.get(5));
    assertThat(lookup.failure().isPresent()).isEqualTo(lookup.status() == Status.TEMP_FAIL);
    if (lookup.status() == Status.TEMP_FAIL) {
      assertThat(lookup.ttl()).isZero();
    } else {
      assertThat(lookup.ttl()).isPositive();
    }
    assertThat(lookup).hasToString(lookup.status() + ": " + lookup.detail());
    assertThat(RESOLVER.lookupAsync(domain).join()).isEqualTo(lookup).hasSameHashCodeAs(lookup);
  }

  @Test
  void keepsTheAnswersTtl() {
    assertThat(RESOLVER.lookup(DomainName.parse("one.example.test")).ttl()).hasSeconds(300);
    // RFC 2308 §5: a negative answer lives for the SOA's minimum.
    assertThat(RESOLVER.lookup(DomainName.parse("nowhere.example.test")).ttl()).hasSeconds(60);
  }

  @Test
  void aDomainTooLongForTheRecordNameHasNone() {
    String label = "a".repeat(63);
    DomainName domain = DomainName.parse(label + "." + label + "." + label + "." + "b".repeat(55));
    TlsRptRecordLookup lookup = RESOLVER.lookup(domain);
    assertThat(lookup.status()).isEqualTo(Status.NO_RECORD);
    assertThat(lookup.name()).isEmpty();
    assertThat(lookup.detail()).contains("longer than 253 octets");
    assertThat(lookup.ttl()).isZero();
  }

  @Test
  void aRecordOverTheLengthCapIsInvalidUnread() {
    TlsRptRecordResolver small = TlsRptRecordResolver.builder(DNS).maxRecordOctets(40).build();
    TlsRptRecordLookup lookup = small.lookup(DomainName.parse("one.example.test"));
    assertThat(lookup.status()).isEqualTo(Status.INVALID_RECORD);
    assertThat(lookup.findings())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problem()).isEqualTo(TlsRptRecordProblem.RECORD_TOO_LONG);
              assertThat(p.position()).isEqualTo(40);
              assertThat(p.severity()).isEqualTo(Severity.ERROR);
            });
    assertThat(small.lookup(DomainName.parse("several.example.test")).status())
        .as("several records are several, however long")
        .isEqualTo(Status.MULTIPLE_RECORDS);
    assertThatThrownBy(() -> TlsRptRecordResolver.builder(DNS).maxRecordOctets(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlsRptRecordResolver.builder(DNS).maxRecordOctets(65_536))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsARecordOfManyStringsUpToTheDefaultCap() {
    StringBuilder text = new StringBuilder("v=TLSRPTv1; rua=mailto:a@example.test");
    while (text.length() < TlsRptRecordResolver.DEFAULT_MAX_RECORD_OCTETS - 20) {
      text.append("; x").append(text.length()).append("=1");
    }
    DnsResolver dns = answering(TxtRecord.split(text.toString()));
    TlsRptRecordLookup lookup =
        TlsRptRecordResolver.builder(dns).build().lookup(DomainName.parse("example.test"));
    assertThat(lookup.status()).isEqualTo(Status.FOUND);
    assertThat(lookup.record().orElseThrow().extensions()).hasSize(TlsRptRecord.MAX_EXTENSIONS);
    assertThat(lookup.detail()).endsWith(" characters)").hasSizeLessThan(300);
  }

  @Test
  void aResolverThatThrowsIsATemporaryFailure() {
    DnsResolver throwing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            throw new IllegalStateException("closed");
          }
        };
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.failedFuture(new IllegalStateException("broken"));
          }
        };
    for (DnsResolver dns : List.of(throwing, failing)) {
      TlsRptRecordLookup lookup =
          TlsRptRecordResolver.builder(dns)
              .build()
              .lookupAsync(DomainName.parse("example.test"))
              .join();
      assertThat(lookup.status()).isEqualTo(Status.TEMP_FAIL);
      assertThat(lookup.failure()).isEmpty();
      assertThat(lookup.detail()).contains("the DNS resolver failed");
    }
  }

  @Test
  void detailsEscapeWhatCouldForgeALogLine() {
    DnsResolver dns =
        answering(TxtRecord.of("v=TLSRPTv1; rua=mailto:a@example.test\r\nFAKE: line"));
    TlsRptRecordLookup lookup =
        TlsRptRecordResolver.builder(dns).build().lookup(DomainName.parse("example.test"));
    assertThat(lookup.status()).isEqualTo(Status.INVALID_RECORD);
    assertThat(lookup.detail())
        .doesNotContain("\r")
        .doesNotContain("\n")
        .contains("\\u000d\\u000a");
  }

  /** A resolver whose every TXT answer is the given records. */
  private static DnsResolver answering(TxtRecord... records) {
    return new DnsResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
        DnsQuery<TxtRecord> txt = (DnsQuery<TxtRecord>) query;
        return CompletableFuture.completedFuture(
            (DnsAnswer<T>) DnsAnswer.found(txt, List.of(records), Duration.ofSeconds(60), false));
      }
    };
  }
}
