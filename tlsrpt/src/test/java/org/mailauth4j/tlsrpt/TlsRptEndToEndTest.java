package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.mtasts.MtaStsMode;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MxPattern;
import org.mailauth4j.mtasts.MxTlsVerifier;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.MutableClock;
import org.mailauth4j.testkit.TestPki;

/**
 * The whole path of a sender's TLS-RPT, with real parts: sessions judged by {@link MxTlsVerifier}
 * over certificates of a test CA, recorded, rolled into the day's report, the policy domain's
 * {@code _smtp._tls} record found, the report POSTed to a real HTTPS endpoint on loopback and
 * composed as a DKIM-signed e-mail; then both read back with the same counts, and the e-mail's
 * signature verified for the {@code tlsrpt} service type.
 */
class TlsRptEndToEndTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 30);
  private static final Instant NOON = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
  private static final DomainName POLICY_DOMAIN = DomainName.parse("example.com");
  private static final DomainName SUBMITTER = DomainName.parse("sender.example");

  @Test
  void sessionsBecomeAReportThatArrivesByHttpsAndByMailWithTheSameCounts() throws Exception {
    TestPki pki = new TestPki("MX CA", NOON.minus(Duration.ofDays(400)), NOON.plus(days(400)));
    List<X509Certificate> good =
        pki.issue(List.of("mx1.example.com"), ago(30), NOON.plus(days(60))).chain();
    List<X509Certificate> expired = pki.issue(List.of("mx2.example.com"), ago(90), ago(1)).chain();
    List<X509Certificate> otherName =
        pki.issue(List.of("www.example.com"), ago(30), NOON.plus(days(60))).chain();
    MxTlsVerifier verifier =
        MxTlsVerifier.builder()
            .trustStore(pki.trustStore())
            .clock(java.time.Clock.fixed(NOON, ZoneOffset.UTC))
            .build();
    MtaStsPolicy policy =
        new MtaStsPolicy(
            MtaStsMode.TESTING, List.of(MxPattern.parse("*.example.com")), days(7), Map.of());
    DomainName mx1 = DomainName.parse("mx1.example.com");
    DomainName mx2 = DomainName.parse("mx2.example.com");
    InetAddress us = InetAddress.getByName("2001:db8::25");

    MutableClock clock = new MutableClock(NOON);
    TlsRptRecorder recorder =
        TlsRptRecorder.builder("Sender Example", "tlsrpt@sender.example", new InMemoryTlsRptStore())
            .clock(clock)
            .build();
    for (int i = 0; i < 40; i++) {
      recorder.record(verifier.verify(POLICY_DOMAIN, policy, mx1, good), us);
    }
    MxVerdict expiredVerdict =
        verifier
            .verify(POLICY_DOMAIN, policy, mx2, expired)
            .withReceivingIp(InetAddress.getByName("192.0.2.2"));
    MxVerdict mismatch = verifier.verify(POLICY_DOMAIN, policy, mx1, otherName);
    assertThat(expiredVerdict.action()).isEqualTo(MxVerdict.Action.DELIVER_AND_REPORT);
    for (int i = 0; i < 7; i++) {
      recorder.record(expiredVerdict, us);
    }
    for (int i = 0; i < 3; i++) {
      recorder.record(mismatch, us);
    }
    clock.advance(Duration.ofHours(13)); // the UTC day is over

    List<TlsReport> reports = recorder.reports(DAY);
    assertThat(reports).hasSize(1);
    TlsReport report = reports.get(0);
    assertThat(report.dateRange()).isEqualTo(DateRange.utcDay(DAY));
    assertThat(report.policyDomain()).contains(POLICY_DOMAIN);
    assertThat(report.successfulSessions()).isEqualTo(40);
    assertThat(report.failedSessions()).isEqualTo(10);
    assertThat(report.policies().get(0).policy().strings())
        .containsExactly("version: STSv1", "mode: testing", "mx: *.example.com", "max_age: 604800");

    DkimSigningKey key = DkimSigningKey.generateEd25519();
    try (ReportReceiver receiver = new ReportReceiver()) {
      String zone =
          "_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua="
              + receiver.uri("/status/201")
              + ",mailto:tlsrpt@example.com\"\n"
              + "s1._domainkey.sender.example. IN TXT "
              + TxtRecord.split(key.keyRecord().replace("; p=", "; s=tlsrpt; p="))
              + "\n";
      ZoneFileResolver dns = ZoneFileResolver.fromZoneText(zone);
      TlsRptRecordLookup found = TlsRptRecordResolver.builder(dns).build().lookup(POLICY_DOMAIN);
      assertThat(found.status()).isEqualTo(TlsRptRecordLookup.Status.FOUND);

      TlsReportDelivery delivery =
          TlsReportDelivery.builder()
              .https(
                  TlsReportSubmitter.builder()
                      .sslContext(receiver.pki.trustingOnlyThis())
                      .maxAttempts(1)
                      .build())
              .mail(
                  TlsReportMail.builder("tlsrpt@sender.example")
                      .dkimKey(SUBMITTER, "s1", key)
                      .build())
              .build();
      TlsReportDelivery.Dispatch dispatch =
          delivery.deliver(POLICY_DOMAIN, found.record().orElseThrow(), report);
      assertThat(dispatch.messages()).hasSize(1);
      byte[] mail = dispatch.messages().get(0).message();
      TlsReportDelivery.Result result = dispatch.result().join();
      assertThat(result.isDelivered()).isTrue();

      TlsReportReader reader = TlsReportReader.builder().build();
      List<ReportReceiver.Request> posted = receiver.requests();
      assertThat(posted).hasSize(1);
      assertThat(posted.get(0).contentType()).contains("application/tlsrpt+gzip");
      TlsReport overHttps = reader.read(posted.get(0).body());
      assertThat(overHttps).isEqualTo(report);

      // RFC 8460 §5.3: the recorder's id is the subject's "<" id-left "@" id-right ">" as it is.
      assertThat(report.reportId()).contains("@");
      assertThat(new String(mail, StandardCharsets.US_ASCII).replace("\r\n ", " "))
          .contains("Report-ID: <" + report.reportId() + ">");
      ReceivedTlsReport received = reader.readMessage(mail);
      assertThat(received.report()).isEqualTo(report);
      assertThat(received.reportDomain()).contains("example.com");
      assertThat(received.submitter()).contains("sender.example");
      assertThat(received.findings()).isEmpty();
      assertThat(DkimVerifier.builder(dns).serviceType("tlsrpt").build().verify(mail).result())
          .isEqualTo(DkimResult.PASS);

      TlsReportSummary summary = TlsReportSummary.of(List.of(overHttps, received.report()));
      assertThat(summary.failedSessions()).isEqualTo(20);
      assertThat(summary.failuresByResultType())
          .containsEntry(TlsRptResultType.CERTIFICATE_EXPIRED.token(), 14L)
          .containsEntry(TlsRptResultType.CERTIFICATE_HOST_MISMATCH.token(), 6L);
    }
  }

  private static Duration days(int n) {
    return Duration.ofDays(n);
  }

  private static Instant ago(int days) {
    return NOON.minus(Duration.ofDays(days));
  }
}
