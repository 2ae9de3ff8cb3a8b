package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.TestPki;

/** Verdicts on MX certificate chains, with certificates minted by a test CA. */
class MxTlsVerifierTest {
  private static final Instant NOW = Instant.parse("2026-05-01T00:00:00Z");
  private static final TestPki PKI =
      new TestPki("test root", NOW.minus(Duration.ofDays(1000)), NOW.plus(Duration.ofDays(1000)));
  private static final MxTlsVerifier VERIFIER =
      MxTlsVerifier.builder()
          .trustStore(PKI.trustStore())
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .build();
  private static final DomainName MX = DomainName.parse("mx1.example.net");
  private static final DomainName POLICY_DOMAIN = DomainName.parse("example.com");

  private static MtaStsPolicy policy(MtaStsMode mode) {
    return new MtaStsPolicy(
        mode,
        List.of(MxPattern.parse("mail.example.com"), MxPattern.parse("*.example.net")),
        Duration.ofDays(7),
        Map.of());
  }

  private static List<X509Certificate> chain(String... names) {
    return PKI.issue(List.of(names), NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(80)))
        .chain();
  }

  @Test
  void aValidChainForAPermittedHostDelivers() {
    MxVerdict verdict =
        VERIFIER.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, chain("mx1.example.net"));
    assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(verdict.failure()).isEmpty();
    assertThat(verdict.mayDeliver()).isTrue();
  }

  @Test
  void wildcardCertificatesCoverOneLabel() {
    assertThat(
            VERIFIER
                .verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, chain("*.example.net"))
                .failure())
        .isEmpty();
    DomainName deep = DomainName.parse("a.b.example.net");
    MtaStsPolicy deepPolicy =
        new MtaStsPolicy(
            MtaStsMode.ENFORCE,
            List.of(MxPattern.parse("a.b.example.net")),
            Duration.ofDays(1),
            Map.of());
    assertThat(VERIFIER.verify(POLICY_DOMAIN, deepPolicy, deep, chain("*.example.net")).failure())
        .contains(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(
            VERIFIER
                .verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, chain("mx*.example.net"))
                .failure())
        .contains(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
  }

  @Test
  void eachFailureHasItsResultType() {
    MtaStsPolicy enforce = policy(MtaStsMode.ENFORCE);
    List<X509Certificate> expired =
        PKI.issue(
                List.of("mx1.example.net"),
                NOW.minus(Duration.ofDays(100)),
                NOW.minus(Duration.ofDays(1)))
            .chain();
    List<X509Certificate> notYet =
        PKI.issue(
                List.of("mx1.example.net"),
                NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(100)))
            .chain();
    List<X509Certificate> selfSigned =
        TestPki.selfSigned(
                List.of("mx1.example.net"),
                NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(100)))
            .chain();
    TestPki other =
        new TestPki("other root", NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(100)));
    List<X509Certificate> otherCa =
        other
            .issue(
                List.of("mx1.example.net"),
                NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(10)))
            .chain();
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, expired).failure())
        .contains(TlsRptResultType.CERTIFICATE_EXPIRED);
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, notYet).failure())
        .contains(TlsRptResultType.CERTIFICATE_EXPIRED);
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, selfSigned).failure())
        .contains(TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, otherCa).failure())
        .contains(TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, chain("mx2.example.org")).failure())
        .contains(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(VERIFIER.verify(POLICY_DOMAIN, enforce, MX, List.of()).failure())
        .contains(TlsRptResultType.VALIDATION_FAILURE);
    MxVerdict notListed =
        VERIFIER.verify(
            POLICY_DOMAIN,
            enforce,
            DomainName.parse("mx.attacker.example"),
            chain("mx.attacker.example"));
    assertThat(notListed.failure()).contains(TlsRptResultType.VALIDATION_FAILURE);
    assertThat(notListed.detail()).contains("fits none of the policy's mx patterns");
  }

  @Test
  void aChainOfTheAuthorityAloneFails() {
    // Without the leaf, the CA certificate names no host and is no server certificate.
    List<X509Certificate> caOnly = List.of(PKI.ca().certificate());
    assertThat(VERIFIER.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, caOnly).failure())
        .isPresent();
  }

  @Test
  void theModeDecidesWhatAFailureMeans() {
    List<X509Certificate> wrongName = chain("other.example.org");
    MxVerdict enforce = VERIFIER.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, wrongName);
    assertThat(enforce.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(enforce.mayDeliver()).isFalse();
    MxVerdict testing = VERIFIER.verify(POLICY_DOMAIN, policy(MtaStsMode.TESTING), MX, wrongName);
    assertThat(testing.action()).isEqualTo(MxVerdict.Action.DELIVER_AND_REPORT);
    assertThat(testing.failure()).contains(TlsRptResultType.CERTIFICATE_HOST_MISMATCH);
    MtaStsPolicy none = new MtaStsPolicy(MtaStsMode.NONE, List.of(), Duration.ofDays(1), Map.of());
    MxVerdict off = VERIFIER.verify(POLICY_DOMAIN, none, MX, wrongName);
    assertThat(off.action()).isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(off.failure()).isEmpty();
  }

  @Test
  void aChainThatIncludesTheRootVerifies() {
    List<X509Certificate> withRoot = new ArrayList<>(chain("mx1.example.net"));
    assertThat(withRoot).hasSize(2); // leaf and the root that issued it
    assertThat(VERIFIER.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, withRoot).failure())
        .isEmpty();
    assertThat(
            VERIFIER
                .verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, withRoot.subList(0, 1))
                .failure())
        .isEmpty();
  }

  @Test
  void lookupsWithoutAPolicyAlwaysDeliver() {
    PolicyLookup none =
        new PolicyLookup(
            DomainName.parse("example.org"),
            Optional.empty(),
            PolicyLookup.Source.NONE,
            PolicyLookup.RecordStatus.NOT_FOUND,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            "no record");
    assertThat(VERIFIER.verify(none, MX, List.of()).action()).isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(VERIFIER.noStartTls(none, MX).action()).isEqualTo(MxVerdict.Action.DELIVER);
    PolicyLookup enforced =
        new PolicyLookup(
            DomainName.parse("example.com"),
            Optional.of(
                new CachedPolicy(
                    DomainName.parse("example.com"), "1", policy(MtaStsMode.ENFORCE), NOW)),
            PolicyLookup.Source.CACHED,
            PolicyLookup.RecordStatus.DNS_TEMPORARY_FAILURE,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            "cached");
    MxVerdict noTls = VERIFIER.noStartTls(enforced, MX);
    assertThat(noTls.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(noTls.failure()).contains(TlsRptResultType.STARTTLS_NOT_SUPPORTED);
    MxVerdict broken = VERIFIER.handshakeFailed(enforced, MX, "protocol_version");
    assertThat(broken.action()).isEqualTo(MxVerdict.Action.DO_NOT_DELIVER);
    assertThat(broken.failure()).contains(TlsRptResultType.VALIDATION_FAILURE);
    assertThat(broken.failureReasonCode()).contains("protocol_version");
    assertThat(VERIFIER.handshakeFailed(none, MX, "protocol_version").action())
        .isEqualTo(MxVerdict.Action.DELIVER);
    assertThat(VERIFIER.verify(enforced, MX, chain("mx1.example.net")).action())
        .isEqualTo(MxVerdict.Action.DELIVER);
  }

  @Test
  void theJdkTrustAnchorsDoNotTrustTheTestRoot() {
    MxTlsVerifier jdk = MxTlsVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    assertThat(
            jdk.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, chain("mx1.example.net"))
                .failure())
        .contains(TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
  }

  @Test
  void aVerdictCarriesWhatAReportNeeds() throws Exception {
    MtaStsPolicy testing = policy(MtaStsMode.TESTING);
    MxVerdict verdict =
        VERIFIER
            .verify(POLICY_DOMAIN, testing, MX, chain("other.example.net"))
            .withReceivingIp(java.net.InetAddress.getByName("192.0.2.25"))
            .withReceivingHelo("mx1.example.net");
    assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DELIVER_AND_REPORT);
    assertThat(verdict.mxHost()).isEqualTo(MX);
    assertThat(verdict.policyDomain()).isEqualTo(POLICY_DOMAIN);
    assertThat(verdict.policy().type()).isEqualTo(TlsRptPolicyType.STS);
    assertThat(verdict.policy().strings())
        .containsExactly(
            "version: STSv1",
            "mode: testing",
            "mx: mail.example.com",
            "mx: *.example.net",
            "max_age: 604800");
    assertThat(verdict.policy().mxHosts()).containsExactly("mail.example.com", "*.example.net");
    assertThat(verdict.receivingIp()).contains(java.net.InetAddress.getByName("192.0.2.25"));
    assertThat(verdict.receivingHelo()).contains("mx1.example.net");
    assertThat(verdict.toBuilder().build()).isEqualTo(verdict);
  }

  @Test
  void anUntrustedChainCarriesTheJdkReasonAsTheFailureReasonCode() {
    MxTlsVerifier jdk = MxTlsVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    MxVerdict verdict =
        jdk.verify(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE), MX, chain("mx1.example.net"));
    assertThat(verdict.failure()).contains(TlsRptResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(verdict.failureReasonCode()).contains("NO_TRUST_ANCHOR");
  }

  @Test
  void aPolicyThatCouldNotBeFetchedIsDeliveredAndReported() {
    PolicyLookup failed =
        new PolicyLookup(
            POLICY_DOMAIN,
            Optional.empty(),
            PolicyLookup.Source.NONE,
            PolicyLookup.RecordStatus.VALID,
            Optional.of(MtaStsRecord.parse("v=STSv1; id=1")),
            Optional.of(new FetchFailure(FetchFailure.Kind.TIMEOUT, "read timed out")),
            List.of(),
            "the fetch failed");
    assertThat(failed.noPolicyReason()).contains(PolicyLookup.NoPolicyReason.FETCH_FAILED);
    MxVerdict verdict = VERIFIER.verify(failed, MX, chain("mx1.example.net"));
    assertThat(verdict.action()).isEqualTo(MxVerdict.Action.DELIVER_AND_REPORT);
    assertThat(verdict.failure()).contains(TlsRptResultType.STS_POLICY_FETCH_ERROR);
    assertThat(verdict.policy()).isEqualTo(TlsRptPolicy.stsUnavailable(POLICY_DOMAIN));
  }

  @Test
  void everyResultTypeAndPolicyTypeReadsBackFromItsToken() {
    for (TlsRptResultType type : TlsRptResultType.values()) {
      assertThat(TlsRptResultType.fromToken(type.token())).contains(type);
    }
    assertThat(TlsRptResultType.fromToken("tlsa-invalid")).contains(TlsRptResultType.TLSA_INVALID);
    assertThat(TlsRptResultType.fromToken("TLSA-INVALID")).isEmpty();
    for (TlsRptPolicyType type : TlsRptPolicyType.values()) {
      assertThat(TlsRptPolicyType.fromToken(type.token())).contains(type);
    }
  }

  @Test
  void aVerdictCannotContradictItself() {
    TlsRptPolicy policy = TlsRptPolicy.sts(POLICY_DOMAIN, policy(MtaStsMode.ENFORCE));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MxVerdict.builder(MxVerdict.Action.DO_NOT_DELIVER, MtaStsMode.ENFORCE, MX, policy)
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MxVerdict.builder(MxVerdict.Action.DELIVER, MtaStsMode.ENFORCE, MX, policy)
                    .failure(TlsRptResultType.CERTIFICATE_EXPIRED)
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MxVerdict.builder(MxVerdict.Action.DELIVER, MtaStsMode.ENFORCE, MX, policy)
                    .failureReasonCode("EXPIRED")
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
