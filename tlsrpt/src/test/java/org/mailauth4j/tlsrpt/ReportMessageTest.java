package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailauth4j.testkit.LinearTime;
import org.mailauth4j.tlsrpt.ReportMessageFinding.Kind;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/** Whole report e-mails (RFC 8460 §5.3): finding the report part and comparing the message. */
class ReportMessageTest {
  private static final TlsReportReader READER = TlsReportReader.builder().build();

  /** A report as a sender of example.net writes it about example.com. */
  static final TlsReport REPORT =
      new TlsReport(
          "Example Net",
          DateRange.utcDay(LocalDate.of(2024, 5, 1)),
          Optional.of("tlsrpt@example.net"),
          "2024-05-01T00:00:00Z_example.com",
          List.of(
              new PolicyResult(
                  new ReportedPolicy(
                      "sts", List.of("version: STSv1"), Optional.of("example.com"), List.of()),
                  10,
                  2,
                  List.of(
                      new FailureDetail(
                          "certificate-expired",
                          Optional.of("192.0.2.1"),
                          Optional.of("mx.example.com"),
                          Optional.empty(),
                          Optional.empty(),
                          2,
                          Optional.empty(),
                          Optional.empty())))));

  static final String FILENAME = "example.net!example.com!1714521600!1714608000.json.gz";

  static String base64(byte[] data) {
    return Base64.getMimeEncoder(76, "\r\n".getBytes(US_ASCII)).encodeToString(data);
  }

  /** A report e-mail with the given top-level fields and parts (each: header lines, body). */
  static byte[] message(String fields, String... parts) {
    StringBuilder sb = new StringBuilder();
    sb.append("From: tlsrpt@example.net\r\nTo: rua@example.com\r\nMIME-Version: 1.0\r\n")
        .append(fields)
        .append("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b1\"\r\n\r\n")
        .append("preamble\r\n");
    for (String part : parts) {
      sb.append("--b1\r\n").append(part).append("\r\n");
    }
    sb.append("--b1--\r\n");
    return sb.toString().getBytes(UTF_8);
  }

  static final String GOOD_FIELDS =
      "Subject: Report Domain: example.com Submitter: example.net Report-ID:"
          + " <2024-05-01T00:00:00Z_example.com>\r\n"
          + "TLS-Report-Domain: example.com\r\n"
          + "TLS-Report-Submitter: example.net\r\n";

  static final String TEXT_PART =
      "Content-Type: text/plain; charset=us-ascii\r\n\r\nThis is an aggregate TLS report.\r\n";

  static String gzipPart(String type, String filename, byte[] content) {
    return "Content-Type: "
        + type
        + "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n"
        + " filename=\""
        + filename
        + "\"\r\n\r\n"
        + base64(content)
        + "\r\n";
  }

  static final String REPORT_PART =
      gzipPart("application/tlsrpt+gzip", FILENAME, TlsReportJson.toGzip(REPORT));

  @Test
  void readsAReportEmailThatAgreesInEverythingWithoutFindings() {
    byte[] mail = message(GOOD_FIELDS, TEXT_PART, REPORT_PART);
    ReceivedTlsReport received = READER.readMessage(mail);
    assertThat(received.report()).isEqualTo(REPORT);
    assertThat(received.findings()).isEmpty();
    assertThat(received.reportDomain()).contains("example.com");
    assertThat(received.submitter()).contains("example.net");
    assertThat(received.filename()).contains(FILENAME);
    assertThat(received.mediaType()).isEqualTo("application/tlsrpt+gzip");
    assertThat(READER.readMessage(new ByteArrayInputStream(mail)).report()).isEqualTo(REPORT);
    assertThat(received.toString()).contains("findings=0");
  }

