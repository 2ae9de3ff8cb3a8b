package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/** The lenient reading and the refusals of {@code reader.cases}, and the reader's own contract. */
class TlsReportReaderTest {
  static final TlsReportReader READER = TlsReportReader.builder().build();

  static final String HEADER =
      "\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2024-01-01T00:00:00Z\","
          + "\"end-datetime\":\"2024-01-02T00:00:00Z\"},\"report-id\":\"r\"";
  static final String POLICY =
      "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{}}]";
  static final String DETAIL = "{\"result-type\":\"certificate-expired\",";

  /** A case's JSON with its abbreviations expanded. */
  static String json(String text) {
    return text.replace("$H", HEADER).replace("$P", POLICY).replace("$D", DETAIL);
  }

  static Stream<Arguments> cases() {
    return Cases.arguments(TlsReportReaderTest.class, "/tlsrpt/reader.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsOrRefusesAsTheCaseSays(Cases.Row c) {
    byte[] input = json(c.get(0)).getBytes(UTF_8);
    String expected = c.get(1);
    String fromBytes = outcome(() -> READER.read(input));
    String fromStream = outcome(() -> READER.read(new ByteArrayInputStream(input)));
    String fromGzip = outcome(() -> READER.read(Gzip.of(input)));
    assertThat(fromStream).as("stream agrees with bytes").isEqualTo(fromBytes);
    assertThat(fromGzip).as("gzip agrees with bytes").isEqualTo(fromBytes);
    if (expected.startsWith("ok")) {
      TlsReport report = READER.read(input);
      Map<String, String> actual = describe(report);
      for (String check : expected.substring(2).trim().split("\\s+(?=[a-z]+=)")) {
        if (check.isEmpty()) {
          continue;
        }
        int eq = check.indexOf('=');
        String key = check.substring(0, eq);
        assertThat(actual).as("key " + key).containsKey(key);
        assertThat(actual.get(key)).as(key).isEqualTo(check.substring(eq + 1));
      }
    } else {
      assertThat(fromBytes).isEqualTo(expected);
    }
  }

  /** "ok", or the refusal as "REASON @ location" with the message checked. */
  static String outcome(java.util.function.Supplier<TlsReport> read) {
    try {
      read.get();
      return "ok";
    } catch (TlsReportException e) {
      assertThat(e.getMessage()).startsWith(e.reason().toString()).doesNotContain("\n", "\r");
      return e.reason() + " @ " + e.location().map(l -> l.isEmpty() ? "/" : l).orElse("-");
    }
  }

  static Map<String, String> describe(TlsReport r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("org", r.organizationName());
    m.put("id", r.reportId());
    m.put("contact", r.contactInfo().orElse("-"));
    m.put("start", r.dateRange().start().toString());
    m.put("end", r.dateRange().end().toString());
    m.put("policies", Integer.toString(r.policies().size()));
    if (!r.policies().isEmpty()) {
      PolicyResult p = r.policies().get(0);
      m.put("type", p.policy().type());
      m.put("domain", p.policy().domain().orElse("-"));
      m.put("mx", list(p.policy().mxHosts()));
      m.put("strings", list(p.policy().strings()));
      m.put("ok", Long.toString(p.successfulSessions()));
      m.put("fail", Long.toString(p.failedSessions()));
      m.put("details", Integer.toString(p.failureDetails().size()));
      if (!p.failureDetails().isEmpty()) {
        FailureDetail d = p.failureDetails().get(0);
        m.put("result", d.resultType());
        m.put("count", Long.toString(d.failedSessionCount()));
        m.put("code", d.failureReasonCode().orElse("-"));
        m.put("sending", d.sendingMtaIp().orElse("-"));
        m.put("mxhost", d.receivingMxHostname().orElse("-"));
        m.put("helo", d.receivingMxHelo().orElse("-"));
        m.put("rip", d.receivingIp().orElse("-"));
        m.put("info", d.additionalInformation().orElse("-"));
      }
    }
    return m;
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? "-" : String.join(",", values);
  }

  @Test
  void leavesTheStreamOpenAndUnreadBeyondTheReport() throws IOException {
    byte[] json = json("{$H,$P}").getBytes(UTF_8);
    boolean[] closed = new boolean[1];
    InputStream in =
        new ByteArrayInputStream(json) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    READER.read(in);
    assertThat(closed[0]).isFalse();
  }

  @Test
  void passesOnAFailureOfTheStreamAsUncheckedIoException() {
    IOException broken = new IOException("connection reset");
    InputStream in =
        new InputStream() {
          private int left = 10;

          @Override
          public int read() throws IOException {
            if (left-- > 0) {
              return ' ';
            }
            throw broken;
          }
        };
    assertThatThrownBy(() -> READER.read(in))
        .isInstanceOf(UncheckedIOException.class)
        .hasCause(broken);
    byte[] gzipHead = Gzip.of("{".getBytes(UTF_8));
    InputStream gz =
        new InputStream() {
          private int at;

          @Override
          public int read() throws IOException {
            if (at < 12) {
              return gzipHead[at++] & 0xFF;
            }
            throw broken;
          }
        };
    assertThatThrownBy(() -> READER.read(gz))
        .isInstanceOf(UncheckedIOException.class)
        .hasCause(broken);
  }

  @Test
  void isAnIllegalArgumentExceptionWithAQuotedEscapedMessage() {
    String hostile = "{\"organization-name\":7,\"x\":\"\u202e\r\nFAKE LOG LINE\"}";
    TlsReportException e =
        catchThrowableOfType(TlsReportException.class, () -> READER.read(hostile.getBytes(UTF_8)));
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.location()).contains("/organization-name");
    assertThat(e.getMessage())
        .isEqualTo("WRONG_TYPE at \"/organization-name\": expected a string, found an integer");
    TlsReportException text =
        catchThrowableOfType(
            TlsReportException.class, () -> READER.read("\u202e\r\nFAKE".getBytes(UTF_8)));
    assertThat(text.getMessage()).doesNotContain("\r", "\n", "\u202e");
  }

