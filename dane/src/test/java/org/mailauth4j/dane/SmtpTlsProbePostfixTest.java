package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailauth4j.dane.SmtpTlsProbeResult.Status;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.mtasts.TlsRptResultType;
import org.mailauth4j.testkit.PostfixServer;
import org.mailauth4j.testkit.TestPki;

/** The probe against a real Postfix on loopback that offers STARTTLS, and the verdicts on it. */
class SmtpTlsProbePostfixTest {
  @RegisterExtension static final PostfixServer POSTFIX = new PostfixServer();

  private static final DomainName MX = DomainName.parse("mx.example.test");

  private static SmtpTlsProbe probe() {
    return SmtpTlsProbe.builder()
        .port(POSTFIX.address().getPort())
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static List<InetAddress> loopback() {
    return List.of(POSTFIX.address().getAddress());
  }

  @Test
  void establishesTlsAndCollectsTheServedChain() {
    SmtpTlsProbeResult result = probe().probe(POSTFIX.address(), MX);

    assertThat(result.status()).as(POSTFIX.log()).isEqualTo(Status.TLS_ESTABLISHED);
    assertThat(result.server()).contains(POSTFIX.address());
    assertThat(result.greeting()).startsWith("220 mx.example.test ESMTP");
    assertThat(result.tlsProtocol()).contains("TLSv1.3");
    assertThat(result.cipherSuite()).hasValueSatisfying(c -> assertThat(c).startsWith("TLS_"));
    assertThat(result.chain()).isEqualTo(POSTFIX.chain());
    // the keywords of the EHLO over TLS: STARTTLS is no longer offered there (RFC 3207 §4.2)
    assertThat(result.ehloKeywords()).contains("PIPELINING", "SIZE", "8BITMIME");
    assertThat(result.ehloKeywords()).doesNotContain("STARTTLS");
    assertThat(result.verdict()).isEmpty();
    assertThat(result.detail()).startsWith("TLS established: TLSv1.3");
  }

  @Test
  void offersOnlyTheConfiguredTlsVersions() {
    SmtpTlsProbe tls12 =
        SmtpTlsProbe.builder()
            .port(POSTFIX.address().getPort())
            .tlsProtocols(List.of("TLSv1.2"))
            .build();

    SmtpTlsProbeResult result = tls12.probe(POSTFIX.address(), MX);

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    assertThat(result.tlsProtocol()).contains("TLSv1.2");
    assertThat(result.chain()).isEqualTo(POSTFIX.chain());
  }

  @Test
  void daneEeRecordForTheServedKeyPasses() {
    TlsaRecord record =
        TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, POSTFIX.chain().get(0));
    MxTransport mx = ProbeTransports.dane(MX, POSTFIX.address().getPort(), loopback(), record);

    SmtpTlsProbeResult result = probe().probe(mx);

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    MxVerdict verdict = result.verdict().orElseThrow();
    assertThat(verdict.action()).as(verdict.detail()).isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(verdict.failure()).isEmpty();
    assertThat(verdict.receivingIp()).contains(POSTFIX.address().getAddress());
    assertThat(verdict.receivingHelo()).contains("mx.example.test");
  }

  @Test
  void daneEeRecordForAnotherKeyIsTlsaInvalid() {
    Instant now = Instant.now();
    TestPki.Identity other =
        TestPki.selfSigned(List.of("mx.example.test"), now.minusSeconds(60), now.plusSeconds(3600));
    TlsaRecord record =
        TlsaRecord.of(
            CertificateUsage.DANE_EE, Selector.SPKI, MatchingType.SHA2_256, other.certificate());
    MxTransport mx = ProbeTransports.dane(MX, POSTFIX.address().getPort(), loopback(), record);

    SmtpTlsProbeResult result = probe().probe(mx);

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    MxVerdict verdict = result.verdict().orElseThrow();
    assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(verdict.failure()).contains(TlsRptResultType.TLSA_INVALID);
    assertThat(verdict.receivingIp()).contains(POSTFIX.address().getAddress());
  }

  @Test
  void opportunisticHostDelivers() {
    MxTransport mx = ProbeTransports.opportunistic(MX, loopback());

    SmtpTlsProbeResult result = probe().probe(mx);

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    assertThat(result.verdict().orElseThrow().action()).isEqualTo(MxVerdict.Action.DELIVER);
  }

  @Test
  void triesTheNextAddressAfterOneThatRefusesTheConnection() throws Exception {
    // nothing listens on 127.0.0.2 at Postfix's port: Postfix is bound to 127.0.0.1 only
    InetAddress refusing = InetAddress.getByName("127.0.0.2");
    MxTransport mx =
        ProbeTransports.opportunistic(MX, List.of(refusing, POSTFIX.address().getAddress()));

    SmtpTlsProbeResult result = probe().probe(mx);

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    assertThat(result.server())
        .contains(
            new InetSocketAddress(POSTFIX.address().getAddress(), POSTFIX.address().getPort()));
    assertThat(result.detail()).contains("127.0.0.2: CONNECT_FAILED");
    assertThat(result.verdict().orElseThrow().receivingIp())
        .contains(POSTFIX.address().getAddress());
  }

  @Test
  void asyncProbeCompletesWithTheSameResult() {
    SmtpTlsProbeResult result = probe().probeAsync(POSTFIX.address(), MX).join();

    assertThat(result.status()).isEqualTo(Status.TLS_ESTABLISHED);
    assertThat(result.chain()).isEqualTo(POSTFIX.chain());
  }
}