  @Test
  void keepsTheExactBytesForADkimCheckReadOnly() {
    byte[] mail = message(GOOD_FIELDS, TEXT_PART, REPORT_PART);
    ReceivedTlsReport received = READER.readMessage(mail);
    mail[0] = 'X'; // the caller's array may change later; the kept bytes do not
    ByteBuffer kept = received.message();
    assertThat(kept.isReadOnly()).isTrue();
    assertThat(kept.get(0)).isEqualTo((byte) 'F');
    assertThat(kept.remaining()).isEqualTo(mail.length);
    assertThatThrownBy(() -> kept.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void readsAQuotedPrintableJsonPartWithLfLineEnds() {
    String json = new String(TlsReportJson.toJson(REPORT), UTF_8).replace("=", "=3D");
    String part =
        "Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            + "Content-Disposition: attachment; filename=\"r.json\"\r\n\r\n"
            + json.replaceAll("(.{70})", "$1=\r\n")
            + "\r\n";
    byte[] mail =
        new String(message(GOOD_FIELDS, part), UTF_8).replace("\r\n", "\n").getBytes(UTF_8);
    ReceivedTlsReport received = READER.readMessage(mail);
    assertThat(received.report()).isEqualTo(REPORT);
    assertThat(received.findings()).isEmpty(); // r.json is not the recommended form: not compared
  }

  @Test
  void findsTheReportInGenericTypesByItsFileName() {
    byte[] gz = TlsReportJson.toGzip(REPORT);
    for (String type :
        List.of("application/octet-stream", "application/gzip", "application/x-gzip")) {
      ReceivedTlsReport r = READER.readMessage(message(GOOD_FIELDS, gzipPart(type, FILENAME, gz)));
      assertThat(r.report()).as(type).isEqualTo(REPORT);
      assertThat(r.mediaType()).isEqualTo(type);
    }
    String jsonName = FILENAME.replace(".json.gz", ".json");
    ReceivedTlsReport json =
        READER.readMessage(
            message(
                GOOD_FIELDS, gzipPart("application/json", jsonName, TlsReportJson.toJson(REPORT))));
    assertThat(json.report()).isEqualTo(REPORT);
    assertThat(json.findings()).isEmpty();
    // Without a report's file name, an octet stream is nothing to read.
    assertThat(
            catchThrowableOfType(
                    TlsReportException.class,
                    () ->
                        READER.readMessage(
                            message(
                                GOOD_FIELDS, gzipPart("application/octet-stream", "x.bin", gz))))
                .reason())
        .isEqualTo(Reason.NO_REPORT_IN_MESSAGE);
  }

  @Test
  void prefersTheTlsrptMediaTypeOverAnotherJsonAttachment() {
    String other = gzipPart("application/json", "other.json", "{\"hello\":1}".getBytes(UTF_8));
    ReceivedTlsReport r = READER.readMessage(message(GOOD_FIELDS, other, REPORT_PART));
    assertThat(r.report()).isEqualTo(REPORT);
    assertThat(r.filename()).contains(FILENAME);
    // With only the other attachment, its refusal is the answer.
    TlsReportException e =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.readMessage(message(GOOD_FIELDS, other)));
    assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
  }

  @Test
  void refusesAMessageWithoutAReportPart() {
    TlsReportException e =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.readMessage(message(GOOD_FIELDS, TEXT_PART)));
    assertThat(e.reason()).isEqualTo(Reason.NO_REPORT_IN_MESSAGE);
    assertThat(e.location()).isEmpty();
    TlsReportException empty =
        catchThrowableOfType(TlsReportException.class, () -> READER.readMessage(new byte[0]));
    assertThat(empty.reason()).isEqualTo(Reason.NO_REPORT_IN_MESSAGE);
  }

  @Test
  void refusesABrokenReportPartWithItsReason() {
    String broken =
        gzipPart(
            "application/tlsrpt+gzip",
            FILENAME,
            java.util.Arrays.copyOf(TlsReportJson.toGzip(REPORT), 40));
    assertThat(
            catchThrowableOfType(
                    TlsReportException.class,
                    () -> READER.readMessage(message(GOOD_FIELDS, broken)))
                .reason())
        .isEqualTo(Reason.CORRUPT_COMPRESSION);
  }

  @Test
  void readsAReportThatIsTheWholeMessageAndSaysSo() {
    String mail =
        "From: a@example.net\r\nTLS-Report-Domain: example.com\r\nTLS-Report-Submitter: example.net\r\n"
            + "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64(TlsReportJson.toGzip(REPORT))
            + "\r\n";
    ReceivedTlsReport r = READER.readMessage(mail.getBytes(US_ASCII));
    assertThat(r.report()).isEqualTo(REPORT);
    assertThat(r.filename()).isEmpty();
    assertThat(r.findings())
        .extracting(ReportMessageFinding::kind)
        .containsExactly(Kind.NOT_TLSRPT_MESSAGE);
  }