  @Test
  void servesEightThreadsAtOnceWithTheSameResults() throws Exception {
    byte[] gzip =
        TlsReportJson.toGzip(READER.read(HostileReportTest.failureDetails(500).getBytes(UTF_8)));
    byte[] broken = json("{$H,\"policies\":7}").getBytes(UTF_8);
    TlsReport expected = READER.read(gzip);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  boolean same = true;
                  for (int i = 0; i < 50; i++) {
                    same &= READER.read(gzip).equals(expected);
                    same &= outcome(() -> READER.read(broken)).equals("WRONG_TYPE @ /policies");
                  }
                  return same;
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesToBuildWithLimitsOutOfRange() {
    assertThatThrownBy(() -> TlsReportReader.builder().maxJsonBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlsReportReader.builder().maxDepth(4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlsReportReader.builder().maxCompressionRatio(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void newBuilderKeepsTheLimits() {
    TlsReportReader small = TlsReportReader.builder().maxPolicies(1).build();
    TlsReportReader derived = small.newBuilder().maxStringLength(40).build();
    String two =
        json(
            "{$H,\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{}},"
                + "{\"policy\":{\"policy-type\":\"sts\"},\"summary\":{}}]}");
    assertThat(outcome(() -> derived.read(two.getBytes(UTF_8))))
        .isEqualTo("TOO_MANY_ITEMS @ /policies/1");
    String longName =
        json("{\"organization-name\":\"" + "x".repeat(41) + "\"" + HEADER.substring(23) + ",$P}");
    assertThat(outcome(() -> derived.read(longName.getBytes(UTF_8))))
        .isEqualTo("TOO_LARGE @ /organization-name");
    assertThat(outcome(() -> small.read(longName.getBytes(UTF_8)))).isEqualTo("ok");
  }
}
