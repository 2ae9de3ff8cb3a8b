package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport.Packing;
import org.mailauth4j.dmarc.report.ReportWarning.Kind;
import org.mailauth4j.testkit.TestEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every aggregate report of {@code shared/conformance/dmarc/}: Stalwart's reports and report
 * e-mails against Stalwart's own parse of them (its JSON), OpenDMARC's two provider reports, and
 * the two examples of the last RFC 9990 draft, each with its figures.
 */
class ConformanceAggregateReportsTest {
  private static final AggregateReportReader READER = AggregateReportReader.builder().build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> stalwart() throws IOException {
    return TestEnvironment.conformanceCases(
        "dmarc/stalwart-feedback",
        2,
        dir -> {
          try (Stream<Path> files = Files.list(dir)) {
            return files
                .filter(p -> p.toString().endsWith(".xml") || p.toString().endsWith(".eml"))
                .sorted()
                .map(p -> Arguments.of(Named.of(p.getFileName().toString(), p), dir))
                .toList()
                .stream();
          }
        });
  }

  /** The report, or the report e-mail, read as Stalwart's mail-auth read it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stalwart")
  void readsStalwartsSamplesAsStalwartDoes(Path file, Path dir) throws IOException {
    TestEnvironment.conformance("dmarc/stalwart-feedback");
    String name = file.getFileName().toString();
    ReceivedAggregateReport received;
    try (InputStream in = Files.newInputStream(file)) {
      received = name.endsWith(".eml") ? READER.readMessage(in) : READER.read(in);
    }
    JsonNode expected =
        JSON.readTree(dir.resolve(name.substring(0, name.length() - 4) + ".json").toFile());
    assertSameAsStalwart(received.report(), expected);
    if (name.endsWith(".eml")) {
      assertThat(received.mediaType()).isPresent();
      assertThat(received.findings()).as("findings").isEmpty();
      assertThat(received.subjectReportDomain()).hasValue("stalw.art");
    } else {
      assertThat(received.packing()).isEqualTo(Packing.XML);
      assertThat(received.mediaType()).isEmpty();
    }
  }

  private static void assertSameAsStalwart(AggregateReport report, JsonNode json) {
    JsonNode meta = json.path("report_metadata");
    assertThat(report.metadata().organizationName()).isEqualTo(meta.path("org_name").asString());
    assertThat(report.metadata().email()).isEqualTo(meta.path("email").asString());
    assertThat(report.metadata().reportId()).isEqualTo(meta.path("report_id").asString());
    assertThat(report.metadata().begin())
        .isEqualTo(Instant.ofEpochSecond(meta.path("date_range").path("begin").asLong()));
    assertThat(report.metadata().end())
        .isEqualTo(Instant.ofEpochSecond(meta.path("date_range").path("end").asLong()));
    JsonNode policy = json.path("policy_published");
    assertThat(report.policy().domain()).isEqualTo(policy.path("domain").asString());
    assertThat(report.policy().policy().map(DmarcPolicy::token)).isEqualTo(token(policy.path("p")));
    assertThat(report.policy().subdomainPolicy().map(DmarcPolicy::token))
        .isEqualTo(token(policy.path("sp")));
    assertThat(report.policy().dkimAlignment().map(AlignmentMode::name))
        .isEqualTo(token(policy.path("adkim")).map(t -> t.toUpperCase(Locale.ROOT)));
    List<ReportRecord> records = report.records();
    assertThat(records).hasSize(json.path("record").size());
    for (int i = 0; i < records.size(); i++) {
      ReportRecord r = records.get(i);
      JsonNode e = json.path("record").get(i);
      JsonNode row = e.path("row");
      assertThat(r.sourceIp()).isEqualTo(ip(row.path("source_ip").asString()));
      assertThat(r.count()).isEqualTo(row.path("count").asLong());
      JsonNode evaluated = row.path("policy_evaluated");
      assertThat(r.disposition().map(Disposition::token))
          .isEqualTo(token(evaluated.path("disposition")));
      assertThat(r.dkimAligned().map(p -> p ? "pass" : "fail"))
          .isEqualTo(token(evaluated.path("dkim")));
      assertThat(r.spfAligned().map(p -> p ? "pass" : "fail"))
          .isEqualTo(token(evaluated.path("spf")));
      assertThat(r.reasons()).hasSize(evaluated.path("reason").size());
      assertThat(r.headerFrom()).isEqualTo(e.path("identifiers").path("header_from").asString());
      assertThat(r.envelopeFrom().orElse(""))
          .isEqualTo(e.path("identifiers").path("envelope_from").asString(""));
      JsonNode dkim = e.path("auth_results").path("dkim");
      assertThat(r.dkim()).hasSize(dkim.size());
      for (int d = 0; d < dkim.size(); d++) {
        DkimAuthResult a = r.dkim().get(d);
        assertThat(a.domain()).isEqualTo(dkim.get(d).path("domain").asString());
        assertThat(a.selector().orElse("")).isEqualTo(dkim.get(d).path("selector").asString(""));
        assertThat(Optional.of(a.result().token())).isEqualTo(token(dkim.get(d).path("result")));
      }
      JsonNode spf = e.path("auth_results").path("spf");
      assertThat(r.spf()).hasSize(spf.size());
      for (int s = 0; s < spf.size(); s++) {
        SpfAuthResult a = r.spf().get(s);
        assertThat(a.domain()).isEqualTo(spf.get(s).path("domain").asString());
        assertThat(Optional.of(a.result().token())).isEqualTo(token(spf.get(s).path("result")));
        String scope = spf.get(s).path("scope").asString();
        assertThat(a.scope().map(SpfScope::token))
            .isEqualTo(
                switch (scope) {
                  case "MailFrom" -> Optional.of("mfrom");
                  case "Helo" -> Optional.of("helo");
                  default -> Optional.empty();
                });
      }
      assertThat(r.extensions()).hasSize(e.path("extensions").size());
    }
    assertThat(report.extensions()).hasSize(json.path("extensions").size());
  }

  /** Stalwart's enum names: {@code "Quarantine"}, {@code "Unspecified"} for absent. */
  private static Optional<String> token(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    String s = node.asString();
    return s.equals("Unspecified") ? Optional.empty() : Optional.of(s.toLowerCase(Locale.ROOT));
  }

