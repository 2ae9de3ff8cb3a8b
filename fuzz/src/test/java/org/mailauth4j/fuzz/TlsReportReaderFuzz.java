package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.mailauth4j.tlsrpt.ReceivedTlsReport;
import org.mailauth4j.tlsrpt.ReportMessageFinding;
import org.mailauth4j.tlsrpt.TlsReport;
import org.mailauth4j.tlsrpt.TlsReportException;
import org.mailauth4j.tlsrpt.TlsReportJson;
import org.mailauth4j.tlsrpt.TlsReportReader;
import org.mailauth4j.tlsrpt.TlsReportSummary;

/**
 * {@link TlsReportReader#read(byte[])} on any bytes (JSON or gzip, told apart by the first two) and
 * {@link TlsReportReader#readMessage(byte[])} on any message: each ends in a value or in a {@link
 * TlsReportException} with a reason, a message and, where there is one, a JSON pointer; the stream
 * forms agree with the array forms; what is read is written by {@link TlsReportJson} as JSON and
 * gzip that read back equal, and sums up in a {@link TlsReportSummary}; a received report keeps the
 * very bytes it was read from.
 */
class TlsReportReaderFuzz {
  private static final TlsReportReader READER = TlsReportReader.builder().build();

  @FuzzTarget
  void read(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          Outcome<TlsReport> fromBytes = outcome(() -> READER.read(input));
          Outcome<TlsReport> fromStream =
              outcome(() -> READER.read(new ByteArrayInputStream(input)));
          assertEqual("read(InputStream) and read(byte[])", fromBytes, fromStream);
          if (fromBytes.value != null) {
            TlsReport report = fromBytes.value;
            assertEqual("read(toJson())", report, READER.read(TlsReportJson.toJson(report)));
            assertEqual("read(toGzip())", report, READER.read(TlsReportJson.toGzip(report)));
            TlsReportSummary summary = TlsReportSummary.of(report);
            check(summary.failedSessions() >= 0 && summary.successfulSessions() >= 0, "sums");
          }
        });
  }

  @FuzzTarget
  void readMessage(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          Outcome<ReceivedTlsReport> fromBytes = outcome(() -> READER.readMessage(input));
          Outcome<ReceivedTlsReport> fromStream =
              outcome(() -> READER.readMessage(new ByteArrayInputStream(input)));
          check(
              java.util.Objects.equals(fromBytes.refusal, fromStream.refusal),
              "readMessage stream and array: " + fromBytes.refusal + " and " + fromStream.refusal);
          ReceivedTlsReport received = fromBytes.value;
          if (received == null) {
            return;
          }
          ReceivedTlsReport again = fromStream.value;
          assertEqual("readMessage stream and array reports", received.report(), again.report());
          assertEqual(
              "readMessage stream and array findings", received.findings(), again.findings());
          assertEqual("the kept message", ByteBuffer.wrap(input), received.message());
          for (ReportMessageFinding f : received.findings()) {
            check(!f.detail().isEmpty(), "a finding without detail: " + f);
          }
          assertEqual(
              "read(toJson()) of a received report",
              received.report(),
              READER.read(TlsReportJson.toJson(received.report())));
        });
  }

  /** A value, or the refusal as reason and location. */
  private static final class Outcome<T> {
    final T value;
    final String refusal;

    Outcome(T value, String refusal) {
      this.value = value;
      this.refusal = refusal;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Outcome
          && java.util.Objects.equals(value, ((Outcome<?>) o).value)
          && java.util.Objects.equals(refusal, ((Outcome<?>) o).refusal);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(value, refusal);
    }

    @Override
    public String toString() {
      return value != null ? value.toString() : refusal;
    }
  }

  /** Runs a read that may refuse only with a {@link TlsReportException} that says why and where. */
  private static <T> Outcome<T> outcome(Supplier<T> read) {
    try {
      T value = read.get();
      check(value != null, "read returned null");
      return new Outcome<>(value, null);
    } catch (TlsReportException e) {
      check(e.reason() != null, "a refusal without a reason");
      check(e.getMessage() != null && e.getMessage().startsWith(e.reason().name()), "message");
      check(
          e.getMessage().chars().noneMatch(c -> c == '\r' || c == '\n'),
          "a line break in the message: " + e.getMessage());
      e.location()
          .ifPresent(p -> check(p.isEmpty() || p.startsWith("/"), "not a JSON pointer: " + p));
      return new Outcome<>(null, e.reason() + " @ " + e.location().orElse("-"));
    }
  }
}
