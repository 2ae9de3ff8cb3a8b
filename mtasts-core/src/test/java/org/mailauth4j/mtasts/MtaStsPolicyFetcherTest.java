package org.mailauth4j.mtasts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.testkit.Cases;

/**
 * The fetcher against a real HTTPS server on loopback, reached by name and trusting only a test CA:
 * each way a policy host can fail, and what it is classified as.
 */
class MtaStsPolicyFetcherTest {
  private static PolicyServer server;
  private static MtaStsPolicyFetcher fetcher;

  @BeforeAll
  static void start() throws Exception {
    server = new PolicyServer();
    fetcher = fetcher(PolicyLeniency.STRICT).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static MtaStsPolicyFetcher.Builder fetcher(PolicyLeniency leniency) {
    return MtaStsPolicyFetcher.builder()
        .sslContext(server.pki.trustingOnlyThis())
        .leniency(leniency)
        .port(server.port());
  }

  private static PolicyFetchResult fetch(String domain) {
    return fetcher.fetch(DomainName.parse(domain));
  }

  private static void assertFailure(PolicyFetchResult r, FetchFailure.Kind kind, String detail) {
    assertThat(r.isSuccess()).as("%s", r).isFalse();
    assertThat(r.failure().orElseThrow().kind()).as("%s", r.failure()).isEqualTo(kind);
    assertThat(r.failure().orElseThrow().detail()).containsIgnoringCase(detail);
  }

  @Test
  void fetchesAValidPolicyByName() {
    PolicyFetchResult r = fetch("example.com");
    assertThat(r.uri().toString())
        .isEqualTo("https://mta-sts.example.com:" + server.port() + "/.well-known/mta-sts.txt");
    MtaStsPolicy policy = r.policy().orElseThrow();
    assertThat(policy.mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(policy.mx())
        .extracting(MxPattern::toString)
        .containsExactly("mail.example.com", "*.example.net");
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void thePortIsABuilderOptionDefaulting443() {
    DomainName domain = DomainName.parse("example.com");
    assertThat(MtaStsPolicyFetcher.builder().build().policyUri(domain).toString())
        .isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
    assertThat(MtaStsPolicyFetcher.builder().port(443).build().policyUri(domain).toString())
        .isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
    assertThat(MtaStsPolicyFetcher.builder().port(8443).build().policyUri(domain).toString())
        .isEqualTo("https://mta-sts.example.com:8443/.well-known/mta-sts.txt");
    assertThat(MtaStsPolicyFetcher.builder().port(1).build().policyUri(domain).getPort())
        .isEqualTo(1);
    assertThat(MtaStsPolicyFetcher.builder().port(65535).build().policyUri(domain).getPort())
        .isEqualTo(65535);
    for (int bad : new int[] {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> MtaStsPolicyFetcher.builder().port(bad))
          .as("port %d", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 to 65535");
    }
  }

  @Test
  void certificatesMustBeValidForThePolicyHost() {
    assertFailure(fetch("expired.example"), FetchFailure.Kind.CERTIFICATE, "expired");
    assertFailure(fetch("wrong-name.example"), FetchFailure.Kind.CERTIFICATE, "does not name");
    assertFailure(fetch("self-signed.example"), FetchFailure.Kind.CERTIFICATE, "trusted root");
    assertThat(fetch("expired.example").failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_WEBPKI_INVALID);
  }

  @Test
  void theJdkTrustStoreDoesNotTrustTheTestCa() {
    PolicyFetchResult r =
        MtaStsPolicyFetcher.builder()
            .port(server.port())
            .build()
            .fetch(DomainName.parse("example.com"));
    assertFailure(r, FetchFailure.Kind.CERTIFICATE, "trusted root");
  }

  @Test
  void redirectsAreNotFollowed() {
    PolicyFetchResult r = fetch("redirect.example");
    assertFailure(r, FetchFailure.Kind.REDIRECT, "HTTP 301");
    assertThat(r.failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
  }

  @Test
  void onlyStatus200IsAPolicy() {
    assertFailure(fetch("not-found.example"), FetchFailure.Kind.HTTP_STATUS, "HTTP 404");
    assertFailure(fetch("server-error.example"), FetchFailure.Kind.HTTP_STATUS, "HTTP 500");
  }

  @Test
  void theMediaTypeMustBeTextPlainUnlessLenient() {
    PolicyFetchResult strict = fetch("html.example");
    assertFailure(strict, FetchFailure.Kind.MEDIA_TYPE, "text/html");
    assertThat(strict.failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_POLICY_INVALID);
    PolicyFetchResult lenient =
        fetcher(PolicyLeniency.LENIENT).build().fetch(DomainName.parse("html.example"));
    assertThat(lenient.isSuccess()).isTrue();
    assertThat(lenient.findings())
        .singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.WARNING))
        .satisfies(p -> assertThat(p.problem()).isEqualTo(PolicyProblem.MEDIA_TYPE))
        .satisfies(p -> assertThat(p.message()).contains("text/html"));
  }

  static Stream<Arguments> contentTypes() {
    return Cases.arguments(MtaStsPolicyFetcherTest.class, "/mtasts/content-type.cases");
  }

  /** RFC 8461 §3.2: text/plain is checked, and every parameter, charset included, is ignored. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("contentTypes")
  void theMediaTypeIsTextPlainAndItsParametersAreIgnored(Cases.Row row) {
    String sent = row.get(0).equals("-") ? null : row.get(0).equals("(empty)") ? "" : row.get(0);
    server.on("mta-sts.content-type.example", PolicyServer.withContentType(sent));
    DomainName domain = DomainName.parse("content-type.example");
    assertMediaTypeVerdict(fetcher.fetch(domain), row.get(1));
    assertMediaTypeVerdict(fetcher(PolicyLeniency.LENIENT).build().fetch(domain), row.get(2));
  }

  private static void assertMediaTypeVerdict(PolicyFetchResult r, String verdict) {
    if (verdict.startsWith("refuse ")) {
      assertFailure(r, FetchFailure.Kind.MEDIA_TYPE, verdict.substring(7));
      assertThat(r.failure().orElseThrow().resultType())
          .isEqualTo(TlsRptResultType.STS_POLICY_INVALID);
      assertThat(r.findings())
          .singleElement()
          .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.ERROR))
          .satisfies(p -> assertThat(p.problem()).isEqualTo(PolicyProblem.MEDIA_TYPE));
      return;
    }
    assertThat(r.isSuccess()).as("%s", r).isTrue();
    if (verdict.equals("ok")) {
      assertThat(r.findings()).isEmpty();
      return;
    }
    String fragment = verdict.substring(verdict.indexOf(' ') + 1).replaceFirst("^! ", "");
    assertThat(r.findings())
        .as("%s", r.findings())
        .singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.WARNING))
        .satisfies(p -> assertThat(p.message()).containsIgnoringCase(fragment));
  }

  @Test
  void severalDifferentContentTypesAreNoMediaType() {
    assertFailure(
        fetch("two-content-types.example"), FetchFailure.Kind.MEDIA_TYPE, "Content-Type fields");
  }

  // --- content coding (RFC 9110 §8.4) ---

  @Test
  void theFetchAsksForTheIdentityCoding() {
    assertThat(fetch("example.com").isSuccess()).isTrue();
    assertThat(server.lastRequestHeader("mta-sts.example.com", "Accept-Encoding"))
        .hasValue("identity");
  }

  @Test
  void aGzipCodedPolicyFromAServerThatIgnoresAcceptEncodingIsDecoded() {
    for (String coding : new String[] {"gzip", "GZIP", "x-gzip", "identity, gzip"}) {
      server.on(
          "mta-sts.coding.example",
          PolicyServer.coded(coding, PolicyServer.gzip(PolicyServer.VALID_POLICY)));
      PolicyFetchResult r = fetch("coding.example");
      assertThat(r.isSuccess()).as("%s: %s", coding, r).isTrue();
      assertThat(r.findings()).isEmpty();
      assertThat(r.policy().orElseThrow().mx())
          .extracting(MxPattern::toString)
          .containsExactly("mail.example.com", "*.example.net");
    }
  }

  @Test
  void aGzipBombStopsAtTheSizeLimitOnceDecoded() {
    // A policy line and 32 MiB of one letter: about 32 KiB sent, under the limit as sent.
    byte[] run = "a".repeat(1024).getBytes(UTF_8);
    byte[] bomb = PolicyServer.gzip(run, 32 * 1024);
    assertThat(bomb.length).isLessThan(64 * 1024);
    server.on("mta-sts.coding.example", PolicyServer.coded("gzip", bomb));
    PolicyFetchResult r = fetch("coding.example");
    assertFailure(r, FetchFailure.Kind.TOO_LARGE, "decodes to more than 65536 bytes");
    assertThat(r.failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
    // The decoded bytes count, not those sent: about 140 bytes carry a policy of 1100.
    String padded = PolicyServer.VALID_POLICY + "x-padding: " + "a".repeat(1000) + "\r\n";
    byte[] sent = PolicyServer.gzip(padded);
    assertThat(sent.length).isLessThan(500);
    server.on("mta-sts.coding.example", PolicyServer.coded("gzip", sent));
    assertThat(fetch("coding.example").isSuccess()).isTrue();
    PolicyFetchResult small =
        fetcher(PolicyLeniency.STRICT)
            .maxPolicyBytes(500)
            .build()
            .fetch(DomainName.parse("coding.example"));
    assertFailure(small, FetchFailure.Kind.TOO_LARGE, "decodes to more than 500 bytes");
  }

  @Test
  void otherContentCodingsAreClassifiedNotReadAsText() {
    byte[] policy = PolicyServer.VALID_POLICY.getBytes(UTF_8);
    for (String coding : new String[] {"br", "deflate", "zstd", "compress", "gzip, br"}) {
      server.on("mta-sts.coding.example", PolicyServer.coded(coding, policy));
      PolicyFetchResult r = fetch("coding.example");
      assertFailure(r, FetchFailure.Kind.CONTENT_ENCODING, coding);
      assertThat(r.failure().orElseThrow().detail()).contains("Accept-Encoding: identity");
      assertThat(r.failure().orElseThrow().resultType())
          .isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
    }
    server.on("mta-sts.coding.example", PolicyServer.coded("gzip", policy));
    assertFailure(fetch("coding.example"), FetchFailure.Kind.CONTENT_ENCODING, "corrupt");
    server.on("mta-sts.coding.example", PolicyServer.coded("identity", policy));
    assertThat(fetch("coding.example").isSuccess()).isTrue();
  }

  // --- public addresses only (SSRF guard) ---

  @Test
  void withPublicAddressesOnlyTheLoopbackPolicyHostIsRefused() {
    PolicyFetchResult r =
        fetcher(PolicyLeniency.STRICT)
            .publicAddressesOnly(true)
            .build()
            .fetch(DomainName.parse("guarded.example"));
    assertFailure(r, FetchFailure.Kind.NON_PUBLIC_ADDRESS, "resolves to 127.0.0.1, a loopback");
    assertThat(r.failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
    assertThat(server.requests("mta-sts.guarded.example")).as("nothing was sent").isZero();
    assertThat(fetch("guarded.example").isSuccess()).as("the same host, unguarded").isTrue();
  }

  @Test
  void byDefaultAndWhenOffTheLoopbackPolicyHostIsFetched() {
    assertThat(fetch("example.com").isSuccess()).isTrue();
    PolicyFetchResult r =
        fetcher(PolicyLeniency.STRICT)
            .publicAddressesOnly(false)
            .build()
            .fetch(DomainName.parse("example.com"));
    assertThat(r.isSuccess()).as("%s", r).isTrue();
  }

  @Test
  void withPublicAddressesOnlyAnUnknownNameIsStillADnsFailure() {
    PolicyFetchResult r =
        fetcher(PolicyLeniency.STRICT)
            .publicAddressesOnly(true)
            .build()
            .fetch(DomainName.parse("unknown.example"));
    assertFailure(r, FetchFailure.Kind.DNS, "mta-sts.unknown.example does not resolve");
  }

  // --- what operators see ---

  @Test
  void fetchFailuresAndRefusedInputAreLoggedAtDebugWithoutTheBody() {
    RecordingLogger log = new RecordingLogger();
    MtaStsPolicyFetcher logged = fetcher(PolicyLeniency.STRICT).logger(log).build();
    logged.fetch(DomainName.parse("invalid.example")); // "mode: strict"
    logged.fetch(DomainName.parse("huge.example"));
    logged.fetch(DomainName.parse("html.example"));
    logged.fetch(DomainName.parse("not-found.example"));
    logged.fetch(DomainName.parse("example.com"));
    assertThat(log.at(System.Logger.Level.WARNING)).isEmpty();
    assertThat(log.at(System.Logger.Level.DEBUG))
        .satisfiesExactly(
            m ->
                assertThat(m)
                    .contains("invalid.example", "INVALID_POLICY", "sts-policy-invalid", "line 2"),
            m -> assertThat(m).contains("huge.example", "TOO_LARGE", "65536 bytes"),
            m -> assertThat(m).contains("html.example", "MEDIA_TYPE", "text/html"),
            m -> assertThat(m).contains("not-found.example", "HTTP_STATUS", "404"),
            m -> assertThat(m).contains("example.com", "fetched"));
    // Never the policy body: neither the invalid value nor any policy line.
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::message)
        .noneMatch(m -> m.contains("strict") || m.contains("STSv1") || m.contains("x-padding"));
  }

  @Test
  void lfLineEndingsAreReadWithAWarning() {
    PolicyFetchResult r = fetch("lf.example");
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.findings()).extracting(PolicyFinding::message).anyMatch(m -> m.contains("LF"));
  }

  @Test
  void oversizedBodiesAreRefused() {
    assertFailure(fetch("huge.example"), FetchFailure.Kind.TOO_LARGE, "65536 bytes");
    assertFailure(fetch("huge-chunked.example"), FetchFailure.Kind.TOO_LARGE, "65536 bytes");
    PolicyFetchResult small =
        fetcher(PolicyLeniency.STRICT)
            .maxPolicyBytes(50)
            .build()
            .fetch(DomainName.parse("example.com"));
    assertFailure(small, FetchFailure.Kind.TOO_LARGE, "50 bytes");
  }

  @Test
  void aServerThatStallsMidBodyTimesOut() throws Exception {
    MtaStsPolicyFetcher quick =
        fetcher(PolicyLeniency.STRICT).timeout(Duration.ofMillis(700)).build();
    PolicyFetchResult r =
        quick.fetchAsync(DomainName.parse("stall.example")).get(30, TimeUnit.SECONDS);
    assertFailure(r, FetchFailure.Kind.TIMEOUT, "");
  }

  @Test
  void invalidPoliciesAreReportedWithTheirProblems() {
    PolicyFetchResult r = fetch("invalid.example");
    assertFailure(r, FetchFailure.Kind.INVALID_POLICY, "strict");
    assertThat(r.findings()).extracting(PolicyFinding::line).contains(2);
    assertFailure(fetch("bad-utf8.example"), FetchFailure.Kind.INVALID_POLICY, "UTF-8");
  }

  @Test
  void namesThatDoNotResolveAreDnsFailures() {
    PolicyFetchResult r = fetch("unknown.example");
    assertFailure(r, FetchFailure.Kind.DNS, "mta-sts.unknown.example");
    assertThat(r.failure().orElseThrow().resultType())
        .isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
  }

  @Test
  void refusedConnectionsAreConnectionFailures() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PolicyFetchResult r =
        fetcher(PolicyLeniency.STRICT)
            .port(closedPort)
            .build()
            .fetch(DomainName.parse("example.com"));
    assertThat(r.failure().orElseThrow().kind()).isEqualTo(FetchFailure.Kind.CONNECTION);
  }

  @Test
  void aDomainTooLongForItsPolicyHostIsAResultNotAnException() {
    // 245 characters: valid itself, but mta-sts.<domain> would pass the 253 limit.
    DomainName longest = DomainName.parse(("a".repeat(60) + ".").repeat(4) + "example");
    PolicyFetchResult r = fetcher.fetch(longest);
    assertThat(r.failure().orElseThrow().kind()).isEqualTo(FetchFailure.Kind.DNS);
    assertThat(r.failure().orElseThrow().detail()).contains("too long");
  }
}
