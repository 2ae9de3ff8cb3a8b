package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dns.DomainName;

/**
 * {@link AggregateReportXml}: golden documents of produced-style reports in both forms, compared
 * byte for byte; how each form maps what it lacks; refusals of what it requires; stream handling.
 * The same samples are validated against the XSDs by {@link AggregateReportXmlSchemaTest}.
 *
 * <p>When a golden file differs, the actual document is written under {@code
 * target/golden-actual/}; copy it over the golden file only on purpose.
 */
class AggregateReportXmlTest {
  static final Instant BEGIN = Instant.ofEpochSecond(1_767_225_600); // 2026-01-01T00:00:00Z
  static final Instant END = BEGIN.plusSeconds(86_399);

  // --- samples ---

  static ReportMetadata metadata(String id) {
    return ReportMetadata.builder()
        .organizationName("receiver.example")
        .email("dmarc-reports@receiver.example")
        .reportId(id)
        .dateRange(BEGIN, END)
        .build();
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no DNS
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ReportRecord.Builder record(String ip, String from) {
    return ReportRecord.builder(ip(ip), from)
        .disposition(Optional.of(Disposition.NONE))
        .dkimAligned(Optional.of(true))
        .spfAligned(Optional.of(true))
        .envelopeFrom(Optional.of(from));
  }

  static AggregateReport minimal() {
    return AggregateReport.builder(
            metadata("minimal-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.NONE)).build())
        .addRecord(
            ReportRecord.builder(ip("192.0.2.1"), "example.com")
                .disposition(Optional.of(Disposition.NONE))
                .dkimAligned(Optional.of(false))
                .spfAligned(Optional.of(false))
                .build())
        .build();
  }

  /** What the collector makes: the policy from a parsed record, RFC 9989 profile. */
  static AggregateReport produced() {
    DmarcRecord dmarc = DmarcRecord.parse("v=DMARC1; p=reject; rua=mailto:r@example.com; fo=1");
    return AggregateReport.builder(
            metadata("produced-1").newBuilder().generator(Optional.of("mailauth4j 0.1.0")).build(),
            PublishedPolicy.of(DomainName.parse("example.com"), dmarc, DmarcProfile.RFC9989))
        .version(Optional.of("1.0"))
        .addRecord(
            record("192.0.2.10", "example.com")
                .count(42)
                .disposition(Optional.of(Disposition.PASS))
                .addDkim(DkimAuthResult.of("example.com", "s2026", DkimResult.PASS))
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.PASS))
                .build())
        .addRecord(
            record("198.51.100.7", "example.com")
                .count(3)
                .disposition(Optional.of(Disposition.REJECT))
                .dkimAligned(Optional.of(false))
                .spfAligned(Optional.of(false))
                .envelopeFrom(Optional.of("spoof.example"))
                .addSpf(SpfAuthResult.of("spoof.example", SpfScope.MFROM, SpfReportResult.FAIL))
                .build())
        .build();
  }

  static AggregateReport full() {
    ReportMetadata m =
        metadata("full-1")
            .newBuilder()
            .extraContactInfo(Optional.of("https://receiver.example/dmarc"))
            .addError("DNS timeout for _dmarc.sub.example.com")
            .addError("record ignored: p=bogus")
            .generator(Optional.of("mailauth4j 0.1.0"))
            .build();
    PublishedPolicy p =
        PublishedPolicy.builder("example.com")
            .policy(Optional.of(DmarcPolicy.QUARANTINE))
            .subdomainPolicy(Optional.of(DmarcPolicy.REJECT))
            .nonexistentDomainPolicy(Optional.of(DmarcPolicy.REJECT))
            .dkimAlignment(Optional.of(AlignmentMode.STRICT))
            .spfAlignment(Optional.of(AlignmentMode.RELAXED))
            .discoveryMethod(Optional.of(DiscoveryMethod.TREEWALK))
            .failureOptions(Optional.of("d:s"))
            .testing(Optional.of(true))
            .percent(OptionalInt.of(50))
            .build();
    return AggregateReport.builder(m, p)
        .version(Optional.of("1.0"))
        .addExtension(ReportExtension.of("<ext:site xmlns:ext=\"urn:example:ext\">mx1</ext:site>"))
        .addRecord(
            record("192.0.2.20", "example.com")
                .count(1000)
                .disposition(Optional.of(Disposition.QUARANTINE))
                .dkimAligned(Optional.of(false))
                .spfAligned(Optional.of(true))
                .addReason(OverrideReason.of(OverrideType.LOCAL_POLICY, "allow-listed sender"))
                .envelopeFrom(Optional.of("bounce.example.com"))
                .envelopeTo(Optional.of("receiver.example"))
                .addDkim(
                    DkimAuthResult.of(
                        "example.com",
                        Optional.of("sel1"),
                        DkimResult.FAIL,
                        Optional.of("body hash did not verify")))
                .addSpf(
                    SpfAuthResult.of(
                        "bounce.example.com",
                        Optional.of(SpfScope.MFROM),
                        SpfReportResult.PASS,
                        Optional.of("ip4:192.0.2.0/24")))
                .addExtension(ReportExtension.of("<ext:arc xmlns:ext=\"urn:example:ext\"/>"))
                .build())
        .build();
  }

  static AggregateReport ipv6() {
    return AggregateReport.builder(
            metadata("ipv6-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.REJECT)).build())
        .addRecord(record("2001:db8::1", "example.com").build())
        .addRecord(record("2001:0db8:0000:0001:0000:0000:0000:00ff", "example.com").build())
        .addRecord(record("fe80::1%1", "example.com").build())
        .addRecord(record("::ffff:192.0.2.5", "example.com").build()) // Java: an IPv4 address
        .build();
  }

  static AggregateReport severalDkim() {
    return AggregateReport.builder(
            metadata("dkim-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.REJECT)).build())
        .addRecord(
            record("192.0.2.30", "example.com")
                .count(7)
                .addDkim(DkimAuthResult.of("example.com", "s1", DkimResult.PASS))
                .addDkim(DkimAuthResult.of("esp.example", "esp", DkimResult.PASS))
                .addDkim(DkimAuthResult.of("example.com", "old", DkimResult.PERMERROR))
                .addDkim(DkimAuthResult.of("example.com", "rot", DkimResult.POLICY))
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.SOFTFAIL))
                .build())
        .build();
  }

  static AggregateReport reasons() {
    ReportRecord.Builder r =
        record("192.0.2.40", "example.com")
            .disposition(Optional.of(Disposition.NONE))
            .dkimAligned(Optional.of(false))
            .spfAligned(Optional.of(false));
    for (OverrideType t : OverrideType.values()) {
      r.addReason(OverrideReason.of(t));
      r.addReason(OverrideReason.of(t, "why " + t.token()));
    }
    return AggregateReport.builder(
            metadata("reasons-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.REJECT)).build())
        .addRecord(r.build())
        .addRecord(
            record("192.0.2.41", "example.com")
                .disposition(Optional.of(Disposition.PASS))
                .addReason(OverrideReason.of(OverrideType.POLICY_TEST_MODE))
                .build())
        .build();
  }

  static AggregateReport extensions() {
    return AggregateReport.builder(
            metadata("ext-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.NONE)).build())
        .addExtension(
            ReportExtension.of(
                "<a:stats xmlns:a=\"urn:example:a\" a:unit=\"msg\" total=\"12\">"
                    + "<a:n kind=\"x&amp;y\">1 &lt; 2</a:n><!-- note --></a:stats>"))
        .addExtension(ReportExtension.of("<plain><inner>no namespace</inner></plain>"))
        .addExtension(
            ReportExtension.of(
                "<?xml version=\"1.0\"?><d xmlns=\"urn:example:d\" xml:lang=\"de\">"
                    + "<![CDATA[<raw>]]></d>"))
        .addRecord(
            record("192.0.2.50", "example.com")
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.PASS))
                .addExtension(ReportExtension.of("<hint>local</hint>"))
                .addExtension(
                    ReportExtension.of(
                        "<b:arc xmlns:b=\"urn:example:b\"><b:hop i=\"1\">pass</b:hop></b:arc>"))
                .build())
        .build();
  }

  static AggregateReport nonAscii() {
    return AggregateReport.builder(
            metadata("ünï-1")
                .newBuilder()
                .organizationName("Empfänger GmbH — 受信者")
                .extraContactInfo(Optional.of("Ansprechpartner: Jürgen 📧"))
                .build(),
            PublishedPolicy.builder("bücher.example").policy(Optional.of(DmarcPolicy.NONE)).build())
        .addRecord(
            record("192.0.2.60", "bücher.example")
                .addReason(OverrideReason.of(OverrideType.MAILING_LIST, "Liste „Freunde“ 🙂"))
                .addDkim(
                    DkimAuthResult.of(
                        "bücher.example",
                        Optional.of("sél"),
                        DkimResult.PASS,
                        Optional.of("geprüft")))
                .build())
        .build();
  }

  static AggregateReport spfScopes() {
    return AggregateReport.builder(
            metadata("spf-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.NONE)).build())
        .addRecord(
            record("192.0.2.70", "example.com")
                .addSpf(SpfAuthResult.of("mx.example.com", SpfScope.HELO, SpfReportResult.PASS))
                .addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.POLICY))
                .build())
        .addRecord(
            record("192.0.2.71", "example.com")
                .envelopeFrom(Optional.empty())
                .addSpf(
                    SpfAuthResult.of(
                        "mx.example.com",
                        Optional.of(SpfScope.HELO),
                        SpfReportResult.NEUTRAL,
                        Optional.of("null reverse-path")))
                .build())
        .addRecord(
            record("192.0.2.72", "example.com")
                .addSpf(
                    SpfAuthResult.of(
                        "example.com", Optional.empty(), SpfReportResult.PASS, Optional.empty()))
                .build())
        .addRecord(record("192.0.2.73", "example.com").build())
        .build();
  }

  /** The samples, each named; golden files are {@code golden/<name>.<form>.xml}. */
  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("minimal", minimal()),
        Arguments.of("produced", produced()),
        Arguments.of("full", full()),
        Arguments.of("ipv6", ipv6()),
        Arguments.of("several-dkim", severalDkim()),
        Arguments.of("reasons", reasons()),
        Arguments.of("extensions", extensions()),
        Arguments.of("non-ascii", nonAscii()),
        Arguments.of("spf-scopes", spfScopes()));
  }

  /** Every sample in every form, named {@code <sample>.<form>}. */
  static Stream<Arguments> documents() {
    return samples()
        .flatMap(
            a ->
                Stream.of(ReportFormat.values())
                    .map(
                        f ->
                            Arguments.of(
                                a.get()[0] + "." + f.name().toLowerCase(), a.get()[1], f)));
  }

  // --- golden files ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void writesTheGoldenDocument(String name, AggregateReport report, ReportFormat format)
      throws IOException {
    byte[] actual = AggregateReportXml.write(report, format);
    byte[] expected = golden(name + ".xml", actual);
    assertThat(new String(actual, UTF_8)).isEqualTo(new String(expected, UTF_8));
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void streamingGivesTheSameBytesEveryTime(String name, AggregateReport report, ReportFormat f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AggregateReportXml.write(report, f, out);
    assertThat(out.toByteArray())
        .isEqualTo(AggregateReportXml.write(report, f))
        .isEqualTo(AggregateReportXml.write(report.newBuilder().build(), f));
  }

  static byte[] golden(String name, byte[] actual) throws IOException {
    byte[] expected;
    try (InputStream in = AggregateReportXmlTest.class.getResourceAsStream("golden/" + name)) {
      expected = in == null ? new byte[0] : in.readAllBytes();
    }
    if (!java.util.Arrays.equals(actual, expected)) {
      Path out = Path.of("target", "golden-actual", name);
      Files.createDirectories(out.getParent());
      Files.write(out, actual);
    }
    return expected;
  }

  // --- mapping rules ---

  static String text(AggregateReport report, ReportFormat format) {
    return new String(AggregateReportXml.write(report, format), UTF_8);
  }

  static AggregateReport withRecord(UnaryOperator<ReportRecord.Builder> change) {
    return AggregateReport.builder(
            metadata("m-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.NONE)).build())
        .addRecord(change.apply(record("192.0.2.1", "example.com")).build())
        .build();
  }

  static Stream<Arguments> mappings() {
    ReportFormat n = ReportFormat.RFC9990;
    ReportFormat o = ReportFormat.RFC7489;
    AggregateReport pass = withRecord(r -> r.disposition(Optional.of(Disposition.PASS)));
    AggregateReport forwarded =
        withRecord(r -> r.addReason(OverrideReason.of(OverrideType.FORWARDED, "via list")));
    AggregateReport sampled =
        withRecord(r -> r.addReason(OverrideReason.of(OverrideType.SAMPLED_OUT)));
    AggregateReport testMode =
        withRecord(r -> r.addReason(OverrideReason.of(OverrideType.POLICY_TEST_MODE, "t=y")));
    AggregateReport noEnvelope = withRecord(r -> r.envelopeFrom(Optional.empty()));
    AggregateReport heloOnly =
        withRecord(
            r -> r.addSpf(SpfAuthResult.of("mx.example", SpfScope.HELO, SpfReportResult.PASS)));
    AggregateReport policyResult =
        withRecord(
            r -> r.addSpf(SpfAuthResult.of("example.com", SpfScope.MFROM, SpfReportResult.POLICY)));
    AggregateReport errors =
        AggregateReport.builder(
                metadata("e-1").newBuilder().addError("one").addError("two").build(),
                PublishedPolicy.builder("example.com")
                    .policy(Optional.of(DmarcPolicy.NONE))
                    .build())
            .addRecord(record("192.0.2.1", "example.com").build())
            .build();
    AggregateReport rfc9990Only = full();
    return Stream.of(
        Arguments.of("9990: disposition pass stays pass", pass, n, "<disposition>pass<", null),
        Arguments.of(
            "7489: disposition pass is none", pass, o, "<disposition>none<", "<disposition>pass"),
        Arguments.of(
            "9990: forwarded is other with the type in the comment",
            forwarded,
            n,
            "<type>other</type>\n          <comment>forwarded: via list</comment>",
            "<type>forwarded"),
        Arguments.of("7489: forwarded stays", forwarded, o, "<type>forwarded</type>", null),
        Arguments.of(
            "9990: sampled_out is other, the comment is the type",
            sampled,
            n,
            "<type>other</type>\n          <comment>sampled_out</comment>",
            "<type>sampled_out"),
        Arguments.of(
            "7489: policy_test_mode is other",
            testMode,
            o,
            "<type>other</type>\n          <comment>policy_test_mode: t=y</comment>",
            "<type>policy_test_mode"),
        Arguments.of(
            "9990: policy_test_mode stays", testMode, n, "<type>policy_test_mode</type>", null),
        Arguments.of(
            "9990: no envelope_from is left out", noEnvelope, n, "<header_from>", "envelope_from"),
        Arguments.of(
            "7489: no envelope_from is an empty element",
            noEnvelope,
            o,
            "<envelope_from></envelope_from>",
            null),
        Arguments.of(
            "7489: no SPF result is spf none for the MAIL FROM domain",
            minimal(),
            o,
            "<spf>\n        <domain></domain>\n        <scope>mfrom</scope>\n"
                + "        <result>none</result>",
            null),
        Arguments.of(
            "9990: no SPF result is no spf element", minimal(), n, "<auth_results>", "<spf>\n"),
        Arguments.of(
            "9990: a helo result loses its scope and says it in human_result",
            heloOnly,
            n,
            "<domain>mx.example</domain>\n        <result>pass</result>\n"
                + "        <human_result>scope=helo</human_result>",
            "<scope>"),
        Arguments.of("7489: helo scope stays", heloOnly, o, "<scope>helo</scope>", null),
        Arguments.of(
            "7489: SPF policy is fail", policyResult, o, "<result>fail</result>", "<result>policy"),
        Arguments.of("9990: SPF policy stays", policyResult, n, "<result>policy</result>", null),
        Arguments.of(
            "9990: errors are joined into one",
            errors,
            n,
            "<error>one; two</error>",
            "<error>one<"),
        Arguments.of(
            "7489: errors stay apart",
            errors,
            o,
            "<error>one</error>\n    <error>two</error>",
            null),
        Arguments.of("9990: no pct", rfc9990Only, n, "<testing>y</testing>", "<pct>"),
        Arguments.of("7489: pct as published", rfc9990Only, o, "<pct>50</pct>", null),
        Arguments.of("7489: pct defaults to 100", minimal(), o, "<pct>100</pct>", null),
        Arguments.of("7489: version defaults to 1.0", minimal(), o, "<version>1.0</version>", null),
        Arguments.of(
            "9990: no version without one", minimal(), n, "<report_metadata>", "<version>"),
        Arguments.of("7489: no np", rfc9990Only, o, "<sp>reject</sp>", "<np>"),
        Arguments.of("7489: no testing", rfc9990Only, o, "<fo>d:s</fo>", "<testing>"),
        Arguments.of("7489: no discovery_method", rfc9990Only, o, "<aspf>", "discovery_method"),
        Arguments.of("7489: no generator", rfc9990Only, o, "<report_id>", "<generator>"),
        Arguments.of("7489: no SPF human_result", rfc9990Only, o, "<scope>mfrom", "ip4:"),
        Arguments.of("7489: no extensions", rfc9990Only, o, "<record>", "urn:example:ext"),
        Arguments.of(
            "9990: report extensions inside one extension element",
            rfc9990Only,
            n,
            "<extension>\n    <ext:site xmlns:ext=\"urn:example:ext\">mx1</ext:site>\n  </extension>",
            null),
        Arguments.of(
            "9990: record extensions after auth_results",
            rfc9990Only,
            n,
            "</auth_results>\n    <ext:arc xmlns:ext=\"urn:example:ext\"></ext:arc>\n  </record>",
            null),
        Arguments.of(
            "7489: IPv6 with all eight groups (errata 5221)",
            ipv6(),
            o,
            "<source_ip>2001:db8:0:0:0:0:0:1</source_ip>",
            "::"),
        Arguments.of(
            "9990: IPv6 in RFC 5952 form without a zone",
            ipv6(),
            n,
            "<source_ip>2001:db8:0:1::ff</source_ip>",
            "%"),
        Arguments.of(
            "dates as Unix seconds",
            minimal(),
            n,
            "<begin>1767225600</begin>\n      <end>1767311999</end>",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void mapsWhatTheFormLacks(
      String name, AggregateReport report, ReportFormat format, String present, String absent) {
    String xml = text(report, format);
    assertThat(xml).contains(present);
    if (absent != null) {
      assertThat(xml).doesNotContain(absent);
    }
  }

  // --- refusals ---

  static Stream<Arguments> incomplete() {
    PublishedPolicy noP = PublishedPolicy.builder("example.com").build();
    AggregateReport noPolicy =
        AggregateReport.builder(metadata("x"), noP)
            .addRecord(record("192.0.2.1", "example.com").build())
            .build();
    AggregateReport noRecords =
        AggregateReport.builder(
                metadata("x"),
                PublishedPolicy.builder("example.com")
                    .policy(Optional.of(DmarcPolicy.NONE))
                    .build())
            .build();
    AggregateReport badVersion = minimal().newBuilder().version(Optional.of("v1")).build();
    AggregateReport noDisposition = withRecord(r -> r.disposition(Optional.empty()));
    AggregateReport noDkim = withRecord(r -> r.dkimAligned(Optional.empty()));
    AggregateReport noSpf = withRecord(r -> r.spfAligned(Optional.empty()));
    AggregateReport noSelector =
        withRecord(
            r ->
                r.addDkim(
                    DkimAuthResult.of(
                        "example.com", Optional.empty(), DkimResult.PASS, Optional.empty())));
    List<Arguments> cases = new ArrayList<>();
    for (ReportFormat f : ReportFormat.values()) {
      String form = f.name().toLowerCase();
      cases.add(Arguments.of(form + ": no p", noPolicy, f, "policy_published/p"));
      cases.add(Arguments.of(form + ": no record", noRecords, f, "record is required"));
      cases.add(Arguments.of(form + ": version not a decimal", badVersion, f, "\"v1\""));
      cases.add(
          Arguments.of(
              form + ": no disposition", noDisposition, f, "policy_evaluated/disposition"));
      cases.add(Arguments.of(form + ": no aligned dkim", noDkim, f, "policy_evaluated/dkim"));
      cases.add(Arguments.of(form + ": no aligned spf", noSpf, f, "policy_evaluated/spf"));
    }
    cases.add(
        Arguments.of("rfc9990: no DKIM selector", noSelector, ReportFormat.RFC9990, "selector"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incomplete")
  void refusesWhatTheFormRequiresBeforeWritingAByte(
      String name, AggregateReport report, ReportFormat format, String element) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> AggregateReportXml.write(report, format, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(element);
    assertThat(out.size()).isZero();
  }

  @Test
  @DisplayName("7489: a DKIM result without a selector is written without one")
  void rfc7489KeepsASelectorlessDkimResult() {
    AggregateReport r =
        withRecord(
            b ->
                b.addDkim(
                    DkimAuthResult.of(
                        "example.com", Optional.empty(), DkimResult.PASS, Optional.empty())));
    assertThat(text(r, ReportFormat.RFC7489))
        .contains("<dkim>\n        <domain>example.com</domain>\n        <result>pass</result>");
  }

  // --- the caller's stream ---

  /** Records close and flush calls, and fails every write once told to. */
  static final class WatchedStream extends FilterOutputStream {
    boolean closed;
    int flushes;
    boolean failing;

    WatchedStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failing) {
        throw new IOException("disk full");
      }
      out.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
      flushes++;
      super.flush();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  @DisplayName("the stream is flushed and left open")
  void leavesTheStreamOpen() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WatchedStream out = new WatchedStream(bytes);
    AggregateReportXml.write(full(), ReportFormat.RFC9990, out);
    assertThat(out.closed).isFalse();
    assertThat(out.flushes).isPositive();
    assertThat(bytes.toByteArray())
        .isEqualTo(AggregateReportXml.write(full(), ReportFormat.RFC9990));
  }

  @Test
  @DisplayName("an IOException of the stream is an UncheckedIOException with it as the cause")
  void wrapsTheStreamsIoException() {
    WatchedStream out = new WatchedStream(new ByteArrayOutputStream());
    out.failing = true;
    assertThatThrownBy(() -> AggregateReportXml.write(full(), ReportFormat.RFC9990, out))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("disk full");
    assertThat(out.closed).isFalse();
  }

  @Test
  @DisplayName("the document starts with the UTF-8 declaration and the form's default namespace")
  void declarationAndNamespace() {
    assertThat(text(minimal(), ReportFormat.RFC9990))
        .startsWith(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n");
    assertThat(text(minimal(), ReportFormat.RFC7489))
        .startsWith(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<feedback xmlns=\"http://dmarc.org/dmarc-xml/0.1\">\n")
        .endsWith("</feedback>\n");
  }
}
