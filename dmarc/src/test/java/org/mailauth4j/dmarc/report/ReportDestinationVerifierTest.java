package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dmarc.report.ReportDestinationVerifier.ReportType;
import org.mailauth4j.dmarc.report.ReportDestinations.Destination;
import org.mailauth4j.dmarc.report.ReportDestinations.Status;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;

/** The external destination check of RFC 9990 §4 (RFC 7489 §7.1) over an in-memory zone. */
class ReportDestinationVerifierTest {
  private static final DomainName EXAMPLE_COM = DomainName.parse("example.com");

  /** A host name of 236 octets: valid itself, too long with example.com._report._dmarc before. */
  private static final String LONG_HOST =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(40) + ".org";

  private static final String ZONE =
      """
      _dmarc.example.com.                              TXT "v=DMARC1; p=reject"
      _dmarc.example.net.                              TXT "v=DMARC1; p=none"
      ; a subdomain that is an organization of its own under the tree walk (RFC 9989 §4.10.2)
      _dmarc.own.example.com.                          TXT "v=DMARC1; p=none; psd=n"
      example.com._report._dmarc.rep.example.net.      TXT "v=DMARC1"
      *._report._dmarc.wild.example.org.               TXT "v=DMARC1"
      example.com._report._dmarc.spf.example.org.      TXT "v=spf1 -all"
      example.com._report._dmarc.dmarc2.example.org.   TXT "v=DMARC2"
      example.com._report._dmarc.lower.example.org.    TXT "v=dmarc1"
      example.com._report._dmarc.mixed.example.org.    TXT "v=spf1 -all"
      example.com._report._dmarc.mixed.example.org.    TXT "v=DMARC1"
      example.com._report._dmarc.repl.example.org.     TXT "v=DMARC1; rua=mailto:new@repl.example.org,mailto:x@evil.example; ruf=mailto:fail@repl.example.org"
      example.com._report._dmarc.away.example.org.     TXT "v=DMARC1; rua=mailto:x@evil.example"
      example.com._report._dmarc.two.example.org.      TXT "v=DMARC1; rua=mailto:a@two.example.org"
      example.com._report._dmarc.two.example.org.      TXT "v=DMARC1; rua=mailto:b@two.example.org"
      example.com._report._dmarc.same.example.org.     TXT "v=DMARC1; rua=mailto:a@same.example.org"
      example.com._report._dmarc.same.example.org.     TXT "v=DMARC1; rua=mailto:a@same.example.org"
      example.com._report._dmarc.xn--rports-bva.example. TXT "v=DMARC1"
      xn--bcher-kva.example._report._dmarc.rep.example.net. TXT "v=DMARC1"
      example.com._report._dmarc.servfail.example.org. TXT "v=DMARC1"
      example.com._report._dmarc.timeout.example.org.  TXT "v=DMARC1"
      """;

  private static final ZoneFileResolver DNS =
      ZoneFileResolver.builder()
          .zone(ZONE)
          .fail(
              DomainName.parse("example.com._report._dmarc.servfail.example.org"),
              DnsFailure.Kind.SERVER_FAILURE)
          .fail(
              DomainName.parse("example.com._report._dmarc.timeout.example.org"),
              DnsFailure.Kind.TIMEOUT)
          .fail(DomainName.parse("_dmarc.walkfail.example.org"), DnsFailure.Kind.SERVER_FAILURE)
          .build();

  private static Arguments row(
      String name,
      String policyDomain,
      String uri,
      Status status,
      List<String> effective,
      String queried) {
    return Arguments.of(
        Named.of(name, policyDomain), uri, status, effective, Optional.ofNullable(queried));
  }

