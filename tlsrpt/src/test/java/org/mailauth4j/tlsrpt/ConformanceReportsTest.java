package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailauth4j.mtasts.TlsRptPolicyType;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.TestEnvironment;
import org.mailauth4j.tlsrpt.ReportMessageFinding.Kind;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/**
 * Every file of {@code shared/conformance/tlsrpt/}: the RFC 8460 Appendix B example (repaired, and
 * as published, which is not JSON) and Stalwart's sample reports and e-mails, with their figures.
 */
class ConformanceReportsTest {
  private static final TlsReportReader READER = TlsReportReader.builder().build();

  private static byte[] file(String relative) throws IOException {
    int slash = relative.lastIndexOf('/');
    Path dir = TestEnvironment.conformance("tlsrpt/" + relative.substring(0, slash));
    return Files.readAllBytes(dir.resolve(relative.substring(slash + 1)));
  }

  /** The Company-X report of RFC 8460 Appendix B, which rpt01 also carries. */
  private static void assertCompanyX(TlsReport r, List<String> mxHosts, String information) {
    assertThat(r.organizationName()).isEqualTo("Company-X");
    assertThat(r.dateRange())
        .isEqualTo(
            new DateRange(
                Instant.parse("2016-04-01T00:00:00Z"), Instant.parse("2016-04-01T23:59:59Z")));
    assertThat(r.contactInfo()).contains("sts-reporting@company-x.example");
    assertThat(r.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
    assertThat(r.policies()).hasSize(1);
    PolicyResult p = r.policies().get(0);
    assertThat(p.policy().knownType()).contains(TlsRptPolicyType.STS);
    assertThat(p.policy().strings())
        .containsExactly(
            "version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400");
    assertThat(p.policy().domain()).contains("company-y.example");
    assertThat(p.policy().mxHosts()).isEqualTo(mxHosts);
    assertThat(p.successfulSessions()).isEqualTo(5326);
    assertThat(p.failedSessions()).isEqualTo(303);
    assertThat(r.successfulSessions()).isEqualTo(5326);
    assertThat(r.failedSessions()).isEqualTo(303);
    List<FailureDetail> d = p.failureDetails();
    assertThat(d)
        .extracting(FailureDetail::knownResultType)
        .containsExactly(
            Optional.of(TlsRptResultType.CERTIFICATE_EXPIRED),
            Optional.of(TlsRptResultType.STARTTLS_NOT_SUPPORTED),
            Optional.of(TlsRptResultType.VALIDATION_FAILURE));
    assertThat(d).extracting(FailureDetail::failedSessionCount).containsExactly(100L, 200L, 3L);
    assertThat(d.get(0))
        .isEqualTo(
            new FailureDetail(
                "certificate-expired",
                Optional.of("2001:db8:abcd:0012::1"),
                Optional.of("mx1.mail.company-y.example"),
                Optional.empty(),
                Optional.empty(),
                100,
                Optional.empty(),
                Optional.empty()));
    assertThat(d.get(1).receivingIp()).contains("203.0.113.56");
    assertThat(d.get(1).additionalInformation()).contains(information);
    assertThat(d.get(2).sendingMtaIp()).contains("198.51.100.62");
    assertThat(d.get(2).receivingMxHostname()).contains("mx-backup.mail.company-y.example");
    assertThat(d.get(2).failureReasonCode()).contains("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
  }

  @Test
  void readsTheRepairedAppendixBExampleWithItsFailureErrorCode() throws IOException {
    TlsReport r = READER.read(file("rfc8460-examples/appendixB-report.repaired.json"));
    assertCompanyX(
        r,
        List.of("*.mail.company-y.example"), // a single string in the example
        "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported");
  }

  @Test
  void refusesTheAppendixBExampleAsPublishedAsNotJson() throws IOException {
    byte[] published = file("rfc8460-examples/appendixB-report.as-published.txt");
    assertThatThrownBy(() -> READER.read(published))
        .isInstanceOfSatisfying(
            TlsReportException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.NOT_JSON);
              assertThat(e.getMessage()).contains("line 32");
              assertThat(e.location())
                  .contains("/policies/0/failure-details/1/additional-information");
            });
  }

  @Test
  void readsStalwartRpt01() throws IOException {
    assertCompanyX(
        READER.read(file("stalwart/rpt01.json")),
        List.of("*.mail.company-y.example"),
        "https://reports.company-x.example/report_info ? id = 5065427 c - 23 d3#"
            + " StarttlsNotSupported ");
  }

  @Test
  void readsStalwartRpt02WithoutMxHost() throws IOException {
    TlsReport r = READER.read(file("stalwart/rpt02.json"));
    assertRpt02(r);
  }

