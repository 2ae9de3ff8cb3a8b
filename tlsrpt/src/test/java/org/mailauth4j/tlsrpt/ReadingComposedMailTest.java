package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.CLOCK;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ED25519;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.POLICY_DOMAIN;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.SUBMITTER;

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
    TlsReport report = DeliveryFixtures.report();
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
}
