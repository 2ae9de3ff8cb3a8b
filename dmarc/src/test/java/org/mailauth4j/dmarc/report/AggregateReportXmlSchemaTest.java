package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.testkit.TestEnvironment;
import org.xml.sax.SAXException;

/**
 * Every document {@link AggregateReportXml} writes is valid against its form's XSD from {@code
 * conformance/dmarc/}: RFC 9990's (draft 32) as it is, RFC 7489 Appendix C's with its namespace.
 *
 * <p>The stored RFC 7489 XSD has its {@code targetNamespace} commented out (as published it names
 * the namespace but declares no default one, so its own type references would not resolve). The
 * test reads it with {@code targetNamespace}, {@code xmlns} and {@code elementFormDefault=
 * "qualified"} set to {@code http://dmarc.org/dmarc-xml/0.1}, the schema RFC 7489 meant. Its {@code
 * IPAddress} pattern accepts IPv6 only with all eight groups (RFC 7489 errata 5221; {@code
 * dmarc-relaxed.xsd} has the same pattern), which is why the RFC 7489 form writes IPv6 that way;
 * {@link #theRfc7489PatternRejectsCompressedIpv6()} shows the rejection. IPv6 cases validate
 * against the strict XSD.
 */
class AggregateReportXmlSchemaTest {
  private static final String RFC9990_DIR = "dmarc/rfc9990-aggregate-draft32";
  private static final String RFC7489_DIR = "dmarc/rfc7489-xsd";
  private static final String XS_SCHEMA =
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">";

  static Schema schema(ReportFormat format) throws IOException, SAXException {
    SchemaFactory f = SchemaFactory.newDefaultInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    if (format == ReportFormat.RFC9990) {
      Path xsd = TestEnvironment.conformance(RFC9990_DIR).resolve("dmarc-xml-0.2.xsd");
      return f.newSchema(new StreamSource(xsd.toFile()));
    }
    Path xsd = TestEnvironment.conformance(RFC7489_DIR).resolve("dmarc.xsd");
    String text = Files.readString(xsd, UTF_8);
    assertThat(text).as("the stored RFC 7489 XSD's schema element").contains(XS_SCHEMA);
    String ns = ReportFormat.RFC7489.namespace();
    String withNamespace =
        text.replace(
            XS_SCHEMA,
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\""
                + ns
                + "\" xmlns=\""
                + ns
                + "\" elementFormDefault=\"qualified\">");
    return f.newSchema(new StreamSource(new StringReader(withNamespace), xsd.toUri().toString()));
  }

  static void validate(byte[] document, ReportFormat format) throws IOException, SAXException {
    Validator v = schema(format).newValidator();
    v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    v.validate(new StreamSource(new ByteArrayInputStream(document)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.mailauth4j.dmarc.report.AggregateReportXmlTest#documents")
  void everyWrittenDocumentIsValid(String name, AggregateReport report, ReportFormat format)
      throws IOException, SAXException {
    validate(AggregateReportXml.write(report, format), format);
  }

  static Stream<Arguments> hostile() {
    return AggregateReportXmlHostileTest.hostileReports()
        .flatMap(
            a ->
                Stream.of(ReportFormat.values())
                    .map(
                        f ->
                            Arguments.of(
                                a.get()[0] + "." + f.name().toLowerCase(), a.get()[1], f)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileValuesStillGiveValidDocuments(String name, AggregateReport report, ReportFormat f)
      throws IOException, SAXException {
    validate(AggregateReportXml.write(report, f), f);
  }

  @Test
  @DisplayName("the RFC 9990 sample of draft 32 is valid against its XSD (the test's own check)")
  void theRfc9990SampleIsValid() throws IOException, SAXException {
    Path sample = TestEnvironment.conformance(RFC9990_DIR).resolve("dmarc-xml-0.2.xml");
    validate(Files.readAllBytes(sample), ReportFormat.RFC9990);
  }

  @Test
  @DisplayName("the RFC 7489 XSD's IP pattern rejects RFC 5952 IPv6 (errata 5221)")
  void theRfc7489PatternRejectsCompressedIpv6() throws IOException, SAXException {
    byte[] full = AggregateReportXml.write(AggregateReportXmlTest.ipv6(), ReportFormat.RFC7489);
    String text = new String(full, UTF_8);
    assertThat(text).contains("<source_ip>2001:db8:0:0:0:0:0:1</source_ip>");
    validate(full, ReportFormat.RFC7489);
    byte[] compressed = text.replace("2001:db8:0:0:0:0:0:1", "2001:db8::1").getBytes(UTF_8);
    assertThatThrownBy(() -> validate(compressed, ReportFormat.RFC7489))
        .isInstanceOf(SAXException.class)
        .hasMessageContaining("2001:db8::1");
  }

  @Test
  @DisplayName("the validation can fail: an RFC 9990 document without p is invalid")
  void validationCanFail() throws IOException, SAXException {
    AggregateReport r =
        AggregateReportXmlTest.minimal().newBuilder().version(Optional.of("1.0")).build();
    String text = new String(AggregateReportXml.write(r, ReportFormat.RFC9990), UTF_8);
    assertThat(text).contains("<p>" + DmarcPolicy.NONE.token() + "</p>");
    byte[] withoutP = text.replace("<p>none</p>", "").getBytes(UTF_8);
    assertThatThrownBy(() -> validate(withoutP, ReportFormat.RFC9990))
        .isInstanceOf(SAXException.class);
    byte[] in7489 = text.getBytes(UTF_8);
    assertThatThrownBy(() -> validate(in7489, ReportFormat.RFC7489))
        .as("an RFC 9990 document is not an RFC 7489 one")
        .isInstanceOf(SAXException.class);
  }
}