  @Test
  void findsWhatTheMessageLacksOrGetsWrong() {
    String fields =
        "Subject: Report Domain: example.org Submitter: other.example Report-ID: <x@y>\r\n";
    String badName = "other.example!example.org!1!2.json.gz";
    String part = gzipPart("application/tlsrpt+json", badName, TlsReportJson.toGzip(REPORT));
    ReceivedTlsReport r = READER.readMessage(message(fields, part, REPORT_PART));
    assertThat(r.report()).isEqualTo(REPORT);
    assertThat(r.findings())
        .extracting(ReportMessageFinding::kind)
        .containsExactly(
            Kind.MEDIA_TYPE_MISMATCH,
            Kind.SEVERAL_REPORT_PARTS,
            Kind.MISSING_REPORT_DOMAIN,
            Kind.MISSING_SUBMITTER,
            Kind.SUBJECT_MISMATCH,
            Kind.SUBJECT_MISMATCH,
            Kind.SUBJECT_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH,
            Kind.FILENAME_MISMATCH);
    assertThat(r.findings().get(0).detail())
        .isEqualTo(
            "the part is declared \"application/tlsrpt+json\" named \""
                + badName
                + "\" but holds gzip");
    assertThat(r.findings().get(7).detail())
        .isEqualTo("the file name's sender \"other.example\" is not the report's \"example.net\"");
  }

  @Test
  void comparesDomainsWithoutCaseOrTrailingDot() {
    String fields =
        "Subject: =?UTF-8?Q?Report_Domain:_EXAMPLE.com._Submitter:_Example.NET_Report-ID:?=\r\n"
            + " 2024-05-01T00:00:00Z_example.com\r\n"
            + "TLS-Report-Domain:  Example.COM.\r\n"
            + "TLS-Report-Submitter:\r\n example.net\r\n";
    ReceivedTlsReport r = READER.readMessage(message(fields, REPORT_PART));
    assertThat(r.findings()).isEmpty();
    assertThat(r.subject())
        .contains(
            "Report Domain: EXAMPLE.com. Submitter: Example.NET Report-ID:"
                + " 2024-05-01T00:00:00Z_example.com");
    assertThat(r.reportDomain()).contains("Example.COM.");
    assertThat(r.submitter()).contains("example.net");
  }

  @Test
  void readsAnRfc2231FileName() {
    String part =
        "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment;\r\n filename*0*=UTF-8''example.net%21example.com%211714521600;\r\n"
            + " filename*1=\"!1714608000.json.gz\"\r\n\r\n"
            + base64(TlsReportJson.toGzip(REPORT))
            + "\r\n";
    ReceivedTlsReport r = READER.readMessage(message(GOOD_FIELDS, part));
    assertThat(r.filename()).contains(FILENAME);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void readsAJsonPartOfOneLongLine() {
    // A minified report of some 20 MB on a single line: no line length limit, only the sizes.
    TlsReportReader big = READER.newBuilder().maxMessageBytes(64 << 20).build();
    StringBuilder json = new StringBuilder(new String(TlsReportJson.toJson(REPORT), UTF_8));
    json.insert(1, "\"x\":\"" + "a".repeat(20_000_000) + "\",");
    String part = "Content-Type: application/tlsrpt+json\r\n\r\n" + json + "\r\n";
    assertThat(big.readMessage(message(GOOD_FIELDS, part)).report()).isEqualTo(REPORT);
  }

  @Test
  void refusesTooManyPartsAndTooDeepNesting() {
    String[] parts = new String[101];
    java.util.Arrays.fill(parts, TEXT_PART);
    TlsReportException many =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.readMessage(message(GOOD_FIELDS, parts)));
    assertThat(many.reason()).isEqualTo(Reason.TOO_MANY_ITEMS);

    StringBuilder nested = new StringBuilder("MIME-Version: 1.0\r\n");
    for (int i = 0; i < 9; i++) {
      nested
          .append("Content-Type: multipart/mixed; boundary=\"n")
          .append(i)
          .append("\"\r\n\r\n--n")
          .append(i)
          .append("\r\n");
    }
    nested.append("Content-Type: text/plain\r\n\r\nx\r\n");
    for (int i = 8; i >= 0; i--) {
      nested.append("--n").append(i).append("--\r\n");
    }
    TlsReportException deep =
        catchThrowableOfType(
            TlsReportException.class,
            () -> READER.readMessage(nested.toString().getBytes(US_ASCII)));
    assertThat(deep.reason()).isEqualTo(Reason.TOO_DEEP);
  }

