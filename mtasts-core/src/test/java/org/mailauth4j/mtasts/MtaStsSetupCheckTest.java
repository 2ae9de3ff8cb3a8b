package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.dns.ZoneFileResolver;

/** The domain owner's check, over a zone and the real HTTPS policy server. */
class MtaStsSetupCheckTest {
  private static PolicyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new PolicyServer();
    server.on(
        "mta-sts.counting.example",
        PolicyServer.ok(
            "text/plain",
            "version: STSv1\r\nmode: testing\r\nmx: mx.counting.example\r\nmx: old.counting.example\r\n"
                + "max_age: 3600\r\n"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SetupReport check(String domain, String zone) {
    DnsResolver dns = ZoneFileResolver.builder().zone(zone).build();
    MtaStsPolicyFetcher fetcher =
        MtaStsPolicyFetcher.builder()
            .sslContext(server.pki.trustingOnlyThis())
            .port(server.port())
            .build();
    return MtaStsSetupCheck.builder(dns).fetcher(fetcher).build().check(DomainName.parse(domain));
  }

  @Test
  void aHealthyDomainHasOnlyGoodFindings() {
    SetupReport report =
        check(
            "example.com",
            String.join(
                "\n",
                "_mta-sts.example.com. 300 IN TXT \"v=STSv1; id=20260101;\"",
                "example.com. 300 IN MX 10 mail.example.com.",
                "example.com. 300 IN MX 20 mx1.example.net.",
                "_smtp._tls.example.com. 300 IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"",
                ""));
    assertThat(report.worst()).as("%s", report.findings()).isEqualTo(Severity.OK);
    assertThat(report.record().orElseThrow().id()).isEqualTo("20260101");
    assertThat(report.policy().orElseThrow().mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(report.findings())
        .extracting(SetupFinding::topic)
        .contains("record", "policy", "mx", "mode", "max_age", "tls-rpt");
  }

  @Test
  void anMxOutsideThePolicyIsAnErrorWithItsFix() {
    SetupReport report =
        check(
            "example.com",
            String.join(
                "\n",
                "_mta-sts.example.com. 300 IN TXT \"v=STSv1; id=1;\"",
                "example.com. 300 IN MX 10 mail.example.com.",
                "example.com. 300 IN MX 20 backup.example.org.",
                ""));
    assertThat(report.worst()).isEqualTo(Severity.ERROR);
    SetupFinding mx = report.findings(Severity.ERROR).get(0);
    assertThat(mx.topic()).isEqualTo("mx");
    assertThat(mx.message()).contains("backup.example.org");
    assertThat(mx.fix()).contains("mx: backup.example.org");
    assertThat(report.findings(Severity.WARNING))
        .extracting(SetupFinding::topic)
        .containsExactly("tls-rpt");
    assertThat(report.findings(Severity.INFO))
        .extracting(SetupFinding::message)
        .anyMatch(m -> m.contains("*.example.net matches none"));
  }

  @Test
  void aMissingRecordAndAnUnreachablePolicyAreErrors() {
    SetupReport report =
        check("not-found.example", "not-found.example. 300 IN MX 10 mx.not-found.example.\n");
    assertThat(report.record()).isEmpty();
    assertThat(report.policy()).isEmpty();
    assertThat(report.findings(Severity.ERROR))
        .extracting(SetupFinding::topic)
        .containsExactly("record", "policy");
    assertThat(report.findings(Severity.ERROR).get(1).fix()).contains("status 200");
    assertThat(report.findings()).noneMatch(SetupFinding::temporary); // a 404 is the set-up's
  }

  @Test
  void aFailingNameServerIsATemporaryErrorAndATemporaryWarning() {
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> CompletableFuture<DnsAnswer<T>> lookupAsync(DnsQuery<T> query) {
            return CompletableFuture.completedFuture(
                DnsAnswer.tempFail(
                    query, DnsFailure.of(DnsFailure.Kind.SERVER_FAILURE, "SERVFAIL")));
          }
        };
    MtaStsPolicyFetcher fetcher =
        MtaStsPolicyFetcher.builder()
            .sslContext(server.pki.trustingOnlyThis())
            .port(server.port())
            .build();
    SetupReport report =
        MtaStsSetupCheck.builder(failing)
            .fetcher(fetcher)
            .build()
            .check(DomainName.parse("counting.example"));
    assertThat(report.findings(Severity.ERROR))
        .singleElement()
        .satisfies(f -> assertThat(f.topic()).isEqualTo("record"))
        .satisfies(f -> assertThat(f.temporary()).isTrue());
    assertThat(report.findings())
        .filteredOn(f -> f.topic().equals("mx"))
        .singleElement()
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING))
        .satisfies(f -> assertThat(f.temporary()).isTrue());
    assertThat(report.findings())
        .filteredOn(f -> !f.topic().equals("record") && !f.topic().equals("mx"))
        .noneMatch(SetupFinding::temporary);
  }

