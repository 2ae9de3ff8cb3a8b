package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
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
    assertThat(report.worst()).as("%s", report.findings()).isEqualTo(SetupFinding.Severity.OK);
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
    assertThat(report.worst()).isEqualTo(SetupFinding.Severity.ERROR);
    SetupFinding mx = report.findings(SetupFinding.Severity.ERROR).get(0);
    assertThat(mx.topic()).isEqualTo("mx");
    assertThat(mx.message()).contains("backup.example.org");
    assertThat(mx.fix()).contains("mx: backup.example.org");
    assertThat(report.findings(SetupFinding.Severity.WARNING))
        .extracting(SetupFinding::topic)
        .containsExactly("tls-rpt");
    assertThat(report.findings(SetupFinding.Severity.INFO))
        .extracting(SetupFinding::message)
        .anyMatch(m -> m.contains("*.example.net matches none"));
  }

  @Test
  void aMissingRecordAndAnUnreachablePolicyAreErrors() {
    SetupReport report =
        check("not-found.example", "not-found.example. 300 IN MX 10 mx.not-found.example.\n");
    assertThat(report.record()).isEmpty();
    assertThat(report.policy()).isEmpty();
    assertThat(report.findings(SetupFinding.Severity.ERROR))
        .extracting(SetupFinding::topic)
        .containsExactly("record", "policy");
    assertThat(report.findings(SetupFinding.Severity.ERROR).get(1).fix()).contains("status 200");
  }

  @Test
  void policyProblemsAreListedByLine() {
    SetupReport report =
        check("invalid.example", "_mta-sts.invalid.example. 300 IN TXT \"v=STSv1; id=1;\"\n");
    assertThat(report.findings(SetupFinding.Severity.ERROR))
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
    assertThat(report.worst()).isEqualTo(SetupFinding.Severity.WARNING);
    assertThat(report.findings(SetupFinding.Severity.WARNING))
        .extracting(SetupFinding::topic)
        .containsExactly("max_age");
    assertThat(report.findings(SetupFinding.Severity.INFO))
        .extracting(SetupFinding::topic)
        .containsExactly("mx", "mode");
  }

  @Test
  void aDomainTooLongForItsRecordNamesGetsAReport() {
    String domain = ("a".repeat(60) + ".").repeat(4) + "example";
    SetupReport report = check(domain, "");
    assertThat(report.worst()).isEqualTo(SetupFinding.Severity.ERROR);
    assertThat(report.findings(SetupFinding.Severity.ERROR))
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
    assertThat(report.findings(SetupFinding.Severity.ERROR))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("other.example.org"));
    assertThat(report.findings())
        .filteredOn(f -> f.topic().equals("policy"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("https://mta-sts.file.example/"));

    SetupReport broken = check.check(domain, "version: STSv1\nmode: sometimes\n");
    assertThat(broken.policy()).isEmpty();
    assertThat(broken.findings(SetupFinding.Severity.ERROR))
        .extracting(SetupFinding::topic)
        .contains("policy")
        .doesNotContain("mx");
    assertThat(broken.findings(SetupFinding.Severity.ERROR).get(0).message()).contains("line 2");
  }
}
