package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * Reports in each encoding XML 1.0 Appendix F tells apart, and bytes that are not of their
 * encoding: read or refused, and never a line on standard error (the JDK's parser prints {@code
 * [Fatal Error]} for malformed UTF-8 given bytes; the reader gives it characters).
 */
class ReportXmlEncodingTest {
  private static final AggregateReportReader READER = AggregateReportReader.builder().build();

  private static final String DOC =
      HostileAggregateReportTest.report(1)
          .replace("<org_name>o</org_name>", "<org_name>Ré</org_name>");

  private static byte[] encoded(String declaration, Charset charset, byte... bom) {
    byte[] text = (declaration + DOC).getBytes(charset);
    byte[] out = Arrays.copyOf(bom, bom.length + text.length);
    System.arraycopy(text, 0, out, bom.length, text.length);
    return out;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static Stream<Arguments> readable() {
    String decl = "<?xml version=\"1.0\" encoding=\"%s\"?>";
    return Stream.of(
        Arguments.of("UTF-8 without declaration", DOC.getBytes(UTF_8)),
        Arguments.of("UTF-8 declared", encoded(decl.formatted("UTF-8"), UTF_8)),
        Arguments.of("UTF-8 declared in lower case", encoded(decl.formatted("utf-8"), UTF_8)),
        Arguments.of("UTF-8 with a byte order mark", encoded("", UTF_8, bytes(0xEF, 0xBB, 0xBF))),
        Arguments.of(
            "UTF-16BE with a byte order mark",
            encoded(decl.formatted("UTF-16"), Charset.forName("UTF-16BE"), bytes(0xFE, 0xFF))),
        Arguments.of(
            "UTF-16LE with a byte order mark",
            encoded(decl.formatted("UTF-16"), Charset.forName("UTF-16LE"), bytes(0xFF, 0xFE))),
        Arguments.of(
            "UTF-16LE without a byte order mark",
            encoded(decl.formatted("UTF-16LE"), Charset.forName("UTF-16LE"))),
        Arguments.of(
            "ISO-8859-1 declared",
            encoded(decl.formatted("ISO-8859-1"), Charset.forName("ISO-8859-1"))),
        Arguments.of(
            "windows-1252 declared, single quotes",
            encoded(
                "<?xml version='1.0' encoding='windows-1252'?>", Charset.forName("windows-1252"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readable")
  void readsEachEncodingSilently(String name, byte[] input) {
    String err =
        stderrOf(
            () -> {
              ReceivedAggregateReport read = READER.read(input);
              assertThat(read.report().metadata().organizationName()).isEqualTo("Ré");
              assertThat(READER.read(HostileAggregateReportTest.gzip(input)).report())
                  .isEqualTo(read.report());
            });
    assertThat(err).isEmpty();
  }

  static Stream<Arguments> malformed() {
    byte[] head = "<feedback><report_metadata><org_name>".getBytes(UTF_8);
    byte[] tail = DOC.substring(DOC.indexOf("</org_name>")).getBytes(UTF_8);
    return Stream.of(
        Arguments.of(
            "a 4-byte UTF-8 sequence broken at its second byte",
            concat(head, bytes(0xF0, 0x28, 0x8C, 0x28), tail)),
        Arguments.of("a lone UTF-8 continuation byte", concat(head, bytes(0x80), tail)),
        Arguments.of("an overlong UTF-8 encoding of '<'", concat(head, bytes(0xC0, 0xBC), tail)),
        Arguments.of("a UTF-8 encoded surrogate", concat(head, bytes(0xED, 0xA0, 0x80), tail)),
        Arguments.of("a byte of Latin-1 in UTF-8", concat(head, bytes(0xE9), tail)),
        Arguments.of(
            "UTF-16 declared over 8-bit bytes",
            ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + DOC).getBytes(UTF_8)),
        Arguments.of(
            "an unknown declared encoding",
            ("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>" + DOC).getBytes(UTF_8)),
        Arguments.of("UCS-4 big-endian", concat(bytes(0x00, 0x00, 0x00, 0x3C), tail)),
        Arguments.of("UCS-4 little-endian byte order mark", concat(bytes(0xFF, 0xFE, 0, 0), tail)),
        Arguments.of("EBCDIC", concat(bytes(0x4C, 0x6F, 0xA7, 0x94), tail)),
        Arguments.of(
            "UTF-16 with a lone surrogate",
            concat(
                bytes(0xFE, 0xFF),
                "<feedback>".getBytes(Charset.forName("UTF-16BE")),
                bytes(0xD8, 0x00, 0x00, 0x41))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesBytesNotOfTheirEncodingSilently(String name, byte[] input) {
    String err =
        stderrOf(
            () -> {
              DmarcReportException e =
                  catchThrowableOfType(DmarcReportException.class, () -> READER.read(input));
              assertThat(e).as(name).isNotNull();
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MALFORMED_XML);
            });
    assertThat(err).as("standard error").isEmpty();
  }

  /** What a block writes to standard error. */
  private static String stderrOf(Runnable block) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      block.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(UTF_8);
  }
}
