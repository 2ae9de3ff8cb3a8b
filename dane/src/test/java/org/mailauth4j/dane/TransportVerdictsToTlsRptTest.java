package org.mailauth4j.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dane.ScriptedDns.name;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dane.MxTransport.Security;
import org.mailauth4j.dane.TlsaRecord.CertificateUsage;
import org.mailauth4j.dane.TlsaRecord.MatchingType;
import org.mailauth4j.dane.TlsaRecord.Selector;
import org.mailauth4j.dns.DnsFailure;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.mtasts.MxVerdict;
import org.mailauth4j.testkit.MutableClock;
import org.mailauth4j.testkit.TestPki;
import org.mailauth4j.tlsrpt.FailureDetail;
import org.mailauth4j.tlsrpt.InMemoryTlsRptStore;
import org.mailauth4j.tlsrpt.PolicyResult;
import org.mailauth4j.tlsrpt.TlsReport;
import org.mailauth4j.tlsrpt.TlsRptRecorder;

/**
 * The verdicts of a transport policy's MX hosts go to the TLS-RPT recorder as they are, and come
 * out as {@code tlsa} policies of the TLSA base domain with the records' text (RFC 8460 §4.4) and
 * the DANE result types (§4.3.2.1).
 */
class TransportVerdictsToTlsRptTest {
  private static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");
  private static final LocalDate DAY = LocalDate.ofInstant(NOON, ZoneOffset.UTC);

  @Test
  void daneVerdictsBecomeTlsaPoliciesOfTheBaseDomain() throws Exception {
    Instant now = Instant.now();
    TestPki pki =
        new TestPki("Test DANE CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    TestPki.Identity mx1 =
        pki.issue(
            List.of("mx1.example.com"),
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    TestPki.Identity stranger =
        TestPki.selfSigned(
            List.of("mx3.example.com"),
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(30)));
    TlsaRecord ta =
        TlsaRecord.of(
            CertificateUsage.DANE_TA, Selector.SPKI, MatchingType.SHA2_256, pki.ca().certificate());
    TlsaRecord ee =
        TlsaRecord.of(
            CertificateUsage.DANE_EE,
            Selector.SPKI,
            MatchingType.SHA2_256,
            TestPki.selfSigned(
                    List.of("mx3.example.com"),
                    now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(30)))
                .certificate());

    ScriptedDns dns =
        new ScriptedDns()
            .mx(
                "example.com",
                true,
                "10 mx1.example.com",
                "20 mx2.example.com",
                "30 mx3.example.com")
            .a("mx1.example.com", true, "192.0.2.1")
            .a("mx2.example.com", true, "192.0.2.2")
            .a("mx3.example.com", true, "192.0.2.3")
            .tlsa("_25._tcp.mx1.example.com", true, ta)
            .fail("_25._tcp.mx2.example.com", TlsaRecord.TYPE, DnsFailure.Kind.DNSSEC_BOGUS)
            .tlsa("_25._tcp.mx3.example.com", true, ee);
    TransportPolicy policy =
        TransportPolicyResolver.builder(dns).build().resolve(name("example.com"));
    assertThat(policy.mxHosts())
        .extracting(MxTransport::security)
        .containsExactly(Security.DANE, Security.UNREACHABLE, Security.DANE);
    MxTransport first = policy.mxHosts().get(0);
    MxTransport second = policy.mxHosts().get(1);
    MxTransport third = policy.mxHosts().get(2);

    MutableClock clock = new MutableClock(NOON);
    TlsRptRecorder recorder =
        TlsRptRecorder.builder("Sender", "tlsrpt@sender.example", new InMemoryTlsRptStore())
            .clock(clock)
            .build();
    InetAddress peer = InetAddress.getByName("192.0.2.1");
    MxVerdict passed = first.verify(mx1.chain());
    assertThat(passed.mayDeliver()).as(passed.toString()).isTrue();
    recorder.record(passed.withReceivingIp(peer));
    MxVerdict refused = second.refusal().orElseThrow();
    assertThat(refused.mayDeliver()).isFalse();
    recorder.record(refused);
    recorder.record(third.noStartTls());
    MxVerdict mismatch = third.verify(stranger.chain());
    assertThat(mismatch.mayDeliver()).isFalse();
    recorder.record(mismatch);

    clock.advance(Duration.ofDays(1));
    Map<DomainName, TlsReport> reports =
        recorder.reports(DAY).stream()
            .collect(Collectors.toMap(r -> r.policyDomain().orElseThrow(), Function.identity()));

    assertThat(reports.keySet())
        .containsExactlyInAnyOrder(
            name("mx1.example.com"), name("mx2.example.com"), name("mx3.example.com"));

    PolicyResult daneTa = single(reports.get(name("mx1.example.com")));
    assertThat(daneTa.policy().type()).isEqualTo("tlsa");
    assertThat(daneTa.policy().strings()).containsExactly(ta.toText());
    assertThat(daneTa.policy().domain()).contains("mx1.example.com");
    assertThat(daneTa.successfulSessions()).isEqualTo(1);
    assertThat(daneTa.failedSessions()).isZero();

    PolicyResult bogus = single(reports.get(name("mx2.example.com")));
    assertThat(bogus.policy().type()).isEqualTo("tlsa");
    assertThat(bogus.policy().strings()).isEmpty();
    assertThat(bogus.failedSessions()).isEqualTo(1);
    assertThat(bogus.failureDetails())
        .extracting(FailureDetail::resultType)
        .containsExactly("dnssec-invalid");

    PolicyResult daneEe = single(reports.get(name("mx3.example.com")));
    assertThat(daneEe.policy().type()).isEqualTo("tlsa");
    assertThat(daneEe.policy().strings()).containsExactly(ee.toText());
    assertThat(daneEe.successfulSessions()).isZero();
    assertThat(daneEe.failedSessions()).isEqualTo(2);
    assertThat(daneEe.failureDetails())
        .extracting(FailureDetail::resultType)
        .containsExactlyInAnyOrder("starttls-not-supported", "tlsa-invalid");
  }

  @Test
  void aDaneRequiredRefusalIsReportedAsSuch() {
    ScriptedDns dns =
        new ScriptedDns()
            .mx("example.com", true, "10 mx.example.com")
            .a("mx.example.com", true, "192.0.2.1")
            .noData("_25._tcp.mx.example.com", TlsaRecord.TYPE, true);
    TransportPolicy policy =
        TransportPolicyResolver.builder(dns)
            .requireDane(d -> d.isWithin(name("example.com")))
            .build()
            .resolve(name("example.com"));
    MutableClock clock = new MutableClock(NOON);
    TlsRptRecorder recorder =
        TlsRptRecorder.builder("Sender", "tlsrpt@sender.example", new InMemoryTlsRptStore())
            .clock(clock)
            .build();
    recorder.record(policy.mxHosts().get(0).refusal().orElseThrow());
    clock.advance(Duration.ofDays(1));

    TlsReport report = recorder.reports(DAY).get(0);
    PolicyResult result = single(report);
    assertThat(result.policy().type()).isEqualTo("tlsa");
    assertThat(report.policyDomain()).contains(name("mx.example.com"));
    assertThat(result.failureDetails())
        .extracting(FailureDetail::resultType)
        .containsExactly("dane-required");
  }

  private static PolicyResult single(TlsReport report) {
    assertThat(report.policies()).hasSize(1);
    return report.policies().get(0);
  }
}
