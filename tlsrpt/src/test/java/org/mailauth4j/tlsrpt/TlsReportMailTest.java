package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.CLOCK;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ED25519;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.POLICY_DOMAIN;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.SUBMITTER;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.ascii;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.golden;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.gunzip;
import static org.mailauth4j.tlsrpt.DeliveryFixtures.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimProblem;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

class TlsReportMailTest {
  private static final String TOKEN = "c0ffee01";
  private static final String FILENAME =
      "mail.sender.example!example.com!1777593600!1777680000!" + TOKEN + ".json.gz";

  private static TlsReportMail.Builder mail() {
    return TlsReportMail.builder("tlsrpt@mail.sender.example")
        .dkimKey(SUBMITTER, "tlsrpt", ED25519)
        .clock(CLOCK)
        .uniqueIds(() -> TOKEN);
  }

  private static byte[] compose(TlsReport report) {
    return mail().build().compose(report, POLICY_DOMAIN, "tlsrpt@example.com");
  }

  /** The published key record, with the service type RFC 8460 §3 asks for. */
  private static ZoneFileResolver keys(String selector, DkimSigningKey key, String services) {
    String record = key.keyRecord().replace("; p=", "; s=" + services + "; p=");
    return ZoneFileResolver.fromZoneText(
        selector + "._domainkey.mail.sender.example. IN TXT " + TxtRecord.split(record) + "\n");
  }

  private static DkimVerification verifyForTlsrpt(byte[] message, ZoneFileResolver dns) {
    return DkimVerifier.builder(dns).clock(CLOCK).serviceType("tlsrpt").build().verify(message);
  }

  // --- a small view of the parsed message, read back with mime4j ---

  /** One entity: its header fields (unfolded, in order), media type and decoded body. */
  record Entity(List<RawField> fields, String mimeType, byte[] body) {
    String field(String name) {
      List<String> values =
          fields.stream()
              .filter(f -> f.getName().equalsIgnoreCase(name))
              .map(RawField::getBody)
              .toList();
      assertThat(values).as(name).hasSize(1);
      return values.get(0);
    }

    Map<String, String> params(String name) {
      RawBody body = RawFieldParser.DEFAULT.parseRawBody(new RawField(name, field(name)));
      Map<String, String> params = new LinkedHashMap<>();
      params.put("", body.getValue());
      for (NameValuePair p : body.getParams()) {
        params.put(p.getName().toLowerCase(Locale.ROOT), p.getValue());
      }
      return params;
    }
  }

  /** The message's entities: the top one first, then its parts in order. */
  static List<Entity> parse(byte[] message) throws IOException, MimeException {
    MimeTokenStream stream =
        new MimeTokenStream(new MimeConfig.Builder().setStrictParsing(true).build());
    stream.parse(new ByteArrayInputStream(message));
    List<Entity> entities = new ArrayList<>();
    List<RawField> fields = new ArrayList<>();
    for (EntityState state = stream.getState();
        state != EntityState.T_END_OF_STREAM;
        state = stream.next()) {
      switch (state) {
        case T_START_HEADER:
          fields = new ArrayList<>();
          break;
        case T_FIELD:
          fields.add(
              new RawField(
                  stream.getField().getName(), stream.getField().getBody().replace("\r\n", "")));
          break;
        case T_START_MULTIPART:
          entities.add(new Entity(fields, stream.getBodyDescriptor().getMimeType(), new byte[0]));
          break;
        case T_BODY:
          try (InputStream in = stream.getDecodedInputStream()) {
            entities.add(
                new Entity(fields, stream.getBodyDescriptor().getMimeType(), in.readAllBytes()));
          }
          break;
        default:
          break;
      }
    }
    return entities;
  }

  private static String headerBlock(byte[] message) {
    String text = ascii(message);
    return text.substring(0, text.indexOf("\r\n\r\n") + 2);
  }

  // --- the tests ---

  @Test
  void writesTheExpectedMessage() throws IOException {
    // Ed25519 signatures are deterministic; with a fixed clock and token the message is too. The
    // JSON form keeps the golden file independent of the zlib build.
    byte[] message =
        mail().compress(false).build().compose(report(), POLICY_DOMAIN, "tlsrpt@example.com");
    assertThat(ascii(message)).isEqualTo(golden("report-mail.eml", ascii(message)));
  }

