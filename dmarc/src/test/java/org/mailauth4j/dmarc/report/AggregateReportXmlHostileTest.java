package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dkim.DkimResult;

/**
 * Values from received reports are untrusted and may be written again: control characters, lone
 * surrogates, {@code ]]>}, text that looks like markup, line ends and huge strings all give
 * well-formed documents (valid ones too: {@link AggregateReportXmlSchemaTest}), with every
 * character XML 1.0 cannot carry replaced by U+FFFD.
 */
class AggregateReportXmlHostileTest {
  private static final String HUGE = "x".repeat(4 << 20) + "]]>" + "y".repeat(1 << 20);

  /** A report whose org_name, report_id, header_from, comment and human_result are the value. */
  static AggregateReport carrying(String value) {
    ReportMetadata m =
        AggregateReportXmlTest.metadata("id-" + value).newBuilder().organizationName(value).build();
    return AggregateReport.builder(
            m,
            PublishedPolicy.builder("example.com")
                .policy(Optional.of(org.mailauth4j.dmarc.DmarcPolicy.NONE))
                .build())
        .addRecord(
            AggregateReportXmlTest.record("192.0.2.1", value)
                .addReason(OverrideReason.of(OverrideType.OTHER, value))
                .addDkim(
                    DkimAuthResult.of(
                        "example.com", Optional.of("s"), DkimResult.FAIL, Optional.of(value)))
                .build())
        .build();
  }

  /** Named hostile values, the report carrying each, and what a reader must see. */
  static Stream<Arguments> hostileValues() {
    return Stream.of(
        Arguments.of(
            "C0 controls",
            "a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg",
            "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg"),
        Arguments.of("NUL inside a domain", "exa\u0000mple.com", "exa\uFFFDmple.com"),
        Arguments.of("C1 controls and DEL are XML 1.0 Chars", "a\u007Fb\u0085c", "a\u007Fb\u0085c"),
        Arguments.of("the CDATA end", "a]]>b]]]]>c", "a]]>b]]]]>c"),
        Arguments.of(
            "text that looks like markup",
            "</org_name><feedback a=\"1\">&amp;&#0;<!-- x -->",
            "</org_name><feedback a=\"1\">&amp;&#0;<!-- x -->"),
        Arguments.of("a lone high surrogate", "a\uD800b", "a\uFFFDb"),
        Arguments.of("a lone low surrogate", "a\uDC00b", "a\uFFFDb"),
        Arguments.of("a surrogate pair is kept", "a\uD83D\uDE00b", "a\uD83D\uDE00b"),
        Arguments.of("a high surrogate at the end", "ab\uD83D", "ab\uFFFD"),
        Arguments.of("U+FFFE and U+FFFF", "a\uFFFEb\uFFFFc", "a\uFFFDb\uFFFDc"),
        Arguments.of("CR LF and a lone CR become LF", "a\r\nb\rc\nd\te", "a\nb\nc\nd\te"),
        Arguments.of("empty", "", ""));
  }

  static Stream<Arguments> hostileReports() {
    return Stream.concat(
        hostileValues().map(a -> Arguments.of(a.get()[0], carrying((String) a.get()[1]))),
        Stream.of(Arguments.of("huge strings", carrying(HUGE))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void aReaderSeesTheValueMadeSafe(String name, String value, String expected)
      throws XMLStreamException {
    for (ReportFormat f : ReportFormat.values()) {
      byte[] xml = AggregateReportXml.write(carrying(value), f);
      assertThat(texts(xml, "org_name")).as("%s org_name", f).containsExactly(expected);
      assertThat(texts(xml, "report_id")).as("%s report_id", f).containsExactly("id-" + expected);
      assertThat(texts(xml, "header_from")).as("%s header_from", f).containsExactly(expected);
      assertThat(texts(xml, "comment")).as("%s comment", f).containsExactly(expected);
      assertThat(texts(xml, "human_result")).as("%s human_result", f).containsExactly(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void xmlTextLeavesOnlyXmlChars(String name, String value, String expected) {
    String safe = ReportXmlWriter.xmlText(value);
    assertThat(safe).isEqualTo(expected);
    assertThat(safe.codePoints().allMatch(AggregateReportXmlHostileTest::isXmlChar)).isTrue();
  }

  @Test
  @DisplayName("huge strings are written whole and read back equal")
  void hugeStrings() throws XMLStreamException {
    for (ReportFormat f : ReportFormat.values()) {
      byte[] xml = AggregateReportXml.write(carrying(HUGE), f);
      assertThat(texts(xml, "org_name")).singleElement().isEqualTo(HUGE);
      assertThat(texts(xml, "comment")).singleElement().isEqualTo(HUGE);
    }
  }

  @Test
  @DisplayName("extension text with ]]> and quotes is escaped again when copied")
  void extensionTextIsEscapedAgain() throws XMLStreamException {
    AggregateReport r =
        AggregateReportXmlTest.minimal()
            .newBuilder()
            .addExtension(
                ReportExtension.of("<x q=\"&quot;&lt;&amp;\">a]]&gt;b &lt;/extension&gt;</x>"))
            .build();
    byte[] xml = AggregateReportXml.write(r, ReportFormat.RFC9990);
    assertThat(texts(xml, "x")).containsExactly("a]]>b </extension>");
    assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8))
        .contains("<x xmlns=\"\" q=\"&quot;&lt;&amp;\">a]]&gt;b &lt;/extension&gt;</x>");
  }

  @Test
  @DisplayName("an extension with a DTD or an entity is refused when it is made")
  void extensionsWithEntitiesNeverReachTheWriter() {
    assertThatThrownBy(() -> ReportExtension.of("<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ReportExtension.of(
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static boolean isXmlChar(int c) {
    // XML 1.0 §2.2 Char
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  /** The text of every element with the local name, read by a secure StAX parser. */
  static List<String> texts(byte[] xml, String localName) throws XMLStreamException {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(xml));
    List<String> found = new ArrayList<>();
    try {
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals(localName)) {
          found.add(r.getElementText());
        }
      }
    } finally {
      r.close();
    }
    return found;
  }
}
