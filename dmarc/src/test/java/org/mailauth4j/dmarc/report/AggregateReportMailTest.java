package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
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
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.DkimVerification;
import org.mailauth4j.dkim.DkimVerifier;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.DmarcVerifier;
import org.mailauth4j.dmarc.IdentifierAlignment;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.MessageAuthenticator;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * {@link AggregateReportMail}: the message read back with mime4j, its DKIM signature verified, and
 * DMARC evaluated over it as a domain owner's receiver would, with the reporter's DMARC record.
 */
class AggregateReportMailTest {
  private static final Instant NOW = Instant.parse("2026-05-02T03:04:05Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Instant BEGIN = Instant.ofEpochSecond(1_777_593_600); // 2026-05-01
  private static final Instant END = BEGIN.plusSeconds(86_399);

  private static final String FROM = "dmarc-reports@mail.receiver.example";
  private static final DomainName FROM_DOMAIN = DomainName.parse("mail.receiver.example");
  private static final String TOKEN = "c0ffee01";
  private static final String REPORT_ID = "r20260501n1";
  private static final String FILENAME =
      "mail.receiver.example!example.com!1777593600!1777679999!" + REPORT_ID + ".xml.gz";

  /** RFC 8032 §7.1 test 1 seed: deterministic Ed25519 signatures. */
  private static final DkimSigningKey ED25519 =
      DkimSigningKey.ofEd25519Seed(
          Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="));

  // --- fixtures ---

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no DNS
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AggregateReport report(String reportId, String policyDomain) {
    ReportMetadata metadata =
        ReportMetadata.builder()
            .organizationName("Receiver Example")
            .email(FROM)
            .reportId(reportId)
            .dateRange(BEGIN, END)
            .build();
    PublishedPolicy policy =
        PublishedPolicy.of(
            DomainName.parse("example.com"),
            DmarcRecord.parse("v=DMARC1; p=reject; rua=mailto:d@example.com"),
            DmarcProfile.RFC9989);
    if (!policyDomain.equals("example.com")) {
      policy = rename(policy, policyDomain);
    }
    return AggregateReport.builder(metadata, policy)
        .addRecord(
            ReportRecord.builder(ip("192.0.2.10"), "example.com")
                .count(42)
                .disposition(Optional.of(Disposition.NONE))
                .dkimAligned(Optional.of(true))
                .spfAligned(Optional.of(true))
                .envelopeFrom(Optional.of("example.com"))
                .addDkim(DkimAuthResult.of("example.com", "s2026", DkimResult.PASS))
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.PASS))
                .build())
        .addRecord(
            ReportRecord.builder(ip("198.51.100.7"), "example.com")
                .count(3)
                .disposition(Optional.of(Disposition.REJECT))
                .dkimAligned(Optional.of(false))
                .spfAligned(Optional.of(false))
                .envelopeFrom(Optional.of("spoof.example"))
                .addSpf(SpfAuthResult.of("spoof.example", SpfScope.MFROM, SpfReportResult.FAIL))
                .build())
        .build();
  }

  /** The same policy published at another (perhaps hostile) domain name. */
  private static PublishedPolicy rename(PublishedPolicy p, String domain) {
    return PublishedPolicy.builder(domain)
        .policy(p.policy())
        .subdomainPolicy(p.subdomainPolicy())
        .nonexistentDomainPolicy(p.nonexistentDomainPolicy())
        .dkimAlignment(p.dkimAlignment())
        .spfAlignment(p.spfAlignment())
        .discoveryMethod(p.discoveryMethod())
        .failureOptions(p.failureOptions())
        .testing(p.testing())
        .build();
  }

  static AggregateReport report() {
    return report(REPORT_ID, "example.com");
  }

  private static AggregateReportMail.Builder mail() {
    return AggregateReportMail.builder(FROM)
        .dkimKey(FROM_DOMAIN, "dmarc", ED25519)
        .clock(CLOCK)
        .uniqueIds(() -> TOKEN);
  }

  private static byte[] compose(AggregateReport report) {
    return mail().build().compose(report, ReportFormat.RFC9990, "dmarc@example.com");
  }