  @Test
  void hasTheStructureAndFieldsOfRfc8460Section53() throws Exception {
    byte[] message = compose(report());
    List<Entity> entities = parse(message);

    assertThat(entities)
        .extracting(Entity::mimeType)
        .containsExactly("multipart/report", "text/plain", "application/tlsrpt+gzip");
    Entity top = entities.get(0);
    assertThat(top.field("From")).isEqualTo("tlsrpt@mail.sender.example");
    assertThat(top.field("To")).isEqualTo("tlsrpt@example.com");
    assertThat(top.field("Date")).isEqualTo("Sat, 02 May 2026 03:04:05 +0000");
    assertThat(top.field("Message-ID")).isEqualTo("<c0ffee01@mail.sender.example>");
    assertThat(top.field("Subject"))
        .isEqualTo(
            "Report Domain: example.com Submitter: mail.sender.example"
                + " Report-ID: <a5a891d739c39a945109eb91c770578c@mail.sender.example>");
    assertThat(top.field("TLS-Report-Domain")).isEqualTo("example.com");
    assertThat(top.field("TLS-Report-Submitter")).isEqualTo("mail.sender.example");
    assertThat(top.field("MIME-Version")).isEqualTo("1.0");
    assertThat(top.params("Content-Type"))
        .containsEntry("", "multipart/report")
        .containsEntry("report-type", "tlsrpt")
        .containsKey("boundary");

    Entity text = entities.get(1);
    assertThat(new String(text.body(), StandardCharsets.US_ASCII))
        .contains("mail.sender.example", "example.com", "10 successful and 2 failed");

    Entity attachment = entities.get(2);
    assertThat(attachment.field("Content-Transfer-Encoding")).isEqualTo("base64");
    assertThat(attachment.params("Content-Disposition"))
        .containsEntry("", "attachment")
        .containsEntry("filename", FILENAME);
    assertThat(attachment.params("Content-Type")).containsEntry("name", FILENAME);
    assertThat(gunzip(attachment.body())).isEqualTo(TlsReportJson.toJson(report()));
  }

  @Test
  void endsEveryLineWithCrlfAndKeepsLinesShort() {
    String text = ascii(compose(report()));
    assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
    String body = text.substring(text.indexOf("Content-Transfer-Encoding: base64"));
    for (String line : text.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(998);
    }
    for (String line : body.substring(body.indexOf("\r\n\r\n") + 4).split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
    }
    assertThat(text.chars()).allMatch(c -> c < 0x80);
  }

  @Test
  void namesTheUncompressedReportAsJson() throws Exception {
    byte[] message =
        mail().compress(false).build().compose(report(), POLICY_DOMAIN, "tlsrpt@example.com");
    Entity attachment = parse(message).get(2);
    assertThat(attachment.mimeType()).isEqualTo("application/tlsrpt+json");
    assertThat(attachment.params("Content-Disposition"))
        .containsEntry("filename", FILENAME.replace(".json.gz", ".json"));
    assertThat(attachment.body()).isEqualTo(TlsReportJson.toJson(report()));
  }