  @Test
  void aServerErrorATimeoutAndARefusedConnectionAreTemporary() throws Exception {
    String zone =
        String.join(
            "\n",
            "_mta-sts.server-error.example. 300 IN TXT \"v=STSv1; id=1;\"",
            "_mta-sts.stall.example. 300 IN TXT \"v=STSv1; id=1;\"",
            "_mta-sts.example.com. 300 IN TXT \"v=STSv1; id=1;\"",
            "");
    DnsResolver dns = ZoneFileResolver.builder().zone(zone).build();
    MtaStsSetupCheck quick =
        MtaStsSetupCheck.builder(dns)
            .fetcher(
                MtaStsPolicyFetcher.builder()
                    .sslContext(server.pki.trustingOnlyThis())
                    .port(server.port())
                    .timeout(Duration.ofMillis(700))
                    .build())
            .build();
    for (String domain : java.util.List.of("server-error.example", "stall.example")) {
      SetupReport report = quick.check(DomainName.parse(domain));
      assertThat(report.findings(Severity.ERROR))
          .as(domain)
          .singleElement()
          .satisfies(f -> assertThat(f.topic()).isEqualTo("policy"))
          .satisfies(f -> assertThat(f.temporary()).isTrue());
    }
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    SetupReport refused =
        MtaStsSetupCheck.builder(dns)
            .fetcher(
                MtaStsPolicyFetcher.builder()
                    .sslContext(server.pki.trustingOnlyThis())
                    .port(closed)
                    .build())
            .build()
            .check(DomainName.parse("example.com"));
    assertThat(refused.findings(Severity.ERROR))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("CONNECTION"))
        .satisfies(f -> assertThat(f.temporary()).isTrue());
    assertThat(
            MtaStsSetupCheck.isTemporary(
                new FetchFailure(FetchFailure.Kind.HTTP_STATUS, "HTTP 503; only 200 is valid")))
        .isTrue();
    assertThat(
            MtaStsSetupCheck.isTemporary(
                new FetchFailure(FetchFailure.Kind.HTTP_STATUS, "HTTP 404; only 200 is valid")))
        .isFalse();
    assertThat(
            MtaStsSetupCheck.isTemporary(
                new FetchFailure(FetchFailure.Kind.CERTIFICATE, "expired")))
        .isFalse();
  }

  @Test
  void policyProblemsAreListedByLine() {
    SetupReport report =
        check("invalid.example", "_mta-sts.invalid.example. 300 IN TXT \"v=STSv1; id=1;\"\n");
    assertThat(report.findings(Severity.ERROR))
        .extracting(SetupFinding::message)
        .anyMatch(m -> m.startsWith("line 2: error: mode \"strict\""));
  }

  @Test
  void testingModeAShortMaxAgeAndStalePatternsAreReported() {
    SetupReport report =
        check(
            "counting.example",
            String.join(
                "\n",
                "_mta-sts.counting.example. 300 IN TXT \"v=STSv1; id=1;\"",
                "counting.example. 300 IN MX 10 mx.counting.example.",
                "_smtp._tls.counting.example. 300 IN TXT \"v=TLSRPTv1; rua=mailto:t@counting.example\"",
                ""));
    assertThat(report.worst()).isEqualTo(Severity.WARNING);
    assertThat(report.findings(Severity.WARNING))
        .extracting(SetupFinding::topic)
        .containsExactly("max_age");
    assertThat(report.findings(Severity.INFO))
        .extracting(SetupFinding::topic)
        .containsExactly("mx", "mode");
  }

  @Test
  void aDomainTooLongForItsRecordNamesGetsAReport() {
    String domain = ("a".repeat(60) + ".").repeat(4) + "example";
    SetupReport report = check(domain, "");
    assertThat(report.worst()).isEqualTo(Severity.ERROR);
    assertThat(report.findings(Severity.ERROR))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("longer than a domain name may be"));
  }

  @Test
  void aPolicyFileGivenInsteadOfTheServedOneIsCheckedTheSameWay() {
    DnsResolver dns =
        ZoneFileResolver.fromZoneText(
            String.join(
                "\n",
                "_mta-sts.file.example. 300 IN TXT \"v=STSv1; id=7;\"",
                "file.example. 300 IN MX 10 mx.file.example.",
                "file.example. 300 IN MX 20 other.example.org.",
                ""));
    MtaStsSetupCheck check = MtaStsSetupCheck.builder(dns).build();
    DomainName domain = DomainName.parse("file.example");

    SetupReport report =
        check.check(
            domain,
            "version: STSv1\r\nmode: enforce\r\nmx: *.file.example\r\nmax_age: 1209600\r\n");
    assertThat(report.policy().orElseThrow().mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(report.findings(Severity.ERROR))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("other.example.org"));
    assertThat(report.findings())
        .filteredOn(f -> f.topic().equals("policy"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("https://mta-sts.file.example/"));

    SetupReport broken = check.check(domain, "version: STSv1\nmode: sometimes\n");
    assertThat(broken.policy()).isEmpty();
    assertThat(broken.findings(Severity.ERROR))
        .extracting(SetupFinding::topic)
        .contains("policy")
        .doesNotContain("mx");
    assertThat(broken.findings(Severity.ERROR).get(0).message()).contains("line 2");
  }
}