  private static InetAddress ip(String text) {
    return com.google.common.net.InetAddresses.forString(text);
  }

  @Test
  void readsStalwartsExtensionsWithTheirAttributes() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/stalwart-feedback");
    ReceivedAggregateReport received = READER.read(Files.readAllBytes(dir.resolve("001.xml")));
    AggregateReport report = received.report();
    assertThat(report.version()).hasValue("2.0");
    assertThat(received.namespace()).isEmpty();
    assertThat(report.extensions())
        .containsExactly(
            ReportExtension.of(
                "<extension definition=\"https://path/to/spec\" name=\"otherExtension\">"
                    + "<data>...</data></extension>"));
    assertThat(report.records().get(0).extensions())
        .extracting(ReportExtension::xml)
        .containsExactly(
            "<extension definition=\"https://path/to/spec\" name=\"extensionName\">"
                + "<data>...</data></extension>",
            "<extension definition=\"https://path/to/spec2\" name=\"extensionName2\">"
                + "<data>...</data></extension>");
    assertThat(received.warnings())
        .extracting(ReportWarning::kind, w -> w.location().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.UNKNOWN_ELEMENT, "/feedback/report_metadata/date_range/unknown-tag1"),
            org.assertj.core.groups.Tuple.tuple(
                Kind.UNKNOWN_ELEMENT, "/feedback/policy_published/unknown-tag1"));
  }

  @Test
  void readsGooglesZipReportMailWithItsSubject() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/stalwart-feedback");
    ReceivedAggregateReport received =
        READER.readMessage(Files.readAllBytes(dir.resolve("100.eml")));
    assertThat(received.packing()).isEqualTo(Packing.ZIP);
    assertThat(received.mediaType()).hasValue("application/zip");
    assertThat(received.filename()).hasValue("google.com!stalw.art!1669507200!1669593599.zip");
    assertThat(received.archiveEntry()).hasValue("google.com!stalw.art!1669507200!1669593599.xml");
    assertThat(received.subjectReportDomain()).hasValue("stalw.art");
    assertThat(received.subjectSubmitter()).hasValue("google.com");
    assertThat(received.subjectReportId()).hasValue("5264580628977113351");
  }

  @Test
  void readsTheSubjectsOfOtherReporters() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/stalwart-feedback");
    ReceivedAggregateReport outlook =
        READER.readMessage(Files.readAllBytes(dir.resolve("103.eml")));
    assertThat(outlook.subjectSubmitter()).hasValue("protection.outlook.com");
    assertThat(outlook.subjectReportId()).hasValue("725cbfbe133940149987cfc528387235");
    assertThat(outlook.packing()).isEqualTo(Packing.GZIP);
    ReceivedAggregateReport amazon = READER.readMessage(Files.readAllBytes(dir.resolve("104.eml")));
    assertThat(amazon.mediaType()).hasValue("application/octet-stream");
    assertThat(amazon.subjectSubmitter()).hasValue("Amazon SES");
    assertThat(amazon.subjectReportDomain()).hasValue("stalw.art");
  }

  @Test
  void reads163ComsReportWithFractionalTimes() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/opendmarc-reports");
    ReceivedAggregateReport received =
        READER.read(
            Files.readAllBytes(
                dir.resolve("163.com!example.com!1337270400!1337356799.20120518163.xml")));
    AggregateReport report = received.report();
    assertThat(report.metadata().organizationName()).isEqualTo("163.com");
    assertThat(report.metadata().begin()).isEqualTo(Instant.ofEpochSecond(1337270400));
    assertThat(report.metadata().end()).isEqualTo(Instant.ofEpochSecond(1337356799));
    assertThat(report.policy().percent()).hasValue(100);
    assertThat(report.records()).hasSize(50);
    assertThat(report.messageCount()).isEqualTo(expectedCount(dir));
    assertThat(received.warnings()).isEmpty();
  }

  /** The sum of the file's counts, found by text, to check the parse against. */
  private static long expectedCount(Path dir) throws IOException {
    String text =
        Files.readString(dir.resolve("163.com!example.com!1337270400!1337356799.20120518163.xml"));
    long total = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<count>(\\d+)</count>").matcher(text);
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  /**
   * AOL's damaged report: an empty disposition and an IP address {@code 108r.166.27.220} would be
   * warnings and a dropped record, but the unescaped {@code <} in a {@code header_from} makes the
   * file not well-formed XML, so it is refused as a whole, after its windows-1252 declaration was
   * read.
   */
  @Test
  void refusesBadComsReportAsNotWellFormed() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/opendmarc-reports");
    byte[] bad = Files.readAllBytes(dir.resolve("bad.com!example.com!1337140800!1337227200.xml"));
    DmarcReportException e =
        catchThrowableOfType(DmarcReportException.class, () -> READER.read(bad));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_XML);
    assertThat(e.location().orElseThrow()).startsWith("/feedback/record[");
  }

  /** The same damaged records, with the unescaped {@code <} and the missing end tag repaired. */
  @Test
  void readsBadComsRecordsOnceTheXmlIsRepaired() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/opendmarc-reports");
    String text =
        Files.readString(
            dir.resolve("bad.com!example.com!1337140800!1337227200.xml"),
            java.nio.charset.Charset.forName("windows-1252"));
    // The file also ends without closing feedback.
    String repaired = repairHeaderFrom(text) + "</ns1:feedback>";
    ReceivedAggregateReport received =
        READER.read(repaired.getBytes(java.nio.charset.Charset.forName("windows-1252")));
    assertThat(received.namespace()).hasValue("http://dmarc.org/dmarc-xml/0.1");
    assertThat(received.warnings())
        .extracting(ReportWarning::kind)
        .contains(Kind.UNKNOWN_VALUE, Kind.DROPPED_RECORD);
    assertThat(received.warnings())
        .filteredOn(w -> w.kind() == Kind.DROPPED_RECORD)
        .extracting(ReportWarning::detail)
        .anyMatch(d -> d.contains("108r.166.27.220"));
    assertThat(received.report().records())
        .allSatisfy(r -> assertThat(r.sourceIp().getHostAddress()).doesNotContain("r"));
    assertThat(received.report().records().get(0).disposition()).isEmpty();
  }

  /** Escapes a {@code <} inside {@code header_from} text, the file's one fault as XML. */
  private static String repairHeaderFrom(String text) {
    StringBuilder sb = new StringBuilder();
    int from = 0;
    while (true) {
      int open = text.indexOf("<header_from>", from);
      if (open < 0) {
        sb.append(text.substring(from));
        return sb.toString();
      }
      int start = open + "<header_from>".length();
      int close = text.indexOf("</header_from>", start);
      sb.append(text, from, start).append(text.substring(start, close).replace("<", "&lt;"));
      from = close;
    }
  }

  @Test
  void readsTheRfc9990DraftExample() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/rfc9990-aggregate-draft32");
    ReceivedAggregateReport received =
        READER.read(Files.readAllBytes(dir.resolve("dmarc-xml-0.2.xml")));
    assertThat(received.namespace()).hasValue("urn:ietf:params:xml:ns:dmarc-2.0");
    assertThat(received.warnings()).isEmpty();
    AggregateReport report = received.report();
    assertThat(report.version()).hasValue("1.0");
    assertThat(report.metadata().reportId()).isEqualTo("3v98abbp8ya9n3va8yr8oa3ya");
    assertThat(report.metadata().generator()).hasValue("Example DMARC Aggregate Reporter v1.2");
    assertThat(report.metadata().begin()).isEqualTo(Instant.ofEpochSecond(302832000));
    assertThat(report.policy().nonexistentDomainPolicy()).hasValue(DmarcPolicy.NONE);
    assertThat(report.policy().testing()).hasValue(false);
    assertThat(report.policy().discoveryMethod()).hasValue(DiscoveryMethod.TREEWALK);
    ReportRecord r = report.records().get(0);
    assertThat(report.records()).hasSize(1);
    assertThat(r.sourceIp().getHostAddress()).isEqualTo("192.0.2.123");
    assertThat(r.count()).isEqualTo(123);
    assertThat(r.disposition()).hasValue(Disposition.PASS);
    assertThat(r.dkimAligned()).hasValue(true);
    assertThat(r.spfAligned()).hasValue(false);
    assertThat(r.envelopeFrom()).hasValue("example.com");
    assertThat(r.dkim())
        .containsExactly(DkimAuthResult.of("example.com", "abc123", DkimResult.PASS));
    assertThat(r.spf())
        .containsExactly(
            SpfAuthResult.of(
                "example.com", Optional.empty(), SpfReportResult.FAIL, Optional.empty()));
  }

  @Test
  void readsTheRfc9990DraftAlternativeExample() throws IOException {
    Path dir = TestEnvironment.conformance("dmarc/rfc9990-aggregate-draft32");
    ReceivedAggregateReport received =
        READER.read(Files.readAllBytes(dir.resolve("dmarc-xmlalt-0.2.xml")));
    AggregateReport report = received.report();
    assertThat(received.warnings()).isEmpty();
    assertThat(received.namespace()).hasValue("http://dmarc.org/dmarc-xml/0.2");
    assertThat(report.version()).hasValue("2.0");
    assertThat(report.metadata().end()).isEqualTo(Instant.ofEpochSecond(161221511));
    assertThat(report.policy().policy()).hasValue(DmarcPolicy.QUARANTINE);
    // The extensions are in the document's default namespace, which their text therefore declares.
    assertThat(report.extensions())
        .extracting(ReportExtension::xml)
        .containsExactly(
            "<whatever xmlns=\"http://dmarc.org/dmarc-xml/0.2\">Hello World!</whatever>");
    assertThat(report.records()).hasSize(1);
    ReportRecord r = report.records().get(0);
    assertThat(r.count()).isEqualTo(123);
    assertThat(r.disposition()).hasValue(Disposition.QUARANTINE);
    assertThat(r.extensions())
        .extracting(ReportExtension::name, e -> e.namespace().orElse(""))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("added", "http://dmarc.org/dmarc-xml/0.2"));
    assertThat(r.extensions().get(0).xml())
        .isEqualTo(
            "<added xmlns=\"http://dmarc.org/dmarc-xml/0.2\">"
                + "<explain>The xsd must be defined separately</explain></added>");
  }
}
