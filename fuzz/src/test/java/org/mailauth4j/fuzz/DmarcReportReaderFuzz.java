package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.io.ByteArrayInputStream;
import java.util.Objects;
import java.util.function.Supplier;
import org.mailauth4j.dmarc.report.AggregateReport;
import org.mailauth4j.dmarc.report.AggregateReportReader;
import org.mailauth4j.dmarc.report.AggregateReportXml;
import org.mailauth4j.dmarc.report.DmarcReportException;
import org.mailauth4j.dmarc.report.FailureReport;
import org.mailauth4j.dmarc.report.FailureReportReader;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport;
import org.mailauth4j.dmarc.report.ReportFormat;
import org.mailauth4j.dmarc.report.ReportRecord;
import org.mailauth4j.dmarc.report.ReportWarning;

/**
 * The DMARC report readers on any bytes: {@link AggregateReportReader#read(byte[])} (XML, gzip or
 * zip), {@link AggregateReportReader#readMessage(byte[])} and {@link
 * FailureReportReader#read(byte[])} on any message. Each ends in a value or in a {@link
 * DmarcReportException} with a reason and a one-line message; the stream forms agree with the array
 * forms; no count is negative and the warnings stay within their limit; a report read is written by
 * {@link AggregateReportXml} in both forms (or refused with an {@link IllegalArgumentException}),
 * and what is written reads back without warnings and is written again to the very same bytes.
 */
class DmarcReportReaderFuzz {
  private static final int MAX_WARNINGS = 50;

  /** Small limits, so that the fuzzer reaches them; the defaults are tested in the module. */
  private static final AggregateReportReader AGGREGATE =
      AggregateReportReader.builder()
          .maxCompressedBytes(1 << 20)
          .maxXmlBytes(4 << 20)
          .maxRecords(10_000)
          .maxWarnings(MAX_WARNINGS)
          .build();

  private static final FailureReportReader FAILURE =
      FailureReportReader.builder().maxMessageBytes(1 << 20).build();

  @FuzzTarget
  void read(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          Outcome<ReceivedAggregateReport> fromBytes = outcome(() -> AGGREGATE.read(input));
          Outcome<ReceivedAggregateReport> fromStream =
              outcome(() -> AGGREGATE.read(new ByteArrayInputStream(input)));
          agree(fromBytes, fromStream);
          if (fromBytes.value != null) {
            received(fromBytes.value);
          }
        });
  }

  @FuzzTarget
  void readMessage(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          Outcome<ReceivedAggregateReport> fromBytes = outcome(() -> AGGREGATE.readMessage(input));
          Outcome<ReceivedAggregateReport> fromStream =
              outcome(() -> AGGREGATE.readMessage(new ByteArrayInputStream(input)));
          agree(fromBytes, fromStream);
          if (fromBytes.value != null) {
            received(fromBytes.value);
          }
        });
  }

  @FuzzTarget
  void readFailureReport(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          Outcome<FailureReport> fromBytes = outcome(() -> FAILURE.read(input));
          Outcome<FailureReport> fromStream =
              outcome(() -> FAILURE.read(new ByteArrayInputStream(input)));
          check(
              Objects.equals(fromBytes.refusal, fromStream.refusal),
              "read stream and array: " + fromBytes.refusal + " and " + fromStream.refusal);
          FailureReport report = fromBytes.value;
          if (report == null) {
            return;
          }
          assertEqual("read stream and array fields", report.fields(), fromStream.value.fields());
          check(report.incidents() >= 1, "incidents " + report.incidents());
          check(!report.feedbackTypeToken().isEmpty(), "an empty Feedback-Type");
          report.sourcePort().ifPresent(p -> check(p >= 0 && p <= 65535, "port " + p));
        });
  }

  private static void agree(
      Outcome<ReceivedAggregateReport> fromBytes, Outcome<ReceivedAggregateReport> fromStream) {
    check(
        Objects.equals(fromBytes.refusal, fromStream.refusal),
        "stream and array: " + fromBytes.refusal + " and " + fromStream.refusal);
    if (fromBytes.value != null) {
      assertEqual("stream and array reports", fromBytes.value.report(), fromStream.value.report());
      assertEqual(
          "stream and array warnings", fromBytes.value.warnings(), fromStream.value.warnings());
    }
  }

  private static void received(ReceivedAggregateReport received) {
    AggregateReport report = received.report();
    long total = 0;
    for (ReportRecord r : report.records()) {
      check(r.count() >= 0, "a record counting " + r.count());
      total = total + r.count() < 0 ? Long.MAX_VALUE : total + r.count();
    }
    assertEqual("the sum of the counts", total, report.messageCount());
    // the kept warnings, and one that counts the rest
    check(received.warnings().size() <= MAX_WARNINGS + 1, "warnings " + received.warnings().size());
    for (ReportWarning w : received.warnings()) {
      check(w.toString().chars().noneMatch(c -> c == '\r' || c == '\n'), "a line break: " + w);
    }
    for (ReportFormat format : ReportFormat.values()) {
      byte[] written;
      try {
        written = AggregateReportXml.write(report, format);
      } catch (DmarcReportException e) {
        throw new AssertionError("the writer refused with a reader's exception", e);
      } catch (IllegalArgumentException e) {
        check(e.getMessage() != null, "a refusal without a message");
        continue;
      }
      ReceivedAggregateReport again = AGGREGATE.read(written);
      check(again.warnings().isEmpty(), format + " written with warnings " + again.warnings());
      assertEqual(
          format + " messages written", report.messageCount(), again.report().messageCount());
      check(
          java.util.Arrays.equals(written, AggregateReportXml.write(again.report(), format)),
          format + ": what was written is not written again the same");
    }
  }

  /** A value, or the refusal as reason and location. */
  private record Outcome<T>(T value, String refusal) {}

  /** Runs a read that may refuse only with a {@link DmarcReportException} that says why. */
  private static <T> Outcome<T> outcome(Supplier<T> read) {
    try {
      T value = read.get();
      check(value != null, "read returned null");
      return new Outcome<>(value, null);
    } catch (DmarcReportException e) {
      check(e.reason() != null, "a refusal without a reason");
      check(
          e.getMessage() != null && e.getMessage().startsWith(e.reason().name()),
          "message " + e.getMessage());
      check(
          e.getMessage().chars().noneMatch(c -> c == '\r' || c == '\n'),
          "a line break in the message: " + e.getMessage());
      return new Outcome<>(null, e.reason() + " @ " + e.location().orElse("-"));
    }
  }
}
