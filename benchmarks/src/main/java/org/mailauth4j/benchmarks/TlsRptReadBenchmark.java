package org.mailauth4j.benchmarks;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mailauth4j.tlsrpt.DateRange;
import org.mailauth4j.tlsrpt.FailureDetail;
import org.mailauth4j.tlsrpt.PolicyResult;
import org.mailauth4j.tlsrpt.ReceivedTlsReport;
import org.mailauth4j.tlsrpt.ReportedPolicy;
import org.mailauth4j.tlsrpt.TlsReport;
import org.mailauth4j.tlsrpt.TlsReportJson;
import org.mailauth4j.tlsrpt.TlsReportReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading received TLS reports: a generated report of {@code details} failure details (distinct
 * sending addresses, MX hosts and counts, as a large sender's report has them) as JSON, as gzip,
 * from a stream, and inside a report e-mail. Scores are reports per second; the set-up prints the
 * sizes, so that MB/s is the score times the size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsRptReadBenchmark {
  /** Failure details in the report: a small report, and a large one of some MB. */
  @Param({"10", "20000"})
  public int details;

  private final TlsReportReader reader = TlsReportReader.builder().build();
  private byte[] json;
  private byte[] gzip;
  private byte[] message;

  /** Generates the report and its forms, and checks that each reads back. */
  @Setup
  public void setUp() {
    TlsReport report = report(details);
    json = TlsReportJson.toJson(report);
    gzip = TlsReportJson.toGzip(report);
    message = message(gzip);
    if (!reader.read(json).equals(report)
        || !reader.read(gzip).equals(report)
        || !reader.readMessage(message).report().equals(report)) {
      throw new IllegalStateException("the report does not read back");
    }
    System.out.printf(
        Locale.ROOT,
        "%n[TlsRptReadBenchmark] %d details: JSON %d bytes, gzip %d bytes, e-mail %d bytes%n",
        details,
        json.length,
        gzip.length,
        message.length);
  }

  static TlsReport report(int n) {
    List<FailureDetail> failures = new ArrayList<>(n);
    String[] types = {"certificate-expired", "starttls-not-supported", "validation-failure"};
    for (int i = 0; i < n; i++) {
      failures.add(
          FailureDetail.builder()
              .resultType(types[i % types.length])
              .sendingMtaIp(
                  Optional.of("10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF)))
              .receivingMxHostname(Optional.of("mx" + (i % 17) + ".bench.example"))
              .receivingIp(Optional.of("198.51.100." + (i % 250)))
              .failedSessionCount(1 + (i * 7919L) % 10_000)
              .failureReasonCode(
                  i % 3 == 2 ? Optional.of("X509_V_ERR_CERT_UNTRUSTED") : Optional.empty())
              .build());
    }
    long failed = failures.stream().mapToLong(FailureDetail::failedSessionCount).sum();
    ReportedPolicy policy =
        ReportedPolicy.builder()
            .type("sts")
            .strings(
                List.of("version: STSv1", "mode: enforce", "mx: *.bench.example", "max_age: 86400"))
            .domain(Optional.of("bench.example"))
            .mxHosts(List.of("*.bench.example"))
            .build();
    return TlsReport.builder()
        .organizationName("Bench Reporter")
        .dateRange(DateRange.utcDay(LocalDate.of(2024, 5, 1)))
        .contactInfo(Optional.of("tlsrpt@reporter.example"))
        .reportId("2024-05-01T00:00:00Z_bench.example")
        .policies(
            List.of(
                PolicyResult.builder()
                    .policy(policy)
                    .successfulSessions(1_000_000)
                    .failedSessions(failed)
                    .failureDetails(failures)
                    .build()))
        .build();
  }

  static byte[] message(byte[] gzip) {
    String mail =
        "From: tlsrpt@reporter.example\r\nTo: rua@bench.example\r\n"
            + "Subject: Report Domain: bench.example Submitter: reporter.example Report-ID:"
            + " <2024-05-01T00:00:00Z_bench.example>\r\n"
            + "TLS-Report-Domain: bench.example\r\nTLS-Report-Submitter: reporter.example\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nA TLS report.\r\n"
            + "--b\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment;"
            + " filename=\"reporter.example!bench.example!1714521600!1714608000.json.gz\"\r\n\r\n"
            + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(gzip)
            + "\r\n--b--\r\n";
    return mail.getBytes(StandardCharsets.US_ASCII);
  }

  /** The JSON from an array. */
  @Benchmark
  public TlsReport json() {
    return reader.read(json);
  }

  /** The JSON from a stream. */
  @Benchmark
  public TlsReport jsonStream() {
    return reader.read(new ByteArrayInputStream(json));
  }

  /** The gzip form, decompressed as it is read. */
  @Benchmark
  public TlsReport gzip() {
    return reader.read(gzip);
  }

  /** A whole report e-mail: MIME, base64, gzip, JSON, and the comparison of the two. */
  @Benchmark
  public ReceivedTlsReport message() {
    return reader.readMessage(message);
  }
}