  static Stream<Arguments> destinations() {
    String q = "example.com._report._dmarc.";
    return Stream.of(
        row(
            "same org: the policy domain itself",
            "example.com",
            "mailto:d@example.com",
            Status.SAME_ORGANIZATION,
            List.of("mailto:d@example.com"),
            null),
        row(
            "same org: a subdomain of the policy domain",
            "example.com",
            "mailto:d@reports.example.com",
            Status.SAME_ORGANIZATION,
            List.of("mailto:d@reports.example.com"),
            null),
        row(
            "same org: the parent of a policy subdomain",
            "mail.example.com",
            "mailto:d@example.com",
            Status.SAME_ORGANIZATION,
            List.of("mailto:d@example.com"),
            null),
        row(
            "same org: a domain of the policy domain's name in capitals",
            "example.com",
            "mailto:d@Reports.EXAMPLE.com",
            Status.SAME_ORGANIZATION,
            List.of("mailto:d@Reports.EXAMPLE.com"),
            null),
        row(
            "external: a subdomain that is its own organization (psd=n) without a record",
            "example.com",
            "mailto:d@own.example.com",
            Status.NOT_AUTHORIZED,
            List.of(),
            q + "own.example.com"),
        row(
            "external with record",
            "example.com",
            "mailto:d@rep.example.net",
            Status.AUTHORIZED,
            List.of("mailto:d@rep.example.net"),
            q + "rep.example.net"),
        row(
            "external with record, https URI kept",
            "example.com",
            "https://rep.example.net/dmarc",
            Status.AUTHORIZED,
            List.of("https://rep.example.net/dmarc"),
            q + "rep.example.net"),
        row(
            "external without record (no such name)",
            "example.com",
            "mailto:d@norecord.example.org",
            Status.NOT_AUTHORIZED,
            List.of(),
            q + "norecord.example.org"),
        row(
            "external: another policy domain is not authorized by example.com's record",
            "example.org",
            "mailto:d@rep.example.net",
            Status.NOT_AUTHORIZED,
            List.of(),
            "example.org._report._dmarc.rep.example.net"),
        row(
            "wildcard record",
            "example.com",
            "mailto:d@wild.example.org",
            Status.AUTHORIZED,
            List.of("mailto:d@wild.example.org"),
            q + "wild.example.org"),
        row(
            "record not v=DMARC1 (SPF)",
            "example.com",
            "mailto:d@spf.example.org",
            Status.NOT_AUTHORIZED,
            List.of(),
            q + "spf.example.org"),
        row(
            "record not v=DMARC1 (v=DMARC2)",
            "example.com",
            "mailto:d@dmarc2.example.org",
            Status.NOT_AUTHORIZED,
            List.of(),
            q + "dmarc2.example.org"),
        row(
            "record not v=DMARC1 (lower case)",
            "example.com",
            "mailto:d@lower.example.org",
            Status.NOT_AUTHORIZED,
            List.of(),
            q + "lower.example.org"),
        row(
            "several records, one v=DMARC1",
            "example.com",
            "mailto:d@mixed.example.org",
            Status.AUTHORIZED,
            List.of("mailto:d@mixed.example.org"),
            q + "mixed.example.org"),
        row(
            "several records whose replacements disagree: the URI as it is",
            "example.com",
            "mailto:d@two.example.org",
            Status.AUTHORIZED,
            List.of("mailto:d@two.example.org"),
            q + "two.example.org"),
        row(
            "several records with the same replacement",
            "example.com",
            "mailto:d@same.example.org",
            Status.AUTHORIZED,
            List.of("mailto:a@same.example.org"),
            q + "same.example.org"),
        row(
            "replacement on the same host, the one on another host ignored",
            "example.com",
            "mailto:d@repl.example.org",
            Status.AUTHORIZED,
            List.of("mailto:new@repl.example.org"),
            q + "repl.example.org"),
        row(
            "replacement only on another host: ignored, the URI as it is",
            "example.com",
            "mailto:d@away.example.org",
            Status.AUTHORIZED,
            List.of("mailto:d@away.example.org"),
            q + "away.example.org"),
        row(
            "too-long name",
            "example.com",
            "mailto:d@" + LONG_HOST,
            Status.NAME_TOO_LONG,
            List.of(),
            null),
        row(
            "IDN destination in A-labels",
            "example.com",
            "mailto:d@r%C3%A9ports.example",
            Status.AUTHORIZED,
            List.of("mailto:d@r%C3%A9ports.example"),
            q + "xn--rports-bva.example"),
        row(
            "IDN policy domain in A-labels",
            "bücher.example",
            "mailto:d@rep.example.net",
            Status.AUTHORIZED,
            List.of("mailto:d@rep.example.net"),
            "xn--bcher-kva.example._report._dmarc.rep.example.net"),
        row(
            "an IP address as host",
            "example.com",
            "https://192.0.2.1/dmarc",
            Status.NO_HOST,
            List.of(),
            null),
        row(
            "DNS SERVFAIL: temporary",
            "example.com",
            "mailto:d@servfail.example.org",
            Status.TEMPORARY_FAILURE,
            List.of(),
            q + "servfail.example.org"),
        row(
            "DNS timeout: temporary",
            "example.com",
            "mailto:d@timeout.example.org",
            Status.TEMPORARY_FAILURE,
            List.of(),
            q + "timeout.example.org"),
        row(
            "DNS failure in the tree walk: temporary",
            "example.com",
            "mailto:d@walkfail.example.org",
            Status.TEMPORARY_FAILURE,
            List.of(),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("destinations")
  void checksTheDestination(
      String policyDomain,
      String uri,
      Status status,
      List<String> effective,
      Optional<String> queried) {
    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS)
            .build()
            .verify(DomainName.parse(policyDomain), List.of(ReportUri.parse(uri)));

    assertThat(result.destinations()).hasSize(1);
    Destination d = result.destinations().get(0);
    assertThat(d.status()).as(d.toString()).isEqualTo(status);
    assertThat(d.effectiveUris()).extracting(ReportUri::text).isEqualTo(effective);
    assertThat(d.queriedName().map(DomainName::toString)).isEqualTo(queried);
    assertThat(result.usableUris()).extracting(ReportUri::text).isEqualTo(effective);
    assertThat(result.hasTemporaryFailure()).isEqualTo(status == Status.TEMPORARY_FAILURE);
    assertThat(d.detail()).isNotEmpty();
  }

  @Test
  void underRfc7489TheListMakesASubdomainOfTheSameOrganization() {
    // Under the tree walk own.example.com is an organization (psd=n) and needs a record; the
    // public suffix list knows nothing of that.
    ReportDestinationVerifier rfc7489 =
        ReportDestinationVerifier.builder(DNS).profile(DmarcProfile.RFC7489).build();
    ReportDestinations result =
        rfc7489.verify(
            EXAMPLE_COM,
            List.of(
                ReportUri.parse("mailto:d@own.example.com"),
                ReportUri.parse("mailto:d@rep.example.net"),
                ReportUri.parse("mailto:d@norecord.example.org")));
    assertThat(result.destinations())
        .extracting(Destination::status)
        .containsExactly(Status.SAME_ORGANIZATION, Status.AUTHORIZED, Status.NOT_AUTHORIZED);
  }

  @Test
  void replacesFailureUrisFromRuf() {
    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS)
            .build()
            .verify(
                EXAMPLE_COM,
                List.of(ReportUri.parse("mailto:d@repl.example.org")),
                ReportType.FAILURE);
    assertThat(result.usableUris())
        .extracting(ReportUri::text)
        .containsExactly("mailto:fail@repl.example.org");
  }

  @Test
  void mailboxesAreTheMailtoAddressesInALabels() {
    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS)
            .build()
            .verify(
                EXAMPLE_COM,
                List.of(
                    ReportUri.parse("https://rep.example.net/dmarc"),
                    ReportUri.parse("mailto:d@r%C3%A9ports.example"),
                    ReportUri.parse("mailto:d@rep.example.net"),
                    ReportUri.parse("mailto:d@norecord.example.org")));
    assertThat(result.usableUris()).hasSize(3);
    assertThat(result.mailboxes()).containsExactly("d@xn--rports-bva.example", "d@rep.example.net");
  }