  @Test
  void isSignedSoThatAReportReaderVerifiesItWithAnSTlsrptKey() {
    byte[] message = compose(report());
    DkimVerification verification = verifyForTlsrpt(message, keys("tlsrpt", ED25519, "tlsrpt"));

    assertThat(verification.result()).as(verification.toString()).isEqualTo(DkimResult.PASS);
    DkimOutcome outcome = verification.outcomes().get(0);
    assertThat(outcome.domain()).contains(SUBMITTER);
    assertThat(outcome.signature().orElseThrow().bodyLength()).isEmpty(); // RFC 8460 §3: no l=
    assertThat(
            outcome.signature().orElseThrow().signedHeaders().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)))
        .contains(
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "tls-report-domain",
            "tls-report-submitter",
            "mime-version",
            "content-type");
  }

  @Test
  void signsWithEveryKeyGiven() {
    DkimSigningKey rsa = DkimSigningKey.generateRsa(2048);
    byte[] message =
        TlsReportMail.builder("tlsrpt@mail.sender.example")
            .dkimKey(SUBMITTER, "rsa", rsa)
            .dkimKey(SUBMITTER, "ed", ED25519)
            .clock(CLOCK)
            .build()
            .compose(report(), POLICY_DOMAIN, "tlsrpt@example.com");
    String zone =
        "rsa._domainkey.mail.sender.example. IN TXT "
            + TxtRecord.split(rsa.keyRecord().replace("; p=", "; s=tlsrpt; p="))
            + "\ned._domainkey.mail.sender.example. IN TXT "
            + TxtRecord.split(ED25519.keyRecord())
            + "\n";
    DkimVerification verification = verifyForTlsrpt(message, ZoneFileResolver.fromZoneText(zone));
    assertThat(verification.outcomes())
        .extracting(DkimOutcome::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS);
  }

  @Test
  void doesNotVerifyForAReportReaderWithAKeyForEmailOnly() {
    DkimVerification verification =
        verifyForTlsrpt(compose(report()), keys("tlsrpt", ED25519, "email"));
    assertThat(verification.outcomes().get(0).problem())
        .contains(DkimProblem.KEY_SERVICE_NOT_ALLOWED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "TLS-Report-Domain: example.com\r\n",
        "TLS-Report-Submitter: mail.sender.example\r\n",
        "Subject: Report Domain: example.org\r\n",
        "Content-Type: text/plain\r\n"
      })
  void breaksWhenAnotherSignedFieldIsAddedOnTop(String field) {
    byte[] message = compose(report());
    byte[] tampered = (field + ascii(message)).getBytes(StandardCharsets.US_ASCII);
    DkimVerification verification = verifyForTlsrpt(tampered, keys("tlsrpt", ED25519, "tlsrpt"));
    assertThat(verification.result()).isEqualTo(DkimResult.FAIL);
  }

  @Test
  void breaksWhenThePolicyDomainFieldIsChanged() {
    String message = ascii(compose(report()));
    byte[] tampered =
        message
            .replace("TLS-Report-Domain: example.com", "TLS-Report-Domain: example.org")
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(verifyForTlsrpt(tampered, keys("tlsrpt", ED25519, "tlsrpt")).result())
        .isEqualTo(DkimResult.FAIL);
  }

  /** The subject's stand-in for an id not of §5.3's form: a digest of it, at the submitter. */
  private static final String STAND_IN = "<[0-9a-f]{32}@mail\\.sender\\.example>";

  static Stream<Arguments> hostileReportIds() {
    return Stream.of(
        Arguments.of(
            Named.of("CRLF and a Bcc field", "r1\r\nBcc: evil@attacker.example"), STAND_IN),
        Arguments.of(Named.of("bare LF", "r2\nX-Injected: yes"), STAND_IN),
        Arguments.of(Named.of("bare CR", "r3\rX-Injected: yes"), STAND_IN),
        Arguments.of(Named.of("NUL and DEL", "r4\u0000\u007f@host"), STAND_IN),
        Arguments.of(Named.of("non-ASCII", "報告-2026-05-01@example.net"), STAND_IN),
        Arguments.of(Named.of("bidi override", "r5\u202eexe.txt@host"), STAND_IN),
        Arguments.of(Named.of("line separator", "r6\u2028Bcc: evil@attacker.example"), STAND_IN),
        Arguments.of(Named.of("looks like an encoded word", "=?UTF-8?B?SGk=?="), STAND_IN),
        Arguments.of(Named.of("a space", "r7 x@host"), STAND_IN),
        Arguments.of(Named.of("no @", "2026-05-01T00:00:00Z_example.com"), STAND_IN),
        Arguments.of(Named.of("two dots in a row", "r8..x@host"), STAND_IN),
        Arguments.of(Named.of("very long", "x".repeat(2000) + "@host"), STAND_IN),
        Arguments.of(
            Named.of("as the recorder makes them", "2026-05-01-example.com-0a1b2c@mail.example"),
            "<2026-05-01-example\\.com-0a1b2c@mail\\.example>"),
        Arguments.of(Named.of("already in angle brackets", "<r9@host>"), "<r9@host>"),
        Arguments.of(
            Named.of("atext specials", "a!#$%&'*+-/=?^_`{|}~z@host"),
            "<a!#\\$%&'\\*\\+-/=\\?\\^_`\\{\\|\\}~z@host>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReportIds")
  void keepsReportDataFromMakingHeaderFields(String reportId, String subjectIdPattern)
      throws Exception {
    TlsReport report = report(reportId, Optional.of("tlsrpt@mail.sender.example"));
    byte[] message = compose(report);

    String header = headerBlock(message);
    List<String> names = new ArrayList<>();
    for (String line : header.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(998);
      if (!line.startsWith(" ") && !line.startsWith("\t")) {
        names.add(line.substring(0, line.indexOf(':')));
      }
    }
    assertThat(names)
        .containsExactly(
            "DKIM-Signature",
            "From",
            "Date",
            "To",
            "Subject",
            "Message-ID",
            "TLS-Report-Domain",
            "TLS-Report-Submitter",
            "MIME-Version",
            "Content-Type");
    assertThat(ascii(message).chars()).allMatch(c -> c < 0x80);
    // RFC 8460 §5.3: "Report-ID:" FWS "<" id-left "@" id-right ">", nothing encoded.
    String subject = parse(message).get(0).field("Subject");
    assertThat(subject)
        .matches(
            "Report Domain: example\\.com Submitter: mail\\.sender\\.example Report-ID: "
                + subjectIdPattern);
    // The JSON keeps the id as it is, and the signature holds.
    assertThat(gunzip(parse(message).get(2).body())).isEqualTo(TlsReportJson.toJson(report));
    assertThat(verifyForTlsrpt(message, keys("tlsrpt", ED25519, "tlsrpt")).result())
        .isEqualTo(DkimResult.PASS);
  }

  static Stream<Arguments> contactsNotAtTheSubmitter() {
    return Stream.of(
        Arguments.of(Named.of("no contact-info", Optional.empty())),
        Arguments.of(Named.of("another domain", Optional.of("tlsrpt@other.example"))),
        Arguments.of(Named.of("a subdomain", Optional.of("tlsrpt@eu.mail.sender.example"))),
        Arguments.of(Named.of("a parent domain", Optional.of("tlsrpt@sender.example"))),
        Arguments.of(Named.of("not an address", Optional.of("call us"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contactsNotAtTheSubmitter")
  void refusesAReportWhoseContactIsNotAtTheSubmitter(Optional<String> contact) {
    TlsReport report = report("r", contact);
    TlsReportMail mail = mail().build();
    assertThatThrownBy(() -> mail.compose(report, POLICY_DOMAIN, "tlsrpt@example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contact-info");
  }

  @Test
  void acceptsAContactWrittenInAnotherCase() {
    TlsReport report = report("r", Optional.of("TLSRPT@Mail.Sender.Example"));
    assertThat(compose(report)).isNotEmpty();
  }

  @Test
  void takesTheSubmitterFromItsOwnSetting() throws Exception {
    TlsReport report = report("r", Optional.of("reports@sender.example"));
    byte[] message =
        mail()
            .submitter(DomainName.parse("sender.example"))
            .dkimKey(DomainName.parse("sender.example"), "tlsrpt", ED25519)
            .build()
            .compose(report, POLICY_DOMAIN, "tlsrpt@example.com");
    assertThat(parse(message).get(0).field("TLS-Report-Submitter")).isEqualTo("sender.example");
  }

  @Test
  void refusesAReportAboutAnotherPolicyDomain() {
    TlsReportMail mail = mail().build();
    assertThatThrownBy(
            () -> mail.compose(report(), DomainName.parse("example.org"), "tlsrpt@example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another domain");
  }

  @ParameterizedTest(name = "refuses recipient {0}")
  @ValueSource(
      strings = {
        "tlsrpt@example.com\r\nBcc: evil@attacker.example",
        "tlsrpt@example.com\n",
        "Reports <tlsrpt@example.com>",
        "tlsrpt@example.com, evil@attacker.example",
        "two words@example.com",
        "\"quoted\"@example.com",
        "tlsrpt@exa_mple.com",
        "tlsrpt@bücher.example",
        "berichte@bücher.example",
        "tlsrpt@",
        "@example.com",
        "tlsrpt",
        ".tlsrpt@example.com",
        "tls..rpt@example.com"
      })
  void refusesRecipientsThatAreNotPlainAddresses(String recipient) {
    TlsReportMail mail = mail().build();
    assertThatThrownBy(() -> mail.compose(report(), POLICY_DOMAIN, recipient))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnUnsignedOrMisconfiguredComposer() {
    assertThatThrownBy(() -> TlsReportMail.builder("tlsrpt@mail.sender.example").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TlsReportMail.builder("not an address"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mail().submitter(DomainName.parse("_tls.example")))
        .isInstanceOf(IllegalArgumentException.class);
    TlsReportMail badIds = mail().uniqueIds(() -> "not-alphanumeric").build();
    assertThatThrownBy(() -> badIds.compose(report(), POLICY_DOMAIN, "tlsrpt@example.com"))
        .isInstanceOf(IllegalStateException.class);
  }

  static Stream<Arguments> keysThatSignForTheSubmitter() {
    return Stream.of(
        Arguments.of(
            Named.of("the submitter's own domain", List.of("mail.sender.example")),
            Optional.empty()),
        Arguments.of(
            Named.of("a parent of the submitter", List.of("sender.example")), Optional.empty()),
        Arguments.of(
            Named.of("the submitter's domain in another case", List.of("Mail.Sender.EXAMPLE")),
            Optional.empty()),
        Arguments.of(
            Named.of(
                "another domain's key beside the submitter's",
                List.of("esp.example", "mail.sender.example")),
            Optional.empty()),
        Arguments.of(
            Named.of("the domain of a submitter set apart from From", List.of("sender.example")),
            Optional.of("sender.example")));
  }

  @ParameterizedTest(name = "signs with a key of {0}")
  @MethodSource("keysThatSignForTheSubmitter")
  void signsWhenAKeyIsTheSubmittersOrAParentsOfIt(
      List<String> keyDomains, Optional<String> submitter) {
    TlsReportMail.Builder builder =
        TlsReportMail.builder("tlsrpt@mail.sender.example").clock(CLOCK).uniqueIds(() -> TOKEN);
    submitter.ifPresent(s -> builder.submitter(DomainName.parse(s)));
    StringBuilder zone = new StringBuilder();
    for (String d : keyDomains) {
      builder.dkimKey(DomainName.parse(d), "tlsrpt", ED25519);
      zone.append("tlsrpt._domainkey.")
          .append(d)
          .append(". IN TXT ")
          .append(TxtRecord.split(ED25519.keyRecord()))
          .append('\n');
    }
    TlsReportMail mail = builder.build();
    TlsReport report = report("r", Optional.of("tlsrpt@" + mail.submitter()));

    byte[] message = mail.compose(report, POLICY_DOMAIN, "tlsrpt@example.com");

    DkimVerification verification =
        verifyForTlsrpt(message, ZoneFileResolver.fromZoneText(zone.toString()));
    assertThat(verification.outcomes())
        .extracting(o -> o.result() + " d=" + o.domain().map(DomainName::toString).orElse("?"))
        .containsExactlyInAnyOrderElementsOf(
            keyDomains.stream().map(d -> "PASS d=" + d.toLowerCase(Locale.ROOT)).toList());
  }

  static Stream<Arguments> keysThatDoNotSignForTheSubmitter() {
    return Stream.of(
        Arguments.of(
            Named.of("a subdomain of the submitter", "eu.mail.sender.example"), Optional.empty()),
        Arguments.of(
            Named.of("a sibling of the submitter", "other.sender.example"), Optional.empty()),
        Arguments.of(Named.of("another organisation", "other.example"), Optional.empty()),
        Arguments.of(
            Named.of("a name that only ends like a parent", "ender.example"), Optional.empty()),
        Arguments.of(
            Named.of("the From domain when the submitter is another", "mail.sender.example"),
            Optional.of("reports.example")));
  }

  @ParameterizedTest(name = "refuses a key of {0}")
  @MethodSource("keysThatDoNotSignForTheSubmitter")
  void refusesKeysNoneOfWhichSignsForTheSubmitter(String keyDomain, Optional<String> submitter) {
    TlsReportMail.Builder builder =
        TlsReportMail.builder("tlsrpt@mail.sender.example")
            .dkimKey(DomainName.parse(keyDomain), "tlsrpt", ED25519);
    submitter.ifPresent(s -> builder.submitter(DomainName.parse(s)));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no DKIM key signs for the submitter")
        .hasMessageContaining("RFC 8460 §3");
  }

  @Test
  void drawsAFreshTokenForEveryMessageByDefault() throws Exception {
    TlsReportMail mail =
        TlsReportMail.builder("tlsrpt@mail.sender.example")
            .dkimKey(SUBMITTER, "tlsrpt", ED25519)
            .build();
    String first =
        parse(mail.compose(report(), POLICY_DOMAIN, "a@example.com")).get(0).field("Message-ID");
    String second =
        parse(mail.compose(report(), POLICY_DOMAIN, "a@example.com")).get(0).field("Message-ID");
    assertThat(first).isNotEqualTo(second).matches("<[0-9a-f]{32}@mail\\.sender\\.example>");
  }
}