  private static void assertRpt02(TlsReport r) {
    assertThat(r.organizationName()).isEqualTo("Google Inc.");
    assertThat(r.reportId()).isEqualTo("2020-01-01T00:00:00Z_example.com");
    assertThat(r.dateRange().start()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(r.dateRange().end()).isEqualTo(Instant.parse("2020-01-07T23:59:59Z"));
    assertThat(r.contactInfo()).contains("smtp-tls-reporting@google.com");
    PolicyResult p = r.policies().get(0);
    assertThat(p.policy().domain()).contains("example.com");
    assertThat(p.policy().mxHosts()).isEmpty();
    assertThat(p.policy().strings()).hasSize(4).contains("mode: enforce");
    assertThat(p.successfulSessions()).isEqualTo(23);
    assertThat(p.failedSessions()).isEqualTo(1);
    assertThat(p.failureDetails())
        .containsExactly(
            new FailureDetail(
                "certificate-host-mismatch",
                Optional.of("123.123.123.123"),
                Optional.of("demo.example.com"),
                Optional.empty(),
                Optional.of("234.234.234.234"),
                1,
                Optional.empty(),
                Optional.empty()));
  }

  @Test
  void readsStalwartRpt03WithAnUnknownPolicyTypeAndAbsentCounts() throws IOException {
    TlsReport r = READER.read(file("stalwart/rpt03.json"));
    assertThat(r.organizationName()).isEqualTo("Google Inc.");
    assertThat(r.reportId()).isEqualTo("2019-04-14T00:00:00Z_example.org");
    assertThat(r.policies()).hasSize(2);
    assertThat(r.policies().get(0).policy().knownType()).contains(TlsRptPolicyType.NO_POLICY_FOUND);
    assertThat(r.policies().get(0).policy().domain()).isEmpty();
    assertThat(r.policies().get(1).policy().type()).isEqualTo("invalid-policy-type");
    assertThat(r.policies().get(1).policy().knownType()).isEmpty();
    assertThat(r.policies())
        .allSatisfy(
            p -> {
              assertThat(p.successfulSessions()).isEqualTo(1);
              assertThat(p.failedSessions()).isZero(); // absent in the file
              assertThat(p.failureDetails()).isEmpty();
            });
  }

  @Test
  void readsStalwartRpt01MessageWithItsGzipReportAndFindings() throws IOException {
    byte[] eml = file("stalwart/rpt01.eml");
    ReceivedTlsReport received = READER.readMessage(eml);
    assertCompanyX(
        received.report(),
        List.of("*.mail.company-y.example"),
        "https://reports.company-x.example/report_info ? id = 5065427 c - 23 d3#"
            + " StarttlsNotSupported ");
    assertThat(received.mediaType()).isEqualTo("application/tlsrpt+gzip");
    assertThat(received.filename())
        .contains("mail.sender.example!example.com!1013662812!1013749130.json.gz");
    assertThat(received.reportDomain()).contains("example.net");
    assertThat(received.submitter()).contains("mail.sender.example.com");
    assertThat(received.subject())
        .contains(
            "Report Domain: example.net    Submitter: mail.sender.example.com    Report-ID:"
                + " <735ff.e317+bf22029@example.net>");
    // The sample's header fields, subject and file name describe another report than its JSON:
    // RFC 8460 §5.6, the JSON wins; every disagreement is a finding.
    assertThat(received.findings())
        .extracting(ReportMessageFinding::kind)
        .containsExactly(
            Kind.REPORT_DOMAIN_MISMATCH,
            Kind.SUBMITTER_NOT_CONTACT_DOMAIN,
            Kind.SUBJECT_MISMATCH,
            Kind.SUBJECT_MISMATCH,
            Kind.SUBJECT_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH);
    assertThat(received.findings().get(0).detail())
        .isEqualTo(
            "TLS-Report-Domain \"example.net\" is none of the report's policy domains"
                + " \"company-y.example\"");
    byte[] kept = new byte[received.message().remaining()];
    received.message().get(kept);
    assertThat(kept).isEqualTo(eml); // the bytes a DKIM check must see
  }

  @Test
  void readsStalwartRpt02MessageWithItsJsonPart() throws IOException {
    ReceivedTlsReport received;
    try (InputStream in =
        Files.newInputStream(TestEnvironment.conformance("tlsrpt/stalwart").resolve("rpt02.eml"))) {
      received = READER.readMessage(in);
    }
    assertRpt02(received.report());
    assertThat(received.mediaType()).isEqualTo("application/tlsrpt");
    assertThat(received.filename())
        .contains("mail.sender.example!example.com!1013662812!1013749130.json");
    assertThat(received.findings())
        .extracting(ReportMessageFinding::kind)
        .contains(Kind.REPORT_DOMAIN_MISMATCH, Kind.SUBMITTER_NOT_CONTACT_DOMAIN)
        .doesNotContain(Kind.NOT_TLSRPT_MESSAGE, Kind.MEDIA_TYPE_MISMATCH);
  }

  @Test
  void readsTheJsonFilesAlsoFromStreamsAndGzip() throws IOException {
    for (String name :
        List.of("stalwart/rpt01.json", "stalwart/rpt02.json", "stalwart/rpt03.json")) {
      TlsReport fromBytes = READER.read(file(name));
      assertThat(READER.read(new java.io.ByteArrayInputStream(file(name)))).isEqualTo(fromBytes);
      assertThat(READER.read(TlsReportJson.toGzip(fromBytes))).as(name).isEqualTo(fromBytes);
      assertThat(READER.read(TlsReportJson.toJson(fromBytes))).as(name).isEqualTo(fromBytes);
    }
  }
}