  @Test
  void checksAtMostTheLimitOfDistinctUris() {
    List<ReportUri> uris = new ArrayList<>();
    uris.add(ReportUri.parse("mailto:a0@rep.example.net"));
    uris.add(ReportUri.parse("mailto:a0@rep.example.net")); // a repeat is one URI
    IntStream.range(1, 7).forEach(i -> uris.add(ReportUri.parse("mailto:a" + i + "@example.com")));

    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS).build().verify(EXAMPLE_COM, uris);

    assertThat(result.destinations())
        .extracting(Destination::status)
        .containsExactly(
            Status.AUTHORIZED,
            Status.SAME_ORGANIZATION,
            Status.SAME_ORGANIZATION,
            Status.SAME_ORGANIZATION,
            Status.SAME_ORGANIZATION,
            Status.OVER_LIMIT,
            Status.OVER_LIMIT);
    assertThat(result.usableUris()).hasSize(ReportDestinationVerifier.DEFAULT_MAX_URIS);
    assertThat(result.mailboxes()).doesNotContain("a5@example.com", "a6@example.com");
  }

  @Test
  void replacementsCountAgainstTheLimit() {
    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS)
            .maxUris(2)
            .build()
            .verify(
                EXAMPLE_COM,
                List.of(
                    ReportUri.parse("mailto:d@same.example.org"),
                    ReportUri.parse("mailto:d@rep.example.net")));
    assertThat(result.usableUris())
        .extracting(ReportUri::text)
        .containsExactly("mailto:a@same.example.org", "mailto:d@rep.example.net");
  }

  @Test
  void asksEachNameOnceAndNothingForTheSameOrganization() {
    CountingResolver counting = new CountingResolver(DNS);
    ReportDestinationVerifier.builder(counting)
        .build()
        .verify(
            EXAMPLE_COM,
            List.of(
                ReportUri.parse("mailto:a@rep.example.net"),
                ReportUri.parse("mailto:b@rep.example.net"),
                ReportUri.parse("mailto:c@example.com")));
    assertThat(counting.names)
        .containsExactlyInAnyOrder(
            // the walks of example.com and rep.example.net (RFC 9989 §4.10.2), then the check
            "_dmarc.example.com",
            "_dmarc.com",
            "_dmarc.rep.example.net",
            "_dmarc.example.net",
            "_dmarc.net",
            "example.com._report._dmarc.rep.example.net");
  }

  @Test
  void aResolverThatNeverAnswersIsATemporaryFailureAtTheTimeout() {
    DnsResolver silent =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return new CompletableFuture<>();
          }
        };
    ReportDestinations result =
        ReportDestinationVerifier.builder(silent)
            .timeout(Duration.ofMillis(50))
            .build()
            .verify(EXAMPLE_COM, List.of(ReportUri.parse("mailto:d@rep.example.net")));
    assertThat(result.destinations().get(0).status()).isEqualTo(Status.TEMPORARY_FAILURE);
    assertThat(result.hasTemporaryFailure()).isTrue();
    assertThat(result.usableUris()).isEmpty();
  }

  @Test
  void aResolverThatThrowsIsATemporaryFailure() {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            throw new IllegalStateException("broken");
          }
        };
    ReportDestinations result =
        ReportDestinationVerifier.builder(broken)
            .build()
            .verify(EXAMPLE_COM, List.of(ReportUri.parse("mailto:d@rep.example.net")));
    assertThat(result.destinations().get(0).status()).isEqualTo(Status.TEMPORARY_FAILURE);
  }

  @Test
  void noUrisGiveNoDestinations() {
    ReportDestinations result =
        ReportDestinationVerifier.builder(DNS).build().verify(EXAMPLE_COM, List.of());
    assertThat(result.destinations()).isEmpty();
    assertThat(result.mailboxes()).isEmpty();
    assertThat(result.policyDomain()).isEqualTo(EXAMPLE_COM);
  }

  @Test
  void refusesSettingsOutOfRange() {
    ReportDestinationVerifier.Builder b = ReportDestinationVerifier.builder(DNS);
    assertThatThrownBy(() -> b.maxUris(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxWalkQueries(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReportDestinationVerifier.builder(null))
        .isInstanceOf(NullPointerException.class);
  }

  /** Records the names asked, then asks the resolver behind. */
  private static final class CountingResolver implements DnsResolver {
    private final DnsResolver next;
    final List<String> names = new CopyOnWriteArrayList<>();

    CountingResolver(DnsResolver next) {
      this.next = next;
    }

    @Override
    public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
      names.add(query.name().toString());
      return next.lookupAsync(query);
    }
  }
}
