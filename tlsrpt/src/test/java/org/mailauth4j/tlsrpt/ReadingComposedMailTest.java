package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.CLOCK;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ED25519;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.POLICY_DOMAIN;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.SUBMITTER;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * The report e-mail {@link TlsReportMail} composes, read back by {@link
 * TlsReportReader#readMessage(byte[])}: the same report, nothing to find, and {@link
 * ReceivedTlsReport#message()} verifying as the DKIM check RFC 8460 §3 asks of receivers.
 */
class ReadingComposedMailTest {

  @Test
  void readsTheComposedMailBackWithoutFindingsAndItsBytesVerify() {
    // An id as TlsRptRecorder makes them, which the subject carries as it is (RFC 8460 §5.3).
    TlsReport report =
        DeliveryFixtures.report(
            "2026-05-01-example.com-0a1b2c3d@mail.sender.example",
            Optional.of("tlsrpt@mail.sender.example"));
    for (boolean compress : new boolean[] {true, false}) {
      byte[] mail =
          TlsReportMail.builder("tlsrpt@mail.sender.example")
              .dkimKey(SUBMITTER, "tlsrpt", ED25519)
              .clock(CLOCK)
              .compress(compress)
              .build()
              .compose(report, POLICY_DOMAIN, "tlsrpt@example.com");
      ReceivedTlsReport received = TlsReportReader.builder().build().readMessage(mail);
      assertThat(received.report()).isEqualTo(report);
      assertThat(received.findings()).as("compress " + compress).isEmpty();
      assertThat(received.mediaType())
          .isEqualTo(compress ? "application/tlsrpt+gzip" : "application/tlsrpt+json");

      String record = ED25519.keyRecord().replace("; p=", "; s=tlsrpt; p=");
      ZoneFileResolver keys =
          ZoneFileResolver.fromZoneText(
              "tlsrpt._domainkey.mail.sender.example. IN TXT " + TxtRecord.split(record) + "\n");
      DkimVerification dkim =
          DkimVerifier.builder(keys)
              .clock(CLOCK)
              .serviceType("tlsrpt")
              .build()
              .verify(received.message());
      assertThat(dkim.result()).as(dkim.toString()).isEqualTo(DkimResult.PASS);
    }
  }

  @Test
  void anIdNotOfTheSubjectsFormIsOnlyInTheJson() {
    // No @ and a colon: the subject names it by a digest, which a reader sees as a mismatch and
    // resolves by the JSON (RFC 8460 §5.6).
    TlsReport report = DeliveryFixtures.report();
    byte[] mail =
        TlsReportMail.builder("tlsrpt@mail.sender.example")
            .dkimKey(SUBMITTER, "tlsrpt", ED25519)
            .clock(CLOCK)
            .build()
            .compose(report, POLICY_DOMAIN, "tlsrpt@example.com");
    ReceivedTlsReport received = TlsReportReader.builder().build().readMessage(mail);
    assertThat(received.report().reportId()).isEqualTo("2026-05-01T00:00:00Z_example.com");
    assertThat(received.findings())
        .extracting(ReportMessageFinding::kind)
        .containsExactly(ReportMessageFinding.Kind.SUBJECT_MISMATCH);
  }
}