  @Test
  void refusesAMessageOverTheSizeLimitWithoutReadingFurther() {
    TlsReportReader small = READER.newBuilder().maxMessageBytes(1000).build();
    byte[] mail = message(GOOD_FIELDS, TEXT_PART, REPORT_PART);
    assertThat(
            catchThrowableOfType(TlsReportException.class, () -> small.readMessage(mail)).reason())
        .isEqualTo(Reason.TOO_LARGE);
    HostileReportTest.Endless endless =
        new HostileReportTest.Endless("Subject: x\r\n\r\n", 'a', 1L << 40);
    assertThat(
            catchThrowableOfType(TlsReportException.class, () -> small.readMessage(endless))
                .reason())
        .isEqualTo(Reason.TOO_LARGE);
    assertThat(endless.read).isLessThanOrEqualTo(1001);
  }

  @Test
  void refusesAGzipBombInAnEmailByItsRatio() {
    byte[] bomb = HostileReportTest.bomb("{", ' ', 128);
    TlsReportException e =
        catchThrowableOfType(
            TlsReportException.class,
            () ->
                READER.readMessage(
                    message(GOOD_FIELDS, gzipPart("application/tlsrpt+gzip", FILENAME, bomb))));
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("expands more than 100 times");
  }

  @Test
  void refusesHeaderFieldsOverMimeLimitsAsMalformed() {
    String huge = "X-Long: " + "a".repeat(100_000) + "\r\n";
    TlsReportException e =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.readMessage(message(huge, REPORT_PART)));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_MESSAGE);
  }

  /** A report e-mail whose gzip report has an unknown field of {@code n} numbers. */
  static String messageOfSize(int n) {
    StringBuilder filler = new StringBuilder();
    for (int i = 0; i < n; i++) {
      filler.append(i * 2_654_435_761L % 1_000_000_007L).append(' ');
    }
    StringBuilder json = new StringBuilder(new String(TlsReportJson.toJson(REPORT), UTF_8));
    json.insert(1, "\"x\":\"" + filler + "\",");
    byte[] gz = Gzip.of(json.toString().getBytes(UTF_8));
    return new String(
        message(GOOD_FIELDS, TEXT_PART, gzipPart("application/tlsrpt+gzip", FILENAME, gz)), UTF_8);
  }

  @Test
  void readsMessagesInLinearTime() {
    assertThat(READER.readMessage(messageOfSize(LinearTime.LARGE).getBytes(UTF_8)).report())
        .isEqualTo(REPORT);
    LinearTime.assertLinear(
        ReportMessageTest::messageOfSize, mail -> READER.readMessage(mail.getBytes(UTF_8)));
  }

  /**
   * {@code n} Subject fields of 12 KiB of broken encoded words each, which mime4j decodes slowly.
   */
  static String messageWithSubjects(int n) {
    String field = "Subject: " + "=?a?b".repeat(12 * 1024 / 5) + "\r\n";
    String fields =
        field.repeat(Math.max(1, n / 400)) + GOOD_FIELDS.substring(GOOD_FIELDS.indexOf("TLS-"));
    byte[] gz = Gzip.of(TlsReportJson.toJson(REPORT));
    return new String(
        message(fields, TEXT_PART, gzipPart("application/tlsrpt+gzip", FILENAME, gz)), UTF_8);
  }

  @Test
  void decodesOnlyTheFirstSubjectAndABoundedPartOfIt() {
    ReceivedTlsReport received =
        READER.readMessage(messageWithSubjects(LinearTime.LARGE).getBytes(UTF_8));
    assertThat(received.report()).isEqualTo(REPORT);
    assertThat(received.subject().orElseThrow())
        .hasSizeLessThanOrEqualTo(ReportMessageParser.MAX_SUBJECT_CHARS);
    LinearTime.assertLinear(
        ReportMessageTest::messageWithSubjects, mail -> READER.readMessage(mail.getBytes(UTF_8)));
  }
}