  private static String keyRecord(String domain, String selector) {
    return selector
        + "._domainkey."
        + domain
        + ". IN TXT "
        + TxtRecord.split(ED25519.keyRecord())
        + "\n";
  }

  private static ZoneFileResolver keys() {
    return ZoneFileResolver.fromZoneText(keyRecord("mail.receiver.example", "dmarc"));
  }

  private static DkimVerification verify(byte[] message, ZoneFileResolver dns) {
    return DkimVerifier.builder(dns).clock(CLOCK).build().verify(message);
  }

  static byte[] gunzip(byte[] gzip) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
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
        case T_START_HEADER -> fields = new ArrayList<>();
        case T_FIELD ->
            fields.add(
                new RawField(
                    stream.getField().getName(), stream.getField().getBody().replace("\r\n", "")));
        case T_START_MULTIPART ->
            entities.add(new Entity(fields, stream.getBodyDescriptor().getMimeType(), new byte[0]));
        case T_BODY -> {
          try (InputStream in = stream.getDecodedInputStream()) {
            entities.add(
                new Entity(fields, stream.getBodyDescriptor().getMimeType(), in.readAllBytes()));
          }
        }
        default -> {}
      }
    }
    return entities;
  }

  private static String headerBlock(byte[] message) {
    String text = ascii(message);
    return text.substring(0, text.indexOf("\r\n\r\n") + 2);
  }

  // --- structure ---

  @Test
  void hasTheStructureAndFieldsOfRfc9990Section351() throws Exception {
    byte[] message = compose(report());
    List<Entity> entities = parse(message);

    assertThat(entities)
        .extracting(Entity::mimeType)
        .containsExactly("multipart/mixed", "text/plain", "application/gzip");
    Entity top = entities.get(0);
    assertThat(top.field("From")).isEqualTo(FROM);
    assertThat(top.field("To")).isEqualTo("dmarc@example.com");
    assertThat(top.field("Date")).isEqualTo("Sat, 02 May 2026 03:04:05 +0000");
    assertThat(top.field("Message-ID")).isEqualTo("<c0ffee01@mail.receiver.example>");
    assertThat(top.field("Subject"))
        .isEqualTo(
            "Report Domain: example.com Submitter: mail.receiver.example"
                + " Report-ID: <r20260501n1@mail.receiver.example>");
    assertThat(top.field("MIME-Version")).isEqualTo("1.0");
    assertThat(top.params("Content-Type"))
        .containsEntry("", "multipart/mixed")
        .containsKey("boundary");

    Entity text = entities.get(1);
    assertThat(ascii(text.body()))
        .contains("mail.receiver.example", "example.com", "45 messages in 2 records");

    Entity attachment = entities.get(2);
    assertThat(attachment.field("Content-Transfer-Encoding")).isEqualTo("base64");
    assertThat(attachment.params("Content-Disposition"))
        .containsEntry("", "attachment")
        .containsEntry("filename", FILENAME);
    assertThat(attachment.params("Content-Type")).containsEntry("name", FILENAME);
    assertThat(gunzip(attachment.body()))
        .isEqualTo(AggregateReportXml.write(report(), ReportFormat.RFC9990));
  }

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of(Named.of("RFC 9990, gzip", ReportFormat.RFC9990), true),
        Arguments.of(Named.of("RFC 9990, plain XML", ReportFormat.RFC9990), false),
        Arguments.of(Named.of("RFC 7489, gzip", ReportFormat.RFC7489), true),
        Arguments.of(Named.of("RFC 7489, plain XML", ReportFormat.RFC7489), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void attachesTheWritersXmlInTheChosenForm(ReportFormat format, boolean compress)
      throws Exception {
    byte[] message =
        mail().compress(compress).build().compose(report(), format, "dmarc@example.com");
    Entity attachment = parse(message).get(2);

    assertThat(attachment.mimeType()).isEqualTo(compress ? "application/gzip" : "text/xml");
    assertThat(attachment.params("Content-Disposition"))
        .containsEntry("filename", compress ? FILENAME : FILENAME.replace(".xml.gz", ".xml"));
    byte[] xml = compress ? gunzip(attachment.body()) : attachment.body();
    assertThat(xml).isEqualTo(AggregateReportXml.write(report(), format));
    assertThat(new String(xml, StandardCharsets.UTF_8)).contains(format.namespace());
  }

  @Test
  void endsEveryLineWithCrlfAndKeepsLinesShort() {
    String text = ascii(compose(report()));
    assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
    assertThat(text.chars()).allMatch(c -> c < 0x80);
    for (String line : headerBlock(compose(report())).split("\r\n")) {
      if (!line.startsWith("DKIM-Signature") && !line.startsWith("\t") && !line.startsWith(" ")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
      }
    }
    for (String line : text.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(998);
    }
    String body = text.substring(text.indexOf("Content-Transfer-Encoding: base64"));
    for (String line : body.substring(body.indexOf("\r\n\r\n") + 4).split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
    }
  }

  // --- a re-sent report keeps its file name ---

  @Test
  void keepsTheFileNameAndAttachmentWhenTheReportIsSentAgain() throws Exception {
    AtomicInteger n = new AtomicInteger();
    AggregateReportMail mail = mail().uniqueIds(() -> "t" + n.incrementAndGet()).build();
    List<Entity> first = parse(mail.compose(report(), ReportFormat.RFC9990, "a@example.com"));
    List<Entity> again = parse(mail.compose(report(), ReportFormat.RFC9990, "a@example.com"));

    assertThat(first.get(0).field("Message-ID")).isNotEqualTo(again.get(0).field("Message-ID"));
    assertThat(again.get(2).params("Content-Disposition").get("filename"))
        .isEqualTo(first.get(2).params("Content-Disposition").get("filename"))
        .isEqualTo(FILENAME)
        .isEqualTo(mail.filename(report()));
    assertThat(again.get(2).body()).isEqualTo(first.get(2).body());
  }

  static Stream<Arguments> fileUniqueIds() {
    return Stream.of(
        Arguments.of(Named.of("letters and digits: the id itself", "r42"), "r42"),
        Arguments.of(Named.of("64 letters: the id itself", "a".repeat(64)), "a".repeat(64)),
        Arguments.of(Named.of("65 letters: a digest", "a".repeat(65)), "[0-9a-f]{32}"),
        Arguments.of(Named.of("a hyphen: a digest", "2026-05-01"), "[0-9a-f]{32}"),
        Arguments.of(Named.of("an address form: a digest", "r1@mail.example"), "[0-9a-f]{32}"),
        Arguments.of(Named.of("a '!' that would split the name: a digest", "a!b"), "[0-9a-f]{32}"),
        Arguments.of(Named.of("a path: a digest", "../../etc/passwd"), "[0-9a-f]{32}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fileUniqueIds")
  void makesTheFileNamesUniqueIdFromTheReportId(String reportId, String pattern) {
    String name = mail().build().filename(report(reportId, "example.com"));
    assertThat(name)
        .matches(
            "mail\\.receiver\\.example!example\\.com!1777593600!1777679999!"
                + pattern
                + "\\.xml\\.gz");
    assertThat(mail().build().filename(report(reportId, "example.com"))).isEqualTo(name);
  }

  // --- DKIM and DMARC ---

  @Test
  void isSignedOverTheFieldsThatMatterWithoutL() {
    DkimVerification verification = verify(compose(report()), keys());

    assertThat(verification.result()).as(verification.toString()).isEqualTo(DkimResult.PASS);
    DkimOutcome outcome = verification.outcomes().get(0);
    assertThat(outcome.domain()).contains(FROM_DOMAIN);
    assertThat(outcome.signature().orElseThrow().bodyLength()).isEmpty();
    assertThat(
            outcome.signature().orElseThrow().signedHeaders().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)))
        .contains("from", "to", "subject", "date", "message-id", "mime-version", "content-type");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Subject: Report Domain: example.org\r\n",
        "From: dmarc@attacker.example\r\n",
        "To: evil@attacker.example\r\n",
        "Content-Type: text/plain\r\n",
        "MIME-Version: 1.0\r\n"
      })
  void breaksWhenAnotherSignedFieldIsAddedOnTop(String field) {
    byte[] tampered = (field + ascii(compose(report()))).getBytes(StandardCharsets.US_ASCII);
    assertThat(verify(tampered, keys()).result()).isEqualTo(DkimResult.FAIL);
  }

  static Stream<Arguments> alignedKeys() {
    return Stream.of(
        Arguments.of(
            Named.of("the From domain itself", "mail.receiver.example"), "p=reject", false),
        Arguments.of(Named.of("the organizational domain", "receiver.example"), "p=reject", false),
        Arguments.of(
            Named.of("a sibling in the organization", "dkim.receiver.example"), "p=reject", false),
        Arguments.of(
            Named.of("the From domain itself under adkim=s", "mail.receiver.example"),
            "p=reject; adkim=s",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alignedKeys")
  void passesDmarcAlignedAtTheDomainOwnersReceiver(
      String keyDomain, String policy, boolean strict) {
    AggregateReportMail mail =
        AggregateReportMail.builder(FROM)
            .dkimKey(DomainName.parse(keyDomain), "dmarc", ED25519)
            .strictAlignment(strict)
            .clock(CLOCK)
            .uniqueIds(() -> TOKEN)
            .build();
    byte[] message = mail.compose(report(), ReportFormat.RFC9990, "dmarc@example.com");
    // The reporter's zone: its DMARC record and key; no SPF record, so only DKIM can pass.
    ZoneFileResolver dns =
        ZoneFileResolver.fromZoneText(
            "_dmarc.receiver.example. IN TXT \"v=DMARC1; "
                + policy
                + "\"\n"
                + keyRecord(keyDomain, "dmarc"));
    MessageAuthenticator authenticator =
        MessageAuthenticator.builder(dns, "mx.example.com")
            .dkimVerifier(DkimVerifier.builder(dns).clock(CLOCK).build())
            .dmarcVerifier(DmarcVerifier.builder(dns).clock(CLOCK).build())
            .build();

    MessageAuthentication result =
        authenticator.authenticate(
            message, ip("203.0.113.5"), "mail.receiver.example", "bounce@mail.receiver.example");

    assertThat(result.dmarc().result()).as(result.toString()).isEqualTo(DmarcResult.PASS);
    assertThat(result.dmarc().alignments())
        .filteredOn(a -> a.kind() == IdentifierAlignment.Kind.DKIM)
        .anyMatch(IdentifierAlignment::isAligned);
    assertThat(result.dmarc().authorDomain()).contains(FROM_DOMAIN);
  }

  static Stream<Arguments> misalignedKeys() {
    return Stream.of(
        Arguments.of(Named.of("another organization", "other.example"), false),
        Arguments.of(Named.of("a name that only ends like it", "ceiver.example"), false),
        Arguments.of(Named.of("the public suffix above it", "example"), false),
        Arguments.of(Named.of("the organizational domain under strict", "receiver.example"), true),
        Arguments.of(Named.of("a subdomain under strict", "a.mail.receiver.example"), true));
  }

  @ParameterizedTest(name = "refuses a key of {0}")
  @MethodSource("misalignedKeys")
  void refusesAKeyThatDoesNotAlignWithFrom(String keyDomain, boolean strict) {
    AggregateReportMail.Builder builder =
        AggregateReportMail.builder(FROM)
            .dkimKey(FROM_DOMAIN, "dmarc", ED25519)
            .dkimKey(DomainName.parse(keyDomain), "dmarc", ED25519)
            .strictAlignment(strict);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not align with the From domain")
        .hasMessageContaining("RFC 9990 §3.5.1");
  }

  @Test
  void signsWithEveryKeyGiven() {
    DkimSigningKey rsa = DkimSigningKey.generateRsa(2048);
    byte[] message =
        AggregateReportMail.builder(FROM)
            .dkimKey(FROM_DOMAIN, "rsa", rsa)
            .dkimKey(FROM_DOMAIN, "ed", ED25519)
            .clock(CLOCK)
            .build()
            .compose(report(), ReportFormat.RFC9990, "dmarc@example.com");
    String zone =
        "rsa._domainkey.mail.receiver.example. IN TXT "
            + TxtRecord.split(rsa.keyRecord())
            + "\n"
            + keyRecord("mail.receiver.example", "ed");
    assertThat(verify(message, ZoneFileResolver.fromZoneText(zone)).outcomes())
        .extracting(DkimOutcome::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS);
  }

  // --- hostile report data ---

  /** The subject's stand-in for an id not of the plain form: a digest of it, at the submitter. */
  private static final String STAND_IN = "<[0-9a-f]{32}@mail\\.receiver\\.example>";

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
        Arguments.of(Named.of("an angle bracket inside", "r8>Bcc:<x@host"), STAND_IN),
        Arguments.of(Named.of("two dots in a row", "r9..x@host"), STAND_IN),
        Arguments.of(Named.of("very long", "x".repeat(2000)), STAND_IN),
        Arguments.of(
            Named.of("digits, as most reporters' ids", "17123456789012345678"),
            "<17123456789012345678@mail\\.receiver\\.example>"),
        Arguments.of(Named.of("an address form", "r10@mail.example"), "<r10@mail\\.example>"),
        Arguments.of(Named.of("already in angle brackets", "<r11@host>"), "<r11@host>"),
        Arguments.of(
            Named.of("atext specials", "a!#$%&'*+-/?=^_`{|}~z@host"),
            "<a!#\\$%&'\\*\\+-/\\?=\\^_`\\{\\|\\}~z@host>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReportIds")
  void keepsReportIdsFromMakingHeaderFields(String reportId, String subjectIdPattern)
      throws Exception {
    AggregateReport report = report(reportId, "example.com");
    byte[] message = compose(report);

    assertThat(fieldNames(message))
        .containsExactly(
            "DKIM-Signature",
            "From",
            "Date",
            "To",
            "Subject",
            "Message-ID",
            "MIME-Version",
            "Content-Type");
    assertThat(ascii(message).chars()).allMatch(c -> c < 0x80);
    List<Entity> entities = parse(message);
    assertThat(entities.get(0).field("Subject"))
        .matches(
            "Report Domain: example\\.com Submitter: mail\\.receiver\\.example Report-ID: "
                + subjectIdPattern);
    assertThat(entities.get(2).params("Content-Disposition").get("filename"))
        .matches("[a-z0-9.]+![a-z0-9.-]+!\\d+!\\d+![A-Za-z0-9]{1,64}\\.xml\\.gz");
    assertThat(gunzip(entities.get(2).body()))
        .isEqualTo(AggregateReportXml.write(report, ReportFormat.RFC9990));
    assertThat(verify(message, keys()).result()).isEqualTo(DkimResult.PASS);
  }

  private static List<String> fieldNames(byte[] message) {
    List<String> names = new ArrayList<>();
    for (String line : headerBlock(message).split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(998);
      if (!line.startsWith(" ") && !line.startsWith("\t")) {
        names.add(line.substring(0, line.indexOf(':')));
      }
    }
    return names;
  }

  @Test
  void writesAnInternationalizedPolicyDomainInALabels() throws Exception {
    byte[] message = compose(report(REPORT_ID, "bücher.example"));
    List<Entity> entities = parse(message);
    assertThat(entities.get(0).field("Subject"))
        .startsWith("Report Domain: xn--bcher-kva.example Submitter: mail.receiver.example");
    assertThat(entities.get(2).params("Content-Disposition").get("filename"))
        .startsWith("mail.receiver.example!xn--bcher-kva.example!");
    assertThat(ascii(message).chars()).allMatch(c -> c < 0x80);
  }

  @ParameterizedTest(name = "refuses policy domain {0}")
  @ValueSource(
      strings = {
        "example.com\r\nBcc: evil@attacker.example",
        "example.com\nX-Injected: yes",
        "example.com Submitter: attacker.example",
        "exa_mple.com",
        "example.com!1!2",
        "",
        "=?UTF-8?B?SGk=?="
      })
  void refusesAPolicyDomainThatIsNotAHostName(String domain) {
    AggregateReportMail mail = mail().build();
    AggregateReport report = report(REPORT_ID, domain);
    assertThatThrownBy(() -> mail.compose(report, ReportFormat.RFC9990, "dmarc@example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy domain");
  }

  // --- addresses and settings ---

  @Test
  void namesEveryRecipientInOneFoldedToField() throws Exception {
    List<String> to =
        List.of(
            "dmarc-aggregate-reports@example.com",
            "dmarc@reports.example.net",
            "another-long-address-for-reports@rep.example.org");
    byte[] message = mail().build().compose(report(), ReportFormat.RFC9990, to);
    assertThat(parse(message).get(0).field("To")).isEqualTo(String.join(", ", to));
    assertThat(headerBlock(message))
        .contains(
            "To: dmarc-aggregate-reports@example.com, dmarc@reports.example.net,\r\n"
                + " another-long-address-for-reports@rep.example.org\r\n");
    assertThat(verify(message, keys()).result()).isEqualTo(DkimResult.PASS);
  }

  @ParameterizedTest(name = "refuses recipient {0}")
  @ValueSource(
      strings = {
        "dmarc@example.com\r\nBcc: evil@attacker.example",
        "dmarc@example.com\n",
        "Reports <dmarc@example.com>",
        "dmarc@example.com, evil@attacker.example",
        "two words@example.com",
        "\"quoted\"@example.com",
        "dmarc@exa_mple.com",
        "dmarc@bücher.example",
        "berichte@bücher.example",
        "dmarc@",
        "@example.com",
        "dmarc",
        ".dmarc@example.com",
        "dm..arc@example.com"
      })
  void refusesRecipientsThatAreNotPlainAddresses(String recipient) {
    AggregateReportMail mail = mail().build();
    assertThatThrownBy(() -> mail.compose(report(), ReportFormat.RFC9990, recipient))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void takesTheSubmitterFromItsOwnSetting() throws Exception {
    AggregateReportMail mail = mail().submitter(DomainName.parse("receiver.example")).build();
    byte[] message = mail.compose(report(), ReportFormat.RFC9990, "dmarc@example.com");
    Entity top = parse(message).get(0);
    assertThat(top.field("Subject")).contains("Submitter: receiver.example ");
    assertThat(top.field("Message-ID")).isEqualTo("<c0ffee01@receiver.example>");
    assertThat(mail.filename(report())).startsWith("receiver.example!example.com!");
    assertThat(mail.submitter()).isEqualTo(DomainName.parse("receiver.example"));
  }

  @Test
  void refusesAnUnsignedOrMisconfiguredComposer() {
    assertThatThrownBy(() -> AggregateReportMail.builder(FROM).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> AggregateReportMail.builder("not an address"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AggregateReportMail.builder("dmarc@mail.receiver.example\r\nBcc: x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mail().submitter(DomainName.parse("_dmarc.example")))
        .isInstanceOf(IllegalArgumentException.class);
    AggregateReportMail badIds = mail().uniqueIds(() -> "not-alphanumeric").build();
    assertThatThrownBy(() -> badIds.compose(report(), ReportFormat.RFC9990, "dmarc@example.com"))
        .isInstanceOf(IllegalStateException.class);
    AggregateReportMail mail = mail().build();
    assertThatThrownBy(() -> mail.compose(report(), ReportFormat.RFC9990, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void drawsAFreshTokenForEveryMessageByDefault() throws Exception {
    AggregateReportMail mail =
        AggregateReportMail.builder(FROM).dkimKey(FROM_DOMAIN, "dmarc", ED25519).build();
    String first =
        parse(mail.compose(report(), ReportFormat.RFC9990, "a@example.com"))
            .get(0)
            .field("Message-ID");
    String second =
        parse(mail.compose(report(), ReportFormat.RFC9990, "a@example.com"))
            .get(0)
            .field("Message-ID");
    assertThat(first).isNotEqualTo(second).matches("<[0-9a-f]{32}@mail\\.receiver\\.example>");
  }
}
