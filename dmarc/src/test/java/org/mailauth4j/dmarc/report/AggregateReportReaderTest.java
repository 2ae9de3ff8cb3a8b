package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mailauth4j.dmarc.report.HostileAggregateReportTest.HEAD;
import static org.mailauth4j.dmarc.report.HostileAggregateReportTest.RECORD;
import static org.mailauth4j.dmarc.report.HostileAggregateReportTest.gzip;
import static org.mailauth4j.dmarc.report.HostileAggregateReportTest.report;
import static org.mailauth4j.dmarc.report.HostileAggregateReportTest.zip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport.Packing;
import org.mailauth4j.dmarc.report.ReportWarning.Kind;

/** The lenient reading of aggregate reports, their warnings, packings and report e-mails. */
class AggregateReportReaderTest {
  private static final AggregateReportReader READER = AggregateReportReader.builder().build();

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static Stream<Arguments> namespaces() {
    return Stream.of(
        Arguments.of("no namespace", "<feedback>", Optional.empty()),
        Arguments.of(
            "RFC 9990",
            "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">",
            Optional.of("urn:ietf:params:xml:ns:dmarc-2.0")),
        Arguments.of(
            "RFC 7489 with a prefix",
            "<d:feedback xmlns:d=\"http://dmarc.org/dmarc-xml/0.1\">",
            Optional.of("http://dmarc.org/dmarc-xml/0.1")),
        Arguments.of("another", "<feedback xmlns=\"urn:x\">", Optional.of("urn:x")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namespaces")
  void readsAnyNamespace(String name, String root, Optional<String> namespace) {
    String xml = report(2).replace("<feedback>", root);
    if (root.startsWith("<d:")) {
      xml = xml.replace("</feedback>", "</d:feedback>");
    }
    ReceivedAggregateReport r = READER.read(bytes(xml));
    assertThat(r.namespace()).isEqualTo(namespace);
    assertThat(r.report().records()).hasSize(2);
    assertThat(r.warnings()).isEmpty();
  }

  static Stream<Arguments> packings() {
    byte[] xml = bytes(report(1));
    return Stream.of(
        Arguments.of("xml", xml, Packing.XML),
        Arguments.of("gzip", gzip(xml), Packing.GZIP),
        Arguments.of("zip", zip("r.xml", xml), Packing.ZIP),
        Arguments.of(
            "zip with a readme first", zip("readme.txt", bytes("hi"), "r.xml", xml), Packing.ZIP),
        Arguments.of("zip entry without a name's suffix", zip("report", xml), Packing.ZIP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packings")
  void tellsThePackingByTheFirstBytes(String name, byte[] input, Packing packing) {
    ReceivedAggregateReport r = READER.read(new ByteArrayInputStream(input));
    assertThat(r.packing()).isEqualTo(packing);
    assertThat(r.report().records()).hasSize(1);
  }

  @Test
  void readsElementsInAnyOrderWithCaseAndSpaceInTokens() {
    String xml =
        "<feedback><record><identifiers><header_from> example.com </header_from></identifiers>"
            + "<row><policy_evaluated><spf>FAIL</spf><disposition> Quarantine </disposition>"
            + "<dkim>Pass</dkim></policy_evaluated><count>7</count>"
            + "<source_ip>2001:db8::1</source_ip></row><auth_results/></record>"
            + "<policy_published><p>REJECT</p><domain>example.com</domain></policy_published>"
            + "<report_metadata><date_range><end>10</end><begin>0</begin></date_range>"
            + "<report_id>r</report_id><email>e</email><org_name>o</org_name></report_metadata>"
            + "</feedback>";
    AggregateReport report = READER.read(bytes(xml)).report();
    ReportRecord r = report.records().get(0);
    assertThat(r.headerFrom()).isEqualTo("example.com");
    assertThat(r.disposition()).hasValue(Disposition.QUARANTINE);
    assertThat(r.dkimAligned()).hasValue(true);
    assertThat(r.spfAligned()).hasValue(false);
    assertThat(r.count()).isEqualTo(7);
    assertThat(r.sourceIp().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(report.policy().policy()).hasValue(DmarcPolicy.REJECT);
  }

  /** A record of the standard report with one piece changed, and what reading it gives. */
  static Stream<Arguments> lenient() {
    return Stream.of(
        Arguments.of(
            "a source IP that is not one",
            RECORD.replace("192.0.2.1", "108r.166.27.220"),
            0,
            Kind.DROPPED_RECORD,
            "/feedback/record[1]"),
        Arguments.of(
            "a host name as source IP, never looked up",
            RECORD.replace("192.0.2.1", "localhost"),
            0,
            Kind.DROPPED_RECORD,
            "/feedback/record[1]"),
        Arguments.of(
            "no count",
            RECORD.replace("<count>1</count>", ""),
            0,
            Kind.DROPPED_RECORD,
            "/feedback/record[1]"),
        Arguments.of(
            "a negative count",
            RECORD.replace("<count>1</count>", "<count>-1</count>"),
            0,
            Kind.DROPPED_RECORD,
            "/feedback/record[1]"),
        Arguments.of(
            "no header_from",
            RECORD.replace("<header_from>example.com</header_from>", ""),
            0,
            Kind.DROPPED_RECORD,
            "/feedback/record[1]"),
        Arguments.of(
            "an empty disposition",
            RECORD.replace("<disposition>none</disposition>", "<disposition></disposition>"),
            1,
            Kind.UNKNOWN_VALUE,
            "/feedback/record[1]/row/policy_evaluated/disposition"),
        Arguments.of(
            "an unknown SPF result",
            RECORD.replace("<result>pass</result>", "<result>maybe</result>"),
            1,
            Kind.UNKNOWN_VALUE,
            "/feedback/record[1]/auth_results/spf/result"),
        Arguments.of(
            "no policy_evaluated",
            RECORD.replaceAll("<policy_evaluated>.*</policy_evaluated>", ""),
            1,
            Kind.MISSING_ELEMENT,
            "/feedback/record[1]"),
        Arguments.of(
            "an unknown element in a row",
            RECORD.replace("<count>", "<colour>red</colour><count>"),
            1,
            Kind.UNKNOWN_ELEMENT,
            "/feedback/record[1]/row/colour"),
        Arguments.of(
            "a second count",
            RECORD.replace("<count>1</count>", "<count>1</count><count>2</count>"),
            1,
            Kind.DUPLICATE_ELEMENT,
            "/feedback/record[1]/row/count"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lenient")
  void readsPastWhatItCanDoWithout(
      String name, String record, int records, Kind kind, String location) {
    ReceivedAggregateReport r = READER.read(bytes(HEAD + record + "</feedback>"));
    assertThat(r.report().records()).hasSize(records);
    assertThat(r.warnings()).extracting(ReportWarning::kind).containsExactly(kind);
    assertThat(r.warnings().get(0).location()).hasValue(location);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(
            "no report_id",
            HEAD.replace("<report_id>1</report_id>", ""),
            Reason.MISSING_ELEMENT,
            "/feedback/report_metadata"),
        Arguments.of(
            "no date_range",
            HEAD.replaceAll("<date_range>.*</date_range>", ""),
            Reason.MISSING_ELEMENT,
            "/feedback/report_metadata"),
        Arguments.of(
            "a begin that is not a time",
            HEAD.replace("<begin>0</begin>", "<begin>yesterday</begin>"),
            Reason.BAD_VALUE,
            "/feedback/report_metadata/date_range/begin"),
        Arguments.of(
            "no policy domain",
            HEAD.replace("<domain>example.com</domain>", ""),
            Reason.MISSING_ELEMENT,
            "/feedback/policy_published"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatAReportCannotDoWithout(String name, String head, Reason reason, String location) {
    DmarcReportException e =
        catchThrowableOfType(
            DmarcReportException.class, () -> READER.read(bytes(head + RECORD + "</feedback>")));
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.location()).hasValue(location);
  }

  @Test
  void fillsAMissingOrgNameWithAnEmptyStringAndAWarning() {
    ReceivedAggregateReport r = READER.read(bytes(report(1).replace("<org_name>o</org_name>", "")));
    assertThat(r.report().metadata().organizationName()).isEmpty();
    assertThat(r.warnings()).extracting(ReportWarning::kind).containsExactly(Kind.MISSING_ELEMENT);
  }

  @Test
  void keepsTheWarningsUpToTheLimitAndCountsTheRest() {
    String bad = RECORD.replace("192.0.2.1", "x");
    ReceivedAggregateReport r =
        READER
            .newBuilder()
            .maxWarnings(3)
            .build()
            .read(bytes(HEAD + bad.repeat(10) + "</feedback>"));
    assertThat(r.warnings()).hasSize(4);
    assertThat(r.warnings().get(3).kind()).isEqualTo(Kind.TOO_MANY_WARNINGS);
    assertThat(r.warnings().get(3).detail()).startsWith("7 more warnings");
  }

  @Test
  void keepsExtensionsInTheFormReportExtensionOfGives() {
    String ext =
        "<extension>\n  <e:n xmlns:e=\"urn:e\"   b='2' a='1'>\n    <e:v>x &amp; y</e:v>\n"
            + "  <!-- c --></e:n>\n</extension>";
    String rec = RECORD.replace("</record>", "<e:r xmlns:e=\"urn:e\"/></record>");
    AggregateReport report = READER.read(bytes(HEAD + ext + rec + "</feedback>")).report();
    String canonical = "<e:n xmlns:e=\"urn:e\" a=\"1\" b=\"2\"><e:v>x &amp; y</e:v></e:n>";
    assertThat(report.extensions()).extracting(ReportExtension::xml).containsExactly(canonical);
    assertThat(report.extensions().get(0))
        .isEqualTo(
            ReportExtension.of(
                "<e:n b=\"2\" a=\"1\" xmlns:e=\"urn:e\"><e:v>x &amp; y</e:v></e:n>"));
    assertThat(ReportExtension.of(canonical).xml()).isEqualTo(canonical);
    assertThat(report.records().get(0).extensions())
        .containsExactly(ReportExtension.of("<e:r xmlns:e='urn:e'></e:r>"));
  }

  @Test
  void readsWindows1252() {
    byte[] xml =
        ("<?xml version=\"1.0\" encoding=\"windows-1252\"?>"
                + report(1).replace(">o<", ">Caf\u00e9<"))
            .getBytes(java.nio.charset.Charset.forName("windows-1252"));
    assertThat(READER.read(xml).report().metadata().organizationName()).isEqualTo("Caf\u00e9");
  }

  @Test
  void leavesTheCallersStreamOpenAndReportsItsFailures() {
    boolean[] closed = new boolean[1];
    InputStream in =
        new ByteArrayInputStream(bytes(report(1))) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    READER.read(in);
    assertThat(closed[0]).isFalse();
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("gone");
          }
        };
    assertThatThrownBy(() -> READER.read(failing)).isInstanceOf(UncheckedIOException.class);
  }

  private static String mail(String subject, String part) {
    return "From: r@example.net\r\nSubject: "
        + subject
        + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        + "--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
        + part
        + "--b--\r\n";
  }

  private static String gzipPart(String type, String filename, byte[] data) {
    return "--b\r\nContent-Type: "
        + type
        + "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\""
        + filename
        + "\"\r\n\r\n"
        + Base64.getMimeEncoder().encodeToString(data)
        + "\r\n";
  }

  @Test
  void readsAReportMailAndItsSubject() {
    byte[] message =
        bytes(
            mail(
                "Report Domain: example.com Submitter: example.net Report-ID: <1>",
                gzipPart(
                    "application/gzip",
                    "example.net!example.com!0!86399.xml.gz",
                    gzip(bytes(report(2))))));
    ReceivedAggregateReport r = READER.readMessage(message);
    assertThat(r.report().records()).hasSize(2);
    assertThat(r.mediaType()).hasValue("application/gzip");
    assertThat(r.filename()).hasValue("example.net!example.com!0!86399.xml.gz");
    assertThat(r.subjectReportDomain()).hasValue("example.com");
    assertThat(r.subjectSubmitter()).hasValue("example.net");
    assertThat(r.subjectReportId()).hasValue("1");
    assertThat(r.findings()).isEmpty();
  }

  static Stream<Arguments> findings() {
    byte[] gz = gzip(bytes(report(1)));
    String okSubject = "Report Domain: example.com Submitter: example.net Report-ID: 1";
    return Stream.of(
        Arguments.of(
            "the subject names another domain",
            mail(
                "Report Domain: example.org Submitter: x Report-ID: 1",
                gzipPart("application/gzip", "a.xml.gz", gz)),
            Kind.SUBJECT_MISMATCH),
        Arguments.of(
            "the subject names another report id",
            mail(
                "Report Domain: example.com Submitter: x Report-ID: 2",
                gzipPart("application/gzip", "a.xml.gz", gz)),
            Kind.SUBJECT_MISMATCH),
        Arguments.of(
            "the file name has another period",
            mail(okSubject, gzipPart("application/gzip", "x!example.com!5!86399.xml.gz", gz)),
            Kind.FILENAME_MISMATCH),
        Arguments.of(
            "a zip part declared gzip",
            mail(
                okSubject,
                gzipPart("application/gzip", "a.xml.gz", zip("r.xml", bytes(report(1))))),
            Kind.MEDIA_TYPE_MISMATCH),
        Arguments.of(
            "two report parts",
            mail(
                okSubject,
                gzipPart("application/gzip", "a.xml.gz", gz)
                    + gzipPart("application/gzip", "b.xml.gz", gz)),
            Kind.SEVERAL_REPORT_PARTS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("findings")
  void findsWhereTheMailDisagreesWithItsReport(String name, String message, Kind kind) {
    ReceivedAggregateReport r = READER.readMessage(bytes(message));
    assertThat(r.findings()).extracting(ReportWarning::kind).containsExactly(kind);
  }

  @Test
  void findsTheReportByItsFileNameUnderAGenericType() {
    ReceivedAggregateReport r =
        READER.readMessage(
            bytes(
                mail(
                    "s",
                    gzipPart(
                        "application/octet-stream", "r.zip", zip("r.xml", bytes(report(1)))))));
    assertThat(r.packing()).isEqualTo(Packing.ZIP);
    assertThat(r.mediaType()).hasValue("application/octet-stream");
  }

  @Test
  void refusesAMailWithoutAReport() {
    DmarcReportException e =
        catchThrowableOfType(
            DmarcReportException.class, () -> READER.readMessage(bytes(mail("s", ""))));
    assertThat(e.reason()).isEqualTo(Reason.NO_REPORT_IN_MESSAGE);
  }

  @Test
  void refusesLimitsOutsideTheirRange() {
    assertThatThrownBy(() -> AggregateReportReader.builder().maxDepth(4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AggregateReportReader.builder().maxRecords(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AggregateReportReader.builder().maxTextLength(255))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
