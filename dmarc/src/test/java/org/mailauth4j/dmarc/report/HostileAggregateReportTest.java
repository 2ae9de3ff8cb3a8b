package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * Input made to hurt: entities of every kind, gzip and zip bombs, nested and unsafe archives,
 * corrupt compression, deep nesting, too many of everything, and a 100 MB report streamed; every
 * limit at its value and one past it.
 */
class HostileAggregateReportTest {
  private static final AggregateReportReader READER = AggregateReportReader.builder().build();

  static final String HEAD =
      "<feedback><report_metadata><org_name>o</org_name><email>e@o</email>"
          + "<report_id>1</report_id><date_range><begin>0</begin><end>86399</end></date_range>"
          + "</report_metadata><policy_published><domain>example.com</domain></policy_published>";

  static final String RECORD =
      "<record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated>"
          + "<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>"
          + "</row><identifiers><header_from>example.com</header_from></identifiers>"
          + "<auth_results><spf><domain>example.com</domain><result>pass</result></spf>"
          + "</auth_results></record>";

  static String report(int records) {
    return HEAD + RECORD.repeat(records) + "</feedback>";
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] zip(Object... namesAndData) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndData.length; i += 2) {
        z.putNextEntry(new ZipEntry((String) namesAndData[i]));
        z.write((byte[]) namesAndData[i + 1]);
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** A report whose one unknown element holds {@code mebibytes} MiB of spaces, gzip-compressed. */
  static byte[] gzipBomb(int mebibytes) {
    byte[] mib = new byte[1 << 20];
    Arrays.fill(mib, (byte) ' ');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write(bytes(HEAD + RECORD));
      for (int i = 0; i < mebibytes; i++) {
        gz.write(mib);
      }
      gz.write(bytes("</feedback>"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Stream<Arguments> refused() {
    ServerSocketHolder.start();
    String http = "http://127.0.0.1:" + ServerSocketHolder.port() + "/x";
    byte[] report = bytes(report(1));
    return Stream.of(
        Arguments.of(
            "XXE of a file",
            READER,
            bytes(
                "<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feedback>&x;</feedback>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "XXE over http",
            READER,
            bytes(
                "<!DOCTYPE feedback [<!ENTITY x SYSTEM \""
                    + http
                    + "\">]><feedback>&x;</feedback>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "billion laughs",
            READER,
            bytes(
                "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">"
                    + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;\">]><feedback>&lol3;</feedback>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "parameter entity",
            READER,
            bytes("<!DOCTYPE feedback [<!ENTITY % p SYSTEM \"" + http + "\"> %p;]><feedback/>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "external DTD",
            READER,
            bytes("<!DOCTYPE feedback SYSTEM \"" + http + "\"><feedback/>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "undeclared entity reference",
            READER,
            bytes(HEAD.replace("<org_name>o", "<org_name>&x;") + "</feedback>"),
            Reason.ENTITY_REFUSED),
        Arguments.of(
            "entity in an extension",
            READER,
            bytes(HEAD + "<extension><x>&x;</x></extension></feedback>"),
            Reason.ENTITY_REFUSED),
        Arguments.of("gzip bomb stopped by the ratio", READER, gzipBomb(64), Reason.TOO_LARGE),
        Arguments.of(
            "gzip bomb stopped by the size",
            READER.newBuilder().maxXmlBytes(8 << 20).maxCompressionRatio(100_000).build(),
            gzipBomb(64),
            Reason.TOO_LARGE),
        Arguments.of(
            "zip bomb stopped by the ratio",
            READER,
            zip("r.xml", concat(bytes(HEAD + RECORD), spaces(64 << 20), bytes("</feedback>"))),
            Reason.TOO_LARGE),
        Arguments.of(
            "zip bomb in an entry after the report",
            READER,
            zip("r.xml", report, "pad.txt", spaces(64 << 20)),
            Reason.TOO_LARGE),
        Arguments.of(
            "zip in zip", READER, zip("inner.zip", zip("r.xml", report)), Reason.NESTED_ARCHIVE),
        Arguments.of("gzip in zip", READER, zip("r.xml.gz", gzip(report)), Reason.NESTED_ARCHIVE),
        Arguments.of(
            "gzip in zip under an .xml name",
            READER,
            zip("r.xml", gzip(report)),
            Reason.NESTED_ARCHIVE),
        Arguments.of("gzip in gzip", READER, gzip(gzip(report)), Reason.NESTED_ARCHIVE),
        Arguments.of("zip slip", READER, zip("../../etc/r.xml", report), Reason.NESTED_ARCHIVE),
        Arguments.of(
            "absolute zip entry", READER, zip("/tmp/r.xml", report), Reason.NESTED_ARCHIVE),
        Arguments.of(
            "zip without a report", READER, zip("readme.txt", bytes("hello")), Reason.NOT_A_REPORT),
        Arguments.of(
            "truncated gzip",
            READER,
            Arrays.copyOf(gzip(report), gzip(report).length - 12),
            Reason.CORRUPT_COMPRESSION),
        Arguments.of(
            "gzip with a bad CRC", READER, badCrc(gzip(report)), Reason.CORRUPT_COMPRESSION),
        Arguments.of(
            "truncated zip",
            READER,
            Arrays.copyOf(zip("r.xml", bytes(report(200))), 200),
            Reason.CORRUPT_COMPRESSION),
        Arguments.of("not XML", READER, bytes("hello"), Reason.MALFORMED_XML),
        Arguments.of("another root", READER, bytes("<html/>"), Reason.NOT_A_REPORT),
        Arguments.of(
            "text beyond the limit",
            READER,
            bytes(HEAD.replace("<org_name>o", "<org_name>" + "o".repeat(70_000)) + "</feedback>"),
            Reason.TOO_LARGE),
        Arguments.of(
            "deep unknown elements",
            READER,
            bytes(HEAD + "<x>".repeat(100) + "</x>".repeat(100) + "</feedback>"),
            Reason.TOO_DEEP),
        Arguments.of(
            "a report without metadata",
            READER,
            bytes("<feedback><policy_published><domain>d</domain></policy_published></feedback>"),
            Reason.MISSING_ELEMENT),
        Arguments.of(
            "a date range that ends before it begins",
            READER,
            bytes(HEAD.replace("<end>86399</end>", "<end>-1</end>") + "</feedback>"),
            Reason.BAD_VALUE));
  }

  static byte[] spaces(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) ' ');
    return b;
  }

  private static byte[] badCrc(byte[] gz) {
    byte[] b = gz.clone();
    b[b.length - 8] ^= 1;
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A loopback server that nobody should connect to. */
  static final class ServerSocketHolder {
    static ServerSocket socket;

    static synchronized void start() {
      if (socket == null) {
        try {
          socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    static int port() {
      return socket.getLocalPort();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesHostileInput(String name, AggregateReportReader reader, byte[] input, Reason reason) {
    DmarcReportException e =
        catchThrowableOfType(DmarcReportException.class, () -> reader.read(input));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
  }

  @Test
  void fetchesNothingForAnExternalEntity() throws IOException {
    refused().count(); // starts the server
    for (String doc :
        new String[] {
          "<!DOCTYPE feedback SYSTEM \"http://127.0.0.1:"
              + ServerSocketHolder.port()
              + "/\"><feedback/>",
          "<!DOCTYPE feedback [<!ENTITY % p SYSTEM \"http://127.0.0.1:"
              + ServerSocketHolder.port()
              + "/\"> %p;]><feedback/>"
        }) {
      catchThrowableOfType(DmarcReportException.class, () -> READER.read(bytes(doc)));
    }
    ServerSocketHolder.socket.setSoTimeout(200);
    assertThat(
            catchThrowableOfType(SocketTimeoutException.class, ServerSocketHolder.socket::accept))
        .as("nobody connected")
        .isNotNull();
  }

  /** A limit, an input at it that is read, and an input one past it that is refused. */
  static Stream<Arguments> limits() {
    AggregateReportReader.Builder b = READER.newBuilder();
    byte[] three = bytes(report(3));
    return Stream.of(
        limit(
            "maxRecords", b.maxRecords(3).build(), three, bytes(report(4)), Reason.TOO_MANY_ITEMS),
        limit(
            "maxElements",
            READER.newBuilder().maxElements(countElements(report(1))).build(),
            bytes(report(1)),
            bytes(report(1).replace("</feedback>", "<x/></feedback>")),
            Reason.TOO_MANY_ITEMS),
        limit(
            "maxDepth",
            READER.newBuilder().maxDepth(8).build(),
            bytes(
                report(1)
                    .replace(
                        "</feedback>",
                        "<x><x><x><x><x><x><x></x></x></x></x></x></x></x></feedback>")),
            bytes(
                report(1)
                    .replace(
                        "</feedback>",
                        "<x><x><x><x><x><x><x><x></x></x></x></x></x></x></x></x></feedback>")),
            Reason.TOO_DEEP),
        limit(
            "maxTextLength",
            READER.newBuilder().maxTextLength(300).build(),
            bytes(report(1).replace("<org_name>o", "<org_name>" + "o".repeat(300))),
            bytes(report(1).replace("<org_name>o", "<org_name>" + "o".repeat(301))),
            Reason.TOO_LARGE),
        limit(
            "maxXmlBytes",
            READER.newBuilder().maxXmlBytes(three.length).build(),
            three,
            concat(three, bytes(" ")),
            Reason.TOO_LARGE),
        limit(
            "maxCompressedBytes",
            READER.newBuilder().maxCompressedBytes(gzip(three).length).build(),
            gzip(three),
            gzip(concat(three, bytes("<!-- " + "q".repeat(50) + " -->"))),
            Reason.TOO_LARGE),
        limit(
            "maxXmlBytes of gzip data",
            READER.newBuilder().maxXmlBytes(three.length).build(),
            gzip(three),
            gzip(concat(three, bytes(" "))),
            Reason.TOO_LARGE),
        limit(
            "maxZipEntries",
            READER.newBuilder().maxZipEntries(2).build(),
            zip("a.txt", bytes("a"), "r.xml", three),
            zip("a.txt", bytes("a"), "b.txt", bytes("b"), "r.xml", three),
            Reason.TOO_MANY_ITEMS),
        limit(
            "maxCompressionRatio",
            READER.newBuilder().maxCompressionRatio(5).build(),
            gzip(bytes(report(3))),
            gzipBomb(2),
            Reason.TOO_LARGE));
  }

  private static long countElements(String xml) {
    return xml.chars().filter(c -> c == '<').count() / 2;
  }

  private static Arguments limit(
      String name, AggregateReportReader reader, byte[] at, byte[] over, Reason reason) {
    return Arguments.of(name, reader, at, over, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void readsAtEachLimitAndRefusesOnePast(
      String name, AggregateReportReader reader, byte[] at, byte[] over, Reason reason) {
    assertThat(reader.read(at).report().metadata().reportId()).isEqualTo("1");
    DmarcReportException e =
        catchThrowableOfType(DmarcReportException.class, () -> reader.read(over));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
  }

  static String mail(String parts) {
    return "From: r@example.net\r\nSubject: Report Domain: example.com Submitter: example.net"
        + " Report-ID: 1\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        + parts
        + "--b--\r\n";
  }

  static String xmlPart() {
    return "--b\r\nContent-Type: text/xml\r\n\r\n" + report(1) + "\r\n";
  }

  static Stream<Arguments> messageLimits() {
    String nested1 =
        "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nContent-Type: text/xml\r\n\r\n"
            + report(1)
            + "\r\n--c--\r\n";
    String nested2 =
        "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n"
            + "Content-Type: multipart/mixed; boundary=d\r\n\r\n--d\r\nContent-Type: text/xml\r\n\r\n"
            + report(1)
            + "\r\n--d--\r\n--c--\r\n";
    byte[] one = bytes(mail(xmlPart()));
    String text = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
    return Stream.of(
        Arguments.of(
            "maxMessageBytes",
            READER.newBuilder().maxMessageBytes(one.length).build(),
            one,
            concat(one, bytes("\r\n")),
            Reason.TOO_LARGE),
        Arguments.of(
            "maxMessageParts",
            READER.newBuilder().maxMessageParts(2).build(),
            bytes(mail(text + xmlPart())),
            bytes(mail(text + text + xmlPart())),
            Reason.TOO_MANY_ITEMS),
        Arguments.of(
            "maxMessageDepth",
            READER.newBuilder().maxMessageDepth(2).build(),
            bytes(mail(nested1)),
            bytes(mail(nested2)),
            Reason.TOO_DEEP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageLimits")
  void readsMessagesAtEachLimitAndRefusesOnePast(
      String name, AggregateReportReader reader, byte[] at, byte[] over, Reason reason) {
    assertThat(reader.readMessage(at).report().records()).hasSize(1);
    DmarcReportException e =
        catchThrowableOfType(DmarcReportException.class, () -> reader.readMessage(over));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
  }

  @Test
  void readsMultiMemberGzip() {
    String whole = report(2);
    int cut = whole.indexOf("<record>");
    byte[] input = concat(gzip(bytes(whole.substring(0, cut))), gzip(bytes(whole.substring(cut))));
    assertThat(READER.read(input).report().records()).hasSize(2);
  }

  @Test
  void decodesASubjectOfManyEncodedWordsOnlyAsFarAsItsBound() {
    String words = "=?utf-8?q?a?= ".repeat(4_000);
    byte[] message = bytes("Subject: " + words + "\r\nContent-Type: text/xml\r\n\r\n" + report(1));
    ReceivedAggregateReport r = READER.readMessage(message);
    assertThat(r.subject().orElseThrow().length())
        .isLessThanOrEqualTo(ReportMailParser.MAX_SUBJECT_CHARS);
  }

  /**
   * About 100 MB of report, generated as it is read: records padded with an unknown element's white
   * space. The heap, sampled after a collection every 10 MB read, never grows by anything like the
   * input, so the input is streamed, not held.
   */
  @Test
  void streamsAHundredMegabyteReport() {
    int records = 25_000;
    String padded =
        RECORD.replace("</record>", "<padding>" + " ".repeat(4_000) + "</padding></record>");
    InputStream generated = new Generated(HEAD, padded, records, "</feedback>");
    AggregateReportReader reader = READER.newBuilder().maxWarnings(10).build();
    ReceivedAggregateReport r = reader.read(generated);
    Generated g = (Generated) generated;
    assertThat(g.produced).isGreaterThan(100_000_000L);
    assertThat(r.report().records()).hasSize(records);
    assertThat(g.maxHeapGrowth).as("heap growth while reading").isLessThan(60L << 20);
  }

  /** Produces head, then a record text {@code n} times, then a tail, sampling the heap. */
  static final class Generated extends InputStream {
    private final byte[] head;
    private final byte[] record;
    private final byte[] tail;
    private final int n;
    private final long baseline;
    private int index = -1; // -1 head, 0..n-1 records, n tail, n+1 end
    private int pos;
    long produced;
    long maxHeapGrowth;
    private long nextSample = 10_000_000;

    Generated(String head, String record, int n, String tail) {
      this.head = bytes(head);
      this.record = bytes(record);
      this.tail = bytes(tail);
      this.n = n;
      System.gc();
      this.baseline = used();
    }

    private static long used() {
      Runtime rt = Runtime.getRuntime();
      return rt.totalMemory() - rt.freeMemory();
    }

    private byte[] current() {
      return index < 0 ? head : index < n ? record : index == n ? tail : null;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      byte[] c = current();
      if (c == null) {
        return -1;
      }
      int k = Math.min(len, c.length - pos);
      System.arraycopy(c, pos, b, off, k);
      pos += k;
      if (pos == c.length) {
        pos = 0;
        index++;
      }
      produced += k;
      if (produced >= nextSample) {
        nextSample += 10_000_000;
        System.gc();
        maxHeapGrowth = Math.max(maxHeapGrowth, used() - baseline);
      }
      return k;
    }
  }
}
