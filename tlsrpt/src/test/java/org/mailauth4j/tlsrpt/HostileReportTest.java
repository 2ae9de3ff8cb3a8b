package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.LinearTime;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/**
 * Input made to hurt: gzip bombs, deep nesting, huge arrays, endless whitespace, a wrong type at
 * every field, truncated gzip, bytes that are not UTF-8, and the time all of it takes.
 */
class HostileReportTest {
  private static final TlsReportReader READER = TlsReportReader.builder().build();
  private static final String H = TlsReportReaderTest.HEADER;
  private static final String P = TlsReportReaderTest.POLICY;

  /** A stream of {@code prefix} and then {@code fill} bytes, {@code total} in all, counted. */
  static final class Endless extends InputStream {
    private final byte[] prefix;
    private final byte fill;
    private final long total;
    long read;

    Endless(String prefix, char fill, long total) {
      this.prefix = prefix.getBytes(UTF_8);
      this.fill = (byte) fill;
      this.total = total;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - read);
      for (int i = 0; i < n; i++) {
        long at = read + i;
        b[off + i] = at < prefix.length ? prefix[(int) at] : fill;
      }
      read += n;
      return n;
    }
  }

  /**
   * A gzip bomb: {@code prefix}, then {@code mebibytes} MiB of one byte, as one gzip member for the
   * prefix and one per MiB (RFC 1952 §2.2 allows any number), so that making it is quick.
   */
  static byte[] bomb(String prefix, char fill, int mebibytes) {
    byte[] mib = new byte[1 << 20];
    Arrays.fill(mib, (byte) fill);
    byte[] member = Gzip.of(mib);
    ByteArrayOutputStream out = new ByteArrayOutputStream(member.length * mebibytes + 64);
    out.writeBytes(Gzip.of(prefix.getBytes(UTF_8)));
    for (int i = 0; i < mebibytes; i++) {
      out.writeBytes(member);
    }
    return out.toByteArray();
  }

  private static TlsReportException refusal(TlsReportReader reader, InputStream in) {
    return catchThrowableOfType(TlsReportException.class, () -> reader.read(in));
  }

  /** Counts what the reader takes from a byte array. */
  static final class Counted extends ByteArrayInputStream {
    Counted(byte[] bytes) {
      super(bytes);
    }

    long consumed() {
      return pos;
    }
  }

  @Test
  void refusesAGibibyteOfZerosAfterReadingLittleOfIt() {
    byte[] zeros = bomb("", '\0', 1024); // 1 GiB decompressed, about 1 MiB compressed
    Counted in = new Counted(zeros);
    TlsReportException e = refusal(READER, in);
    assertThat(e.reason()).isEqualTo(Reason.NOT_JSON); // the first zero is no JSON
    assertThat(in.consumed()).isLessThan(64 * 1024);
  }

  @Test
  void refusesAGibibyteStringOfZeroDigitsAtTheStringLimit() {
    byte[] bomb = bomb("{\"organization-name\":\"", '0', 1024);
    Counted in = new Counted(bomb);
    TlsReportException e = refusal(READER, in);
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("string");
    assertThat(in.consumed()).isLessThan(bomb.length / 10);
  }

  @Test
  void refusesAGibibyteOfWhitespaceByItsCompressionRatio() {
    byte[] bomb = bomb("{", ' ', 1024);
    Counted in = new Counted(bomb);
    TlsReportException e = refusal(READER, in);
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("expands more than 100 times");
    assertThat(e.location()).isEmpty();
    // Refused just past the 1 MiB where the ratio starts to count: a few KiB of input.
    assertThat(in.consumed()).isLessThan(16 * 1024);
    assertThat(catchThrowableOfType(TlsReportException.class, () -> READER.read(bomb)).reason())
        .isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void refusesAGibibyteOfWhitespaceAtTheJsonLimitWhenTheRatioIsAllowed() {
    TlsReportReader reader =
        READER.newBuilder().maxCompressionRatio(10_000).maxJsonBytes(8 << 20).build();
    byte[] bomb = bomb("{", ' ', 1024);
    Counted in = new Counted(bomb);
    TlsReportException e = refusal(reader, in);
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("decompresses to more than the limit of 8388608 bytes");
    // 8 MiB of the 1,024 MiB decompressed, and about as much of the input.
    assertThat(in.consumed()).isLessThan(bomb.length / 64);
  }

  @Test
  void refusesASingleMemberBomb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write('{');
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 64; i++) {
        gz.write(spaces);
      }
    }
    TlsReportException e =
        catchThrowableOfType(TlsReportException.class, () -> READER.read(out.toByteArray()));
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void refusesGzipInputOverTheCompressedLimitBeforeDecompressing() {
    TlsReportReader reader = READER.newBuilder().maxCompressedBytes(1000).build();
    byte[] gz = bomb("{", ' ', 2);
    Counted in = new Counted(gz);
    TlsReportException e = refusal(reader, in);
    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("the gzip input is larger than the limit of 1000 bytes");
    assertThat(in.consumed()).isLessThanOrEqualTo(1001 + 8192);
    assertThat(catchThrowableOfType(TlsReportException.class, () -> reader.read(gz)).getMessage())
        .contains("more than the limit of 1000");
  }

  @Test
  void refusesAHundredMegabytesOfWhitespaceAfterReadingNoMoreThanTheLimit() {
    for (String prefix : List.of("", "{", "{" + H + "," + P + "}")) {
      Endless in = new Endless(prefix, ' ', 100_000_000);
      TlsReportException e = refusal(READER, in);
      assertThat(e.reason()).as(prefix).isEqualTo(Reason.TOO_LARGE);
      assertThat(in.read).as(prefix).isLessThanOrEqualTo((32L << 20) + 1);
    }
    // A string the report needs is refused at the string limit, long before the size limit.
    Endless name = new Endless("{\"organization-name\":\"", 'a', 100_000_000);
    assertThat(refusal(READER, name).getMessage()).contains("string");
    assertThat(name.read).isLessThan(1 << 20);
    // An unknown field's string is skipped, never built: only the size limit applies.
    Endless unknown = new Endless("{\"x\":\"", 'a', 100_000_000);
    assertThat(refusal(READER, unknown).reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(unknown.read).isLessThanOrEqualTo((32L << 20) + 1);
  }

  @Test
  void refusesDeepNestingAtTheDepthLimit() {
    for (String open : List.of("[", "{\"a\":")) {
      String deep = "{" + H + "," + P + ",\"x\":" + open.repeat(100_000);
      TlsReportException e =
          catchThrowableOfType(TlsReportException.class, () -> READER.read(deep.getBytes(UTF_8)));
      assertThat(e.reason()).as(open).isEqualTo(Reason.TOO_DEEP);
      assertThat(e.getMessage()).contains("deeper than the limit of 32");
      assertThat(e.location().orElseThrow()).startsWith("/x/");
    }
    // 32 levels in all are allowed, the report object among them.
    String deepest = "{" + H + "," + P + ",\"x\":" + "[".repeat(31) + "]".repeat(31) + "}";
    assertThat(READER.read(deepest.getBytes(UTF_8)).reportId()).isEqualTo("r");
    String over = "{" + H + "," + P + ",\"x\":" + "[".repeat(32) + "]".repeat(32) + "}";
    assertThat(
            catchThrowableOfType(TlsReportException.class, () -> READER.read(over.getBytes(UTF_8)))
                .reason())
        .isEqualTo(Reason.TOO_DEEP);
  }

  private static String repeat(String item, int n) {
    StringBuilder sb = new StringBuilder(item.length() * n + n);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(item);
    }
    return sb.toString();
  }

  static String policies(int n) {
    return "{"
        + H
        + ",\"policies\":["
        + repeat("{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{}}", n)
        + "]}";
  }

  /** A report of {@code n} failure details that differ, as real ones do (and compress so). */
  static String failureDetails(int n) {
    StringBuilder sb =
        new StringBuilder("{")
            .append(H)
            .append(",\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{},")
            .append("\"failure-details\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"10.")
          .append(i >> 16)
          .append('.')
          .append((i >> 8) & 0xFF)
          .append('.')
          .append(i & 0xFF)
          .append("\",\"failed-session-count\":")
          .append(i * 7919 % 100_000 + 1)
          .append('}');
    }
    return sb.append("]}]}").toString();
  }

  static String policyStrings(int n) {
    return "{"
        + H
        + ",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":["
        + repeat("\"mx.example\"", n)
        + "]},\"summary\":{}}]}";
  }

  static String unknownFields(int n) {
    StringBuilder sb = new StringBuilder("{").append(H).append(',').append(P);
    for (int i = 0; i < n; i++) {
      sb.append(",\"x-").append(i).append("\":{\"a\":[1,\"b\",null]}");
    }
    return sb.append('}').toString();
  }

  @Test
  void refusesHugeArraysAtTheirLimits() {
    assertThat(READER.read(policies(1000).getBytes(UTF_8)).policies()).hasSize(1000);
    TlsReportException many =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.read(policies(1001).getBytes(UTF_8)));
    assertThat(many.reason()).isEqualTo(Reason.TOO_MANY_ITEMS);
    assertThat(many.location()).contains("/policies/1000");

    TlsReportReader small = READER.newBuilder().maxFailureDetails(10_000).build();
    assertThat(
            small.read(failureDetails(10_000).getBytes(UTF_8)).policies().get(0).failureDetails())
        .hasSize(10_000);
    TlsReportException details =
        catchThrowableOfType(
            TlsReportException.class, () -> small.read(failureDetails(10_001).getBytes(UTF_8)));
    assertThat(details.reason()).isEqualTo(Reason.TOO_MANY_ITEMS);
    assertThat(details.location()).contains("/policies/0/failure-details/10000");

    TlsReportException strings =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.read(policyStrings(1001).getBytes(UTF_8)));
    assertThat(strings.reason()).isEqualTo(Reason.TOO_MANY_ITEMS);
    assertThat(strings.location()).contains("/policies/0/policy/mx-host/1000");
  }

  @Test
  void skipsAHugeUnknownArrayWithoutBuildingIt() {
    String huge =
        "{" + H + "," + P + ",\"x\":[" + repeat("\"" + "s".repeat(100) + "\"", 200_000) + "]}";
    assertThat(READER.read(huge.getBytes(UTF_8)).policies()).hasSize(1);
  }

  @Test
  void readsTheDefaultLimitsWorthOfFailureDetails() {
    // 100,000 details, 8 MiB of JSON: the default limit, read whole.
    TlsReport r = READER.read(failureDetails(100_000).getBytes(UTF_8));
    assertThat(r.policies().get(0).failureDetails()).hasSize(100_000);
    assertThat(
            catchThrowableOfType(
                    TlsReportException.class,
                    () -> READER.read(failureDetails(100_001).getBytes(UTF_8)))
                .reason())
        .isEqualTo(Reason.TOO_MANY_ITEMS);
  }

  /** A field of the full report: where it is and what JSON it holds. */
  enum Kind {
    REQUIRED_STRING,
    OPTIONAL_STRING,
    COUNT,
    STRINGS,
    OBJECT,
    ARRAY,
    OPTIONAL_ARRAY
  }

  private static final String[][] FIELDS = {
    {"/organization-name", "REQUIRED_STRING"},
    {"/date-range", "OBJECT"},
    {"/date-range/start-datetime", "REQUIRED_STRING"},
    {"/date-range/end-datetime", "REQUIRED_STRING"},
    {"/contact-info", "OPTIONAL_STRING"},
    {"/report-id", "REQUIRED_STRING"},
    {"/policies", "ARRAY"},
    {"/policies/0", "OBJECT"},
    {"/policies/0/policy", "OBJECT"},
    {"/policies/0/policy/policy-type", "REQUIRED_STRING"},
    {"/policies/0/policy/policy-string", "STRINGS"},
    {"/policies/0/policy/policy-domain", "OPTIONAL_STRING"},
    {"/policies/0/policy/mx-host", "STRINGS"},
    {"/policies/0/summary", "OBJECT"},
    {"/policies/0/summary/total-successful-session-count", "COUNT"},
    {"/policies/0/summary/total-failure-session-count", "COUNT"},
    {"/policies/0/failure-details", "OPTIONAL_ARRAY"},
    {"/policies/0/failure-details/0", "OBJECT"},
    {"/policies/0/failure-details/0/result-type", "REQUIRED_STRING"},
    {"/policies/0/failure-details/0/sending-mta-ip", "OPTIONAL_STRING"},
    {"/policies/0/failure-details/0/receiving-mx-hostname", "OPTIONAL_STRING"},
    {"/policies/0/failure-details/0/receiving-mx-helo", "OPTIONAL_STRING"},
    {"/policies/0/failure-details/0/receiving-ip", "OPTIONAL_STRING"},
    {"/policies/0/failure-details/0/failed-session-count", "COUNT"},
    {"/policies/0/failure-details/0/additional-information", "OPTIONAL_STRING"},
    {"/policies/0/failure-details/0/failure-reason-code", "OPTIONAL_STRING"},
  };

  /** Every wrong value for each kind of field, with where the fault is reported. */
  static Stream<Arguments> wrongTypes() {
    List<String> all = List.of("{}", "[]", "\"1\"", "1", "1.5", "true", "null", "[1]");
    List<Arguments> cases = new ArrayList<>();
    for (String[] field : FIELDS) {
      Kind kind = Kind.valueOf(field[1]);
      for (String wrong : all) {
        String expected = expectation(kind, wrong, field[0]);
        if (expected != null) {
          cases.add(Arguments.of(Named.of(field[0] + " = " + wrong, field[0]), wrong, expected));
        }
      }
    }
    return cases.stream();
  }

  /** What replacing a field of the kind by the value gives, or null where the value fits. */
  private static String expectation(Kind kind, String wrong, String pointer) {
    String type = "WRONG_TYPE @ " + pointer;
    switch (kind) {
      case REQUIRED_STRING:
        return wrong.startsWith("\"") ? null : type;
      case OPTIONAL_STRING:
        return wrong.startsWith("\"") || wrong.equals("null") ? null : type;
      case COUNT:
        return wrong.equals("1") ? null : type;
      case STRINGS:
        if (wrong.startsWith("\"") || wrong.equals("null") || wrong.equals("[]")) {
          return null;
        }
        return wrong.equals("[1]") ? type.replace(pointer, pointer + "/0") : type;
      case OBJECT:
        return wrong.equals("{}") ? null : type;
      case ARRAY:
      case OPTIONAL_ARRAY:
        if (wrong.equals("[]") || (kind == Kind.OPTIONAL_ARRAY && wrong.equals("null"))) {
          return null;
        }
        return wrong.equals("[1]") ? type.replace(pointer, pointer + "/0") : type;
      default:
        throw new AssertionError(kind);
    }
  }

  /** The full report, every field present, with one value replaced. */
  static String fullReport(String pointer, String replacement) {
    StringBuilder sb = new StringBuilder();
    String[] values = {
      "/organization-name", "\"o\"",
      "/date-range/start-datetime", "\"2024-01-01T00:00:00Z\"",
      "/date-range/end-datetime", "\"2024-01-02T00:00:00Z\"",
      "/contact-info", "\"c@example.com\"",
      "/report-id", "\"r\"",
      "/policies/0/policy/policy-type", "\"sts\"",
      "/policies/0/policy/policy-string", "[\"version: STSv1\"]",
      "/policies/0/policy/policy-domain", "\"example.com\"",
      "/policies/0/policy/mx-host", "[\"mx.example.com\"]",
      "/policies/0/summary/total-successful-session-count", "1",
      "/policies/0/summary/total-failure-session-count", "1",
      "/policies/0/failure-details/0/result-type", "\"certificate-expired\"",
      "/policies/0/failure-details/0/sending-mta-ip", "\"192.0.2.1\"",
      "/policies/0/failure-details/0/receiving-mx-hostname", "\"mx.example.com\"",
      "/policies/0/failure-details/0/receiving-mx-helo", "\"mx\"",
      "/policies/0/failure-details/0/receiving-ip", "\"198.51.100.1\"",
      "/policies/0/failure-details/0/failed-session-count", "1",
      "/policies/0/failure-details/0/additional-information", "\"https://i.example/\"",
      "/policies/0/failure-details/0/failure-reason-code", "\"E\"",
    };
    java.util.function.Function<String, String> v =
        p -> {
          if (p.equals(pointer)) {
            return replacement;
          }
          for (int i = 0; i < values.length; i += 2) {
            if (values[i].equals(p)) {
              return values[i + 1];
            }
          }
          throw new AssertionError(p);
        };
    String detail = "/policies/0/failure-details/0";
    String detailJson =
        pointer.equals(detail)
            ? replacement
            : "{"
                + fields(
                    v,
                    detail,
                    "result-type",
                    "sending-mta-ip",
                    "receiving-mx-hostname",
                    "receiving-mx-helo",
                    "receiving-ip",
                    "failed-session-count",
                    "additional-information",
                    "failure-reason-code")
                + "}";
    String details =
        pointer.equals("/policies/0/failure-details") ? replacement : "[" + detailJson + "]";
    String policy =
        pointer.equals("/policies/0/policy")
            ? replacement
            : "{"
                + fields(
                    v,
                    "/policies/0/policy",
                    "policy-type",
                    "policy-string",
                    "policy-domain",
                    "mx-host")
                + "}";
    String summary =
        pointer.equals("/policies/0/summary")
            ? replacement
            : "{"
                + fields(
                    v,
                    "/policies/0/summary",
                    "total-successful-session-count",
                    "total-failure-session-count")
                + "}";
    String result =
        pointer.equals("/policies/0")
            ? replacement
            : "{\"policy\":"
                + policy
                + ",\"summary\":"
                + summary
                + ",\"failure-details\":"
                + details
                + "}";
    String policies = pointer.equals("/policies") ? replacement : "[" + result + "]";
    String range =
        pointer.equals("/date-range")
            ? replacement
            : "{" + fields(v, "/date-range", "start-datetime", "end-datetime") + "}";
    sb.append("{\"organization-name\":")
        .append(v.apply("/organization-name"))
        .append(",\"date-range\":")
        .append(range)
        .append(",\"contact-info\":")
        .append(v.apply("/contact-info"))
        .append(",\"report-id\":")
        .append(v.apply("/report-id"))
        .append(",\"policies\":")
        .append(policies)
        .append('}');
    return sb.toString();
  }

  private static String fields(
      java.util.function.Function<String, String> v, String parent, String... names) {
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      sb.append(sb.length() == 0 ? "" : ",")
          .append('"')
          .append(name)
          .append("\":")
          .append(v.apply(parent + "/" + name));
    }
    return sb.toString();
  }

  @Test
  void readsTheFullReportWithEveryField() {
    TlsReport r = READER.read(fullReport("", "").getBytes(UTF_8));
    FailureDetail d = r.policies().get(0).failureDetails().get(0);
    assertThat(d.failureReasonCode()).contains("E");
    assertThat(d.receivingMxHelo()).contains("mx");
    assertThat(READER.read(TlsReportJson.toJson(r))).isEqualTo(r);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void refusesAWrongTypeAtEveryField(String pointer, String wrong, String expected) {
    byte[] json = fullReport(pointer, wrong).getBytes(UTF_8);
    assertThat(TlsReportReaderTest.outcome(() -> READER.read(json))).isEqualTo(expected);
  }

  @Test
  void refusesGzipTruncatedAnywhere() {
    byte[] gz = TlsReportJson.toGzip(READER.read(fullReport("", "").getBytes(UTF_8)));
    for (int cut = 2; cut < gz.length; cut++) {
      byte[] part = Arrays.copyOf(gz, cut);
      TlsReportException e =
          catchThrowableOfType(TlsReportException.class, () -> READER.read(part));
      assertThat(e).as("cut at " + cut).isNotNull();
      assertThat(e.reason()).as("cut at " + cut).isEqualTo(Reason.CORRUPT_COMPRESSION);
      TlsReportException s =
          catchThrowableOfType(
              TlsReportException.class, () -> READER.read(new ByteArrayInputStream(part)));
      assertThat(s.reason()).as("stream cut at " + cut).isEqualTo(Reason.CORRUPT_COMPRESSION);
    }
  }

  @Test
  void refusesGzipWithABadChecksumOrHeader() {
    byte[] gz = TlsReportJson.toGzip(READER.read(fullReport("", "").getBytes(UTF_8)));
    byte[] crc = gz.clone();
    crc[crc.length - 6] ^= 0x55; // the CRC-32 of the trailer
    assertThat(catchThrowableOfType(TlsReportException.class, () -> READER.read(crc)).reason())
        .isEqualTo(Reason.CORRUPT_COMPRESSION);
    byte[] method = gz.clone();
    method[2] = 7; // a compression method other than deflate
    assertThat(catchThrowableOfType(TlsReportException.class, () -> READER.read(method)).reason())
        .isEqualTo(Reason.CORRUPT_COMPRESSION);
    assertThat(
            catchThrowableOfType(
                    TlsReportException.class, () -> READER.read(new byte[] {0x1f, (byte) 0x8b}))
                .reason())
        .isEqualTo(Reason.CORRUPT_COMPRESSION);
  }

  static Stream<Arguments> notUtf8() {
    return Stream.of(
        Arguments.of(Named.of("0xFF", new byte[] {(byte) 0xFF})),
        Arguments.of(Named.of("a lone continuation byte", new byte[] {(byte) 0x80})),
        Arguments.of(Named.of("a broken two-byte sequence", new byte[] {(byte) 0xC3, 0x28})),
        Arguments.of(Named.of("Latin-1 u umlaut", new byte[] {'G', 'r', (byte) 0xFC, 'n'})),
        Arguments.of(
            Named.of("a truncated three-byte sequence", new byte[] {(byte) 0xE2, (byte) 0x82})));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notUtf8")
  void refusesBytesThatAreNotUtf8InAString(byte[] bad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"organization-name\":\"".getBytes(UTF_8));
    out.writeBytes(bad);
    out.writeBytes(("\"," + H.substring(24) + "," + P + "}").getBytes(UTF_8));
    byte[] json = out.toByteArray();
    assertThat(TlsReportReaderTest.outcome(() -> READER.read(json)))
        .isEqualTo("NOT_JSON @ /organization-name");
    assertThat(TlsReportReaderTest.outcome(() -> READER.read(Gzip.of(json))))
        .isEqualTo("NOT_JSON @ /organization-name");
  }

  @Test
  void refusesUtf16AndUtf32AsNotUtf8() {
    String report = "{" + H + "," + P + "}";
    for (java.nio.charset.Charset cs :
        List.of(
            java.nio.charset.StandardCharsets.UTF_16,
            java.nio.charset.StandardCharsets.UTF_16BE,
            java.nio.charset.StandardCharsets.UTF_16LE,
            java.nio.charset.Charset.forName("UTF-32BE"),
            java.nio.charset.Charset.forName("UTF-32LE"))) {
      byte[] bytes = report.getBytes(cs);
      assertThat(TlsReportReaderTest.outcome(() -> READER.read(bytes)))
          .as(cs.name())
          .isEqualTo("NOT_JSON @ -");
      assertThat(TlsReportReaderTest.outcome(() -> READER.read(new ByteArrayInputStream(bytes))))
          .as(cs.name())
          .isEqualTo("NOT_JSON @ -");
      assertThat(TlsReportReaderTest.outcome(() -> READER.read(Gzip.of(bytes))))
          .as(cs.name())
          .isEqualTo("NOT_JSON @ -");
    }
    // Truncated UTF-32, as the fuzzer found it: once an I/O error of Jackson's UTF-32 reader.
    byte[] truncated = {'{', 0, 0, 0, '\r'};
    assertThat(TlsReportReaderTest.outcome(() -> READER.read(truncated))).isEqualTo("NOT_JSON @ -");
  }

  static Stream<Arguments> linearShapes() {
    return Stream.of(
        Arguments.of(
            Named.of("failure details", (IntFunction<String>) HostileReportTest::failureDetails)),
        Arguments.of(Named.of("policies", (IntFunction<String>) n -> policies(n / 8))),
        Arguments.of(Named.of("mx hosts", (IntFunction<String>) n -> policyStrings(n / 8))),
        Arguments.of(
            Named.of("unknown fields", (IntFunction<String>) HostileReportTest::unknownFields)),
        Arguments.of(
            Named.of("nesting refused", (IntFunction<String>) n -> "{\"x\":" + "[".repeat(n))),
        Arguments.of(
            Named.of(
                "whitespace",
                (IntFunction<String>) n -> "{" + " ".repeat(100 * n) + H + "," + P + "}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linearShapes")
  void readsInLinearTime(IntFunction<String> shape) {
    TlsReportReader reader =
        READER.newBuilder().maxPolicies(10_000).maxPolicyStrings(10_000).build();
    LinearTime.assertLinear(shape, json -> reader.read(json.getBytes(UTF_8)));
  }

  @Test
  void readsGzipInLinearTime() {
    byte[] gz = Gzip.of(failureDetails(LinearTime.LARGE).getBytes(UTF_8));
    assertThat(READER.read(gz).policies().get(0).failureDetails()).hasSize(LinearTime.LARGE);
    LinearTime.assertLinear(
        n -> failureDetails(n), json -> READER.read(Gzip.of(json.getBytes(UTF_8))));
  }
}
