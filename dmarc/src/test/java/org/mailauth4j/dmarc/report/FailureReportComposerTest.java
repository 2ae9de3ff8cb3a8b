package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.FailureOption;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dmarc.report.FailureReport.AuthFailure;
import org.mailauth4j.dmarc.report.FailureReport.IdentityAlignment;
import org.mailauth4j.dmarc.report.FailureReportComposer.NoReport;
import org.mailauth4j.dns.DnsResolver;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.ZoneFileResolver;
import org.mailauth4j.testkit.MutableClock;

/**
 * Failure reports composed from real authentications over one zone, read back with {@link
 * FailureReportReader}: the fo decision, the reasons for no report, redaction, the rate limit, the
 * DKIM signature, and hostile values.
 */
class FailureReportComposerTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final DkimSigningKey SENDER_KEY = DkimSigningKey.generateEd25519();
  private static final DkimSigningKey REPORT_KEY = DkimSigningKey.generateEd25519();
  private static final InetAddress GOOD = address("192.0.2.25");
  private static final InetAddress BAD = address("198.51.100.9");

  private static final String ZONE =
      """
      example.com. TXT "v=spf1 ip4:192.0.2.25 -all"
      _dmarc.example.com. TXT "v=DMARC1; p=reject; fo=1; ruf=mailto:ruf@example.com,mailto:ruf2@example.com"
      zero.example. TXT "v=spf1 ip4:192.0.2.25 -all"
      _dmarc.zero.example. TXT "v=DMARC1; p=quarantine; fo=0; ruf=mailto:ruf@zero.example"
      quiet.example. TXT "v=spf1 -all"
      _dmarc.quiet.example. TXT "v=DMARC1; p=reject; rua=mailto:rua@quiet.example"
      psd.example. TXT "v=spf1 -all"
      _dmarc.psd.example. TXT "v=DMARC1; p=reject; psd=y; ruf=mailto:ruf@psd.example"
      nopolicy.example. TXT "v=spf1 -all"
      """
          + "ed._domainkey.example.com. TXT \""
          + SENDER_KEY.keyRecord()
          + "\"\n"
          + "rep._domainkey.reports.example.org. TXT \""
          + REPORT_KEY.keyRecord()
          + "\"\n";

  private static final DnsResolver DNS = ZoneFileResolver.builder().zone(ZONE).build();
  private static final MessageAuthenticator AUTHENTICATOR =
      MessageAuthenticator.builder(DNS, "mx.example.org").build();
  private static final FailureReportReader READER = FailureReportReader.builder().build();
  private static final List<ReportUri> RUF =
      List.of(
          ReportUri.parse("mailto:ruf@example.com"), ReportUri.parse("mailto:ruf2@example.com"));

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] message(String from, String extraHeaders) {
    return ("From: "
            + from
            + "\r\nTo: Bob <bob.smith@example.org>\r\nSubject: quarterly figures\r\n"
            + "Date: Tue, 1 Dec 2026 09:59:00 +0000\r\nMessage-ID: <m1.abc@example.com>\r\n"
            + extraHeaders
            + "\r\nHello Bob, the figures are attached.\r\n")
        .getBytes(UTF_8);
  }

  private static byte[] signed(byte[] message) {
    return DkimSigner.builder()
        .key(DomainName.parse("example.com"), "ed", SENDER_KEY)
        .clock(CLOCK)
        .build()
        .signMessage(message);
  }

  private static FailureReportComposer.Builder composer() {
    return FailureReportComposer.builder("dmarc-failures@reports.example.org")
        .userAgent("ExampleMTA/2.1")
        .reportingMta("mx.example.org")
        .clock(CLOCK)
        .uniqueIds(() -> "0123456789abcdef")
        .throttle(FailureReportThrottle.unlimited());
  }

  private static MessageAuthentication authenticate(byte[] m, InetAddress ip, String mailFrom) {
    return AUTHENTICATOR.authenticate(m, ip, "mail.example.net", mailFrom);
  }

  @Test
  @DisplayName("a forged message gives an auth-failure report that reads back as composed")
  void aForgedMessageGivesAReportThatReadsBack() {
    byte[] m = message("Alice <alice@example.com>", "");
    MessageAuthentication auth = authenticate(m, BAD, "alice@example.com");
    FailureReportComposer.Result r =
        composer()
            .build()
            .compose(
                auth,
                m,
                RUF,
                FailureReportComposer.Envelope.builder()
                    .rcptTo(List.of("bob.smith@example.org"))
                    .envelopeId("Q1234")
                    .sourcePort(40123)
                    .deliveryResult(FailureReport.DeliveryResult.REJECT)
                    .build());

    assertThat(r.isComposed()).as(r.detail()).isTrue();
    assertThat(r.recipients()).containsExactly("ruf@example.com", "ruf2@example.com");
    assertThat(r.dueOptions()).containsExactly(FailureOption.ANY);
    byte[] bytes = r.message().orElseThrow();
    FailureReport read = READER.read(bytes);
    assertThat(read).isEqualTo(r.report().orElseThrow());
    assertThat(read.feedbackType()).isEqualTo(FailureReport.FeedbackType.AUTH_FAILURE);
    assertThat(read.authFailure()).hasValue(AuthFailure.DMARC);
    assertThat(read.version()).hasValue(1);
    assertThat(read.userAgent()).hasValue("ExampleMTA/2.1");
    // RFC 9991 §5: SPF's aligned identifier (example.com) failed; there is no DKIM signature.
    assertThat(read.identityAlignment()).hasValue(IdentityAlignment.SPF);
    assertThat(read.sourceIp()).hasValue(BAD);
    assertThat(read.sourcePort()).hasValue(40123);
    assertThat(read.reportedDomains()).containsExactly("example.com");
    assertThat(read.arrivalDate()).isPresent();
    assertThat(read.reportingMta()).hasValue("mx.example.org");
    assertThat(read.originalEnvelopeId()).hasValue("Q1234");
    assertThat(read.originalMailFrom()).hasValue("redacted@example.com");
    assertThat(read.originalRcptTo()).containsExactly("redacted@example.org");
    assertThat(read.deliveryResult()).hasValue(FailureReport.DeliveryResult.REJECT);
    assertThat(read.authenticationResults()).singleElement().asString().contains("dmarc=fail");
    assertThat(read.originalFrom()).hasValue("Alice <redacted@example.com>");
    assertThat(read.originalSubject()).hasValue("quarterly figures");
    assertThat(read.originalMessageId()).hasValue("<m1.abc@example.com>");
    assertThat(read.originalBody()).isEmpty();
    String text = new String(bytes, ISO_8859_1);
    assertThat(text)
        .contains("Content-Type: text/rfc822-headers")
        .contains("report-type=feedback-report")
        .doesNotContain("alice@")
        .doesNotContain("bob.smith")
        .doesNotContain("figures are attached");
  }

  @Test
  @DisplayName("a message whose DKIM signature is aligned but broken names DKIM and its signature")
  void aBrokenAlignedSignatureIsNamed() {
    byte[] m = signed(message("Alice <alice@example.com>", ""));
    String tampered = new String(m, ISO_8859_1).replace("Hello Bob", "Hello Eve");
    byte[] t = tampered.getBytes(ISO_8859_1);
    FailureReportComposer.Result r =
        composer().build().compose(authenticate(t, BAD, "alice@example.com"), t, RUF);
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read.identityAlignment()).hasValue(IdentityAlignment.DKIM_AND_SPF);
    assertThat(read.dkimDomain()).hasValue("example.com");
    assertThat(read.dkimSelector()).hasValue("ed");
    assertThat(read).isEqualTo(r.report().orElseThrow());
  }

  @Test
  @DisplayName(
      "fo=1 reports a message that passed DMARC by SPF alone, since DKIM did not pass aligned")
  void foOneReportsAPassingMessageWithoutDkim() {
    byte[] m = message("Alice <alice@example.com>", "");
    FailureReportComposer.Result r =
        composer().build().compose(authenticate(m, GOOD, "alice@example.com"), m, RUF);
    assertThat(r.isComposed()).isTrue();
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read.authFailure()).hasValue(AuthFailure.DMARC);
    assertThat(read.identityAlignment()).hasValue(IdentityAlignment.NONE);
  }

  static Stream<Arguments> noReport() {
    return Stream.of(
        Arguments.of(
            Named.of("no DMARC record", "a@nopolicy.example"), List.of(), NoReport.NO_POLICY),
        Arguments.of(
            Named.of("a record without ruf", "a@quiet.example"),
            List.of("mailto:x@quiet.example"),
            NoReport.NOT_REQUESTED),
        Arguments.of(
            Named.of("a public suffix domain's record (psd=y)", "a@psd.example"),
            List.of("mailto:ruf@psd.example"),
            NoReport.PUBLIC_SUFFIX_POLICY),
        Arguments.of(
            Named.of("fo=0 and SPF passed aligned", "a@zero.example"),
            List.of("mailto:ruf@zero.example"),
            NoReport.NOT_DUE),
        Arguments.of(
            Named.of("only an https ruf", "a@example.com"),
            List.of("https://reports.example.com/ruf"),
            NoReport.NO_RECIPIENT),
        Arguments.of(
            Named.of("a quoted local part that cannot be a header address", "a@example.com"),
            List.of("mailto:%22a%20b%22@example.com"),
            NoReport.NO_RECIPIENT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void noReport(String sender, List<String> ruf, NoReport expected) {
    byte[] m = message(sender, "");
    List<ReportUri> uris = ruf.stream().map(ReportUri::parse).toList();
    FailureReportComposer.Result r =
        composer().build().compose(authenticate(m, GOOD, sender), m, uris);
    assertThat(r.isComposed()).isFalse();
    assertThat(r.noReport()).as(r.detail()).hasValue(expected);
    assertThat(r.message()).isEmpty();
    assertThat(r.recipients()).isEmpty();
  }

  @Test
  @DisplayName("the default throttle refuses past its limit and earns reports back over the window")
  void throttleRefusesAndRecovers() {
    MutableClock clock = new MutableClock(NOW);
    FailureReportComposer c =
        composer().throttle(FailureReportThrottle.perDomain(2, Duration.ofHours(1), clock)).build();
    byte[] m = message("Alice <alice@example.com>", "");
    MessageAuthentication auth = authenticate(m, BAD, "alice@example.com");
    assertThat(c.compose(auth, m, RUF).isComposed()).isTrue();
    assertThat(c.compose(auth, m, RUF).isComposed()).isTrue();
    assertThat(c.compose(auth, m, RUF).noReport()).hasValue(NoReport.THROTTLED);
    clock.advance(Duration.ofMinutes(30));
    assertThat(c.compose(auth, m, RUF).isComposed()).isTrue();
    assertThat(c.compose(auth, m, RUF).noReport()).hasValue(NoReport.THROTTLED);
  }

  @Test
  @DisplayName("with the body asked for, the report carries message/rfc822 and the body reads back")
  void includesTheBodyWhenAsked() {
    byte[] m = message("Alice <alice@example.com>", "");
    FailureReportComposer.Result r =
        composer()
            .redaction(Redaction.builder().includeBody(true).build())
            .build()
            .compose(authenticate(m, BAD, "alice@example.com"), m, RUF);
    byte[] bytes = r.message().orElseThrow();
    assertThat(new String(bytes, ISO_8859_1)).contains("Content-Type: message/rfc822");
    FailureReport read = READER.read(bytes);
    assertThat(read.originalBody().map(b -> new String(b, UTF_8)))
        .hasValue("Hello Bob, the figures are attached.\r\n");
    assertThat(read).isEqualTo(r.report().orElseThrow());
  }

  @Test
  @DisplayName("a keyed hash gives each local part a stable token; named fields are removed")
  void keyedHashAndRemovedFields() {
    byte[] m =
        message("Alice <alice@example.com>", "X-Customer: 4711\r\nCc: alice@example.com\r\n");
    Redaction redaction =
        Redaction.builder()
            .hashLocalParts("a secret of sixteen bytes or more".getBytes(UTF_8))
            .removeFields(List.of("x-customer", "SUBJECT"))
            .build();
    FailureReport read =
        READER.read(
            composer()
                .redaction(redaction)
                .build()
                .compose(authenticate(m, BAD, "alice@example.com"), m, RUF)
                .message()
                .orElseThrow());
    String token = redaction.replacement("alice");
    assertThat(token).hasSize(8).isNotEqualTo(redaction.replacement("bob.smith"));
    assertThat(read.originalFrom()).hasValue("Alice <" + token + "@example.com>");
    assertThat(read.originalHeaders().orElseThrow())
        .contains("Cc: " + token + "@example.com")
        .doesNotContain("X-Customer")
        .doesNotContain("Subject");
    assertThat(read.originalSubject()).isEmpty();
  }

  @Test
  @DisplayName("local parts are kept when the redaction says so")
  void keepsLocalParts() {
    byte[] m = message("Alice <alice@example.com>", "");
    FailureReport read =
        READER.read(
            composer()
                .redaction(Redaction.builder().keepLocalParts().build())
                .build()
                .compose(authenticate(m, BAD, "alice@example.com"), m, RUF)
                .message()
                .orElseThrow());
    assertThat(read.originalMailFrom()).hasValue("alice@example.com");
    assertThat(read.originalFrom()).hasValue("Alice <alice@example.com>");
  }

  @Test
  @DisplayName("the report is DKIM-signed for its From domain and verifies")
  void signsTheReport() {
    byte[] m = message("Alice <alice@example.com>", "");
    byte[] report =
        composer()
            .dkimKey(DomainName.parse("reports.example.org"), "rep", REPORT_KEY)
            .build()
            .compose(authenticate(m, BAD, "alice@example.com"), m, RUF)
            .message()
            .orElseThrow();
    assertThat(new String(report, ISO_8859_1)).startsWith("DKIM-Signature:");
    assertThat(DkimVerifier.builder(DNS).clock(CLOCK).build().verify(report).result())
        .isEqualTo(DkimResult.PASS);
  }

  @Test
  @DisplayName("a key that does not sign for the From domain is refused at build time")
  void refusesAnUnalignedKey() {
    assertThatThrownBy(
            () -> composer().dkimKey(DomainName.parse("example.net"), "rep", REPORT_KEY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reports.example.org");
  }

  static Stream<Arguments> injection() {
    return Stream.of(
        Arguments.of(
            Named.of("CR LF in the envelope id", "Q1\r\nBcc: victim@example.net"), "x@example.org"),
        Arguments.of(Named.of("LF in a recipient", "Q1"), "x@example.org\nBcc: victim@example.net"),
        Arguments.of(Named.of("NUL in the envelope id", "Q\u00001"), "x@example.org"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void injection(String envelopeId, String rcpt) {
    byte[] m = message("Alice <alice@example.com>", "");
    FailureReportComposer.Result r =
        composer()
            .build()
            .compose(
                authenticate(m, BAD, "alice@example.com"),
                m,
                RUF,
                FailureReportComposer.Envelope.builder()
                    .envelopeId(envelopeId)
                    .rcptTo(List.of(rcpt))
                    .build());
    String text = new String(r.message().orElseThrow(), ISO_8859_1);
    assertThat(text).doesNotContain("Bcc:").doesNotContain("\u0000");
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read.values("Bcc")).isEmpty();
    assertThat(read).isEqualTo(r.report().orElseThrow());
  }

  @Test
  @DisplayName("a bare CR in an original field cannot start a forged field in the report")
  void bareCrInTheOriginalIsDefused() {
    byte[] m = message("Alice <alice@example.com>", "X-Note: one\rFrom: ceo@example.com\r\n");
    FailureReportComposer.Result r =
        composer().build().compose(authenticate(m, BAD, "alice@example.com"), m, RUF);
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read.originalHeaders().orElseThrow())
        .contains("X-Note: one From: redacted@example.com");
    assertThat(read.originalFrom()).hasValue("Alice <redacted@example.com>");
  }

  @Test
  @DisplayName(
      "an original header over the size limit is cut at whole fields, and the text says so")
  void hugeOriginalHeaderIsCut() {
    StringBuilder extra = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      extra.append("X-Filler-").append(i).append(": ").append("y".repeat(60)).append("\r\n");
    }
    byte[] m = message("Alice <alice@example.com>", extra.toString());
    FailureReportComposer.Result r =
        composer()
            .maxOriginalHeaderBytes(8 * 1024)
            .build()
            .compose(authenticate(m, BAD, "alice@example.com"), m, RUF);
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read.originalHeaders().orElseThrow().length()).isLessThanOrEqualTo(8 * 1024);
    assertThat(read.humanReadableText().orElseThrow()).contains("left out for size");
    assertThat(read.originalMessageId()).hasValue("<m1.abc@example.com>");
  }

  @Test
  @DisplayName("an original holding the boundary does not end the part early")
  void boundaryInTheOriginal() {
    byte[] m =
        message(
            "Alice <alice@example.com>", "X-Trap: ------=_dmarc_failure_0123456789abcdef--\r\n");
    FailureReportComposer.Result r =
        composer().build().compose(authenticate(m, BAD, "alice@example.com"), m, RUF);
    FailureReport read = READER.read(r.message().orElseThrow());
    assertThat(read).isEqualTo(r.report().orElseThrow());
    assertThat(read.originalHeaders().orElseThrow()).contains("X-Trap:");
  }
}
