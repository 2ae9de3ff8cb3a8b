package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailauth4j.testkit.TestEnvironment;

/** The totals and breakdowns of {@link TlsReportSummary}. */
class TlsReportSummaryTest {

  private static FailureDetail detail(String type, String ip, String mx, long n) {
    return new FailureDetail(
        type,
        Optional.ofNullable(ip),
        Optional.ofNullable(mx),
        Optional.empty(),
        Optional.empty(),
        n,
        Optional.empty(),
        Optional.empty());
  }

  private static TlsReport report(
      String org, String domain, long ok, long failed, FailureDetail... d) {
    return new TlsReport(
        org,
        DateRange.utcDay(LocalDate.of(2024, 5, 1)),
        Optional.empty(),
        org + "-" + domain,
        List.of(
            new PolicyResult(
                new ReportedPolicy("sts", List.of(), Optional.ofNullable(domain), List.of()),
                ok,
                failed,
                List.of(d))));
  }

  @Test
  void addsUpReportsAndSortsEachBreakdownByCount() {
    TlsReport google =
        report(
            "Google Inc.",
            "example.com",
            100,
            7,
            detail("certificate-expired", "192.0.2.1", "MX1.example.com.", 5),
            detail("starttls-not-supported", "192.0.2.2", "mx2.example.com", 2));
    TlsReport microsoft =
        report(
            "Microsoft Corporation",
            "Example.org",
            50,
            9,
            detail("certificate-expired", null, "mx1.example.com", 4), // no sending-mta-ip
            detail("sts-policy-fetch-error", null, null, 5));
    TlsReportSummary s = TlsReportSummary.of(google, microsoft);
    assertThat(s.reports()).isEqualTo(2);
    assertThat(s.successfulSessions()).isEqualTo(150);
    assertThat(s.failedSessions()).isEqualTo(16);
    assertThat(s.failuresByResultType())
        .containsExactly(
            Map.entry("certificate-expired", 9L),
            Map.entry("sts-policy-fetch-error", 5L),
            Map.entry("starttls-not-supported", 2L));
    assertThat(s.failuresByReceivingMx())
        .containsExactly(Map.entry("mx1.example.com", 9L), Map.entry("mx2.example.com", 2L));
    assertThat(s.failuresBySendingIp())
        .containsExactly(Map.entry("192.0.2.1", 5L), Map.entry("192.0.2.2", 2L));
    assertThat(s.failuresByPolicyDomain())
        .containsExactly(Map.entry("example.org", 9L), Map.entry("example.com", 7L));
    assertThat(s.failuresByOrganization())
        .containsExactly(Map.entry("Microsoft Corporation", 9L), Map.entry("Google Inc.", 7L));
    assertThatThrownBy(() -> s.failuresByResultType().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(s.toString()).contains("failedSessions=16");
  }

  @Test
  void breaksTiesByKeyAndLeavesOutWhatIsNotNamed() {
    TlsReport r =
        report(
            "o",
            null,
            0,
            3,
            detail("b-type", null, null, 1),
            detail("a-type", null, null, 1),
            detail("c-type", null, null, 0));
    TlsReportSummary s = TlsReportSummary.of(List.of(r));
    assertThat(s.failuresByResultType())
        .containsExactly(Map.entry("a-type", 1L), Map.entry("b-type", 1L));
    assertThat(s.failuresByPolicyDomain()).isEmpty();
    assertThat(s.failuresBySendingIp()).isEmpty();
  }

  @Test
  void staysAtTheMaximumRatherThanOverflowing() {
    long big = ReportJsonParser.MAX_COUNT;
    TlsReportSummary.Builder b = TlsReportSummary.builder();
    for (int i = 0; i < 2000; i++) {
      b.add(report("o", "d.example", big, big, detail("t", "192.0.2.1", "mx", big)));
    }
    TlsReportSummary s = b.build();
    assertThat(s.successfulSessions()).isEqualTo(Long.MAX_VALUE);
    assertThat(s.failedSessions()).isEqualTo(Long.MAX_VALUE);
    assertThat(s.failuresByResultType()).containsEntry("t", Long.MAX_VALUE);
    assertThat(s.reports()).isEqualTo(2000);
  }

  @Test
  void summarizesTheConformanceReports() throws IOException {
    Path dir = TestEnvironment.conformance("tlsrpt/stalwart");
    TlsReportReader reader = TlsReportReader.builder().build();
    TlsReportSummary.Builder b = TlsReportSummary.builder();
    for (String name : List.of("rpt01.json", "rpt02.json", "rpt03.json")) {
      b.add(reader.read(Files.readAllBytes(dir.resolve(name))));
    }
    TlsReportSummary s = b.build();
    assertThat(s.reports()).isEqualTo(3);
    assertThat(s.successfulSessions()).isEqualTo(5326 + 23 + 2);
    assertThat(s.failedSessions()).isEqualTo(304);
    assertThat(s.failuresByResultType())
        .containsExactly(
            Map.entry("starttls-not-supported", 200L),
            Map.entry("certificate-expired", 100L),
            Map.entry("validation-failure", 3L),
            Map.entry("certificate-host-mismatch", 1L));
    assertThat(s.failuresByPolicyDomain())
        .containsExactly(Map.entry("company-y.example", 303L), Map.entry("example.com", 1L));
    assertThat(s.failuresByReceivingMx().keySet())
        .containsExactly(
            "mx2.mail.company-y.example",
            "mx1.mail.company-y.example",
            "mx-backup.mail.company-y.example",
            "demo.example.com");
  }
}
