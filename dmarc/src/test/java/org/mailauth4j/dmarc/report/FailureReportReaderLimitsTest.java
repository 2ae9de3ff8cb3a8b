package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * The failure report reader at each of its limits and one past it, from an array and from a stream,
 * and on messages that hold no report: each refusal a reason, never a crash.
 */
class FailureReportReaderLimitsTest {
  private static final String FEEDBACK =
      "Feedback-Type: auth-failure\r\n"
          + "User-Agent: mx.example.org/1.0\r\n"
          + "Version: 1\r\n"
          + "Auth-Failure: dmarc\r\n"
          + "Original-Mail-From: <x@bounces.example.net>\r\n"
          + "Source-IP: 198.51.100.9\r\n"
          + "Reported-Domain: example.com\r\n";

  /** An ARF report with the given extra feedback fields and extra text parts, nested so deep. */
  static String report(String extraFeedback, int extraParts, int nesting) {
    StringBuilder parts = new StringBuilder();
    parts.append("--r\r\nContent-Type: text/plain\r\n\r\nA failure report.\r\n");
    parts.append("--r\r\nContent-Type: message/feedback-report\r\n\r\n");
    parts.append(FEEDBACK).append(extraFeedback).append("\r\n");
    parts.append("--r\r\nContent-Type: text/rfc822-headers\r\n\r\n");
    parts.append("From: a@example.com\r\nSubject: hi\r\n\r\n");
    for (int i = 0; i < extraParts; i++) {
      parts.append("--r\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n");
    }
    parts.append("--r--\r\n");
    String body = parts.toString();
    String type = "multipart/report; report-type=feedback-report; boundary=\"r\"";
    for (int n = 0; n < nesting; n++) {
      String b = "n" + n;
      body = "--" + b + "\r\nContent-Type: " + type + "\r\n\r\n" + body + "\r\n--" + b + "--\r\n";
      type = "multipart/mixed; boundary=\"" + b + "\"";
    }
    return "From: reports@mx.example.org\r\nTo: d@example.com\r\nSubject: failure\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: "
        + type
        + "\r\n\r\n"
        + body;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }

  /**
   * A limit, the message that just fits it at {@code limit}, and the reason one more gives; the
   * builder is told the limit.
   */
  private static Arguments limit(
      String name,
      IntFunction<FailureReportReader> reader,
      int limit,
      IntFunction<byte[]> messageOf,
      Reason reason) {
    return Arguments.of(name, reader, limit, messageOf, reason);
  }

  static Stream<Arguments> limits() {
    byte[] plain = bytes(report("", 0, 0));
    return Stream.of(
        limit(
            "message bytes",
            max -> FailureReportReader.builder().maxMessageBytes(max).build(),
            plain.length + 100,
            n -> bytes(report("X-Pad: " + "p".repeat(n - plain.length - 9) + "\r\n", 0, 0)),
            Reason.TOO_LARGE),
        limit(
            "MIME parts: three of the report and 7 more",
            max -> FailureReportReader.builder().maxMessageParts(max).build(),
            10,
            n -> bytes(report("", n - 3, 0)),
            Reason.TOO_MANY_ITEMS),
        limit(
            "multipart depth",
            max -> FailureReportReader.builder().maxMessageDepth(max).build(),
            4,
            n -> bytes(report("", 0, n - 1)),
            Reason.TOO_DEEP),
        limit(
            "feedback fields: seven and 13 more",
            max -> FailureReportReader.builder().maxFields(max).build(),
            20,
            n -> bytes(report("Reported-URI: http://a.example/\r\n".repeat(n - 7), 0, 0)),
            Reason.TOO_MANY_ITEMS),
        limit(
            "feedback field length, after the colon",
            max -> FailureReportReader.builder().maxFieldLength(max).build(),
            4096,
            n -> bytes(report("Reported-URI: " + "u".repeat(n - 1) + "\r\n", 0, 0)),
            Reason.TOO_LARGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void readsAtEachLimitAndRefusesOnePast(
      String name,
      IntFunction<FailureReportReader> readerOf,
      int limit,
      IntFunction<byte[]> messageOf,
      Reason reason) {
    FailureReportReader reader = readerOf.apply(limit);
    byte[] fits = messageOf.apply(limit);
    assertThat(reader.read(fits).feedbackTypeToken()).isEqualTo("auth-failure");
    assertThat(reader.read(new ByteArrayInputStream(fits)).fields())
        .isEqualTo(reader.read(fits).fields());

    byte[] past = messageOf.apply(limit + 1);
    for (Runnable read :
        new Runnable[] {
          () -> reader.read(past), () -> reader.read(new ByteArrayInputStream(past))
        }) {
      DmarcReportException e = catchThrowableOfType(DmarcReportException.class, read::run);
      assertThat(e).as(name).isNotNull();
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "From: a@example.com\r\nSubject: not a report\r\n\r\nHello.\r\n",
        "",
        "\r\n\r\n",
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; boundary=\"r\"\r\n\r\n--r--\r\n",
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; boundary=\"r\"\r\n\r\n"
            + "--r\r\nContent-Type: text/plain\r\n\r\nno feedback part\r\n--r--\r\n",
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; boundary=\"r\"\r\n\r\n--r\r\n"
            + "Content-Type: message/feedback-report\r\n\r\n"
      })
  void findsNoReportWhereThereIsNone(String message) {
    DmarcReportException e =
        catchThrowableOfType(
            DmarcReportException.class,
            () -> FailureReportReader.builder().build().read(bytes(message)));
    assertThat(e).isNotNull();
    assertThat(e.reason())
        .as(e.getMessage())
        .isIn(Reason.NO_REPORT_IN_MESSAGE, Reason.MISSING_ELEMENT);
  }
}
