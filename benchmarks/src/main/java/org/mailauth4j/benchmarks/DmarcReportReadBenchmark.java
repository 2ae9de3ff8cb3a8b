package org.mailauth4j.benchmarks;

import com.google.common.net.InetAddresses;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.report.AggregateReport;
import org.mailauth4j.dmarc.report.AggregateReportReader;
import org.mailauth4j.dmarc.report.AggregateReportXml;
import org.mailauth4j.dmarc.report.Disposition;
import org.mailauth4j.dmarc.report.DkimAuthResult;
import org.mailauth4j.dmarc.report.PublishedPolicy;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport;
import org.mailauth4j.dmarc.report.ReportFormat;
import org.mailauth4j.dmarc.report.ReportMetadata;
import org.mailauth4j.dmarc.report.ReportRecord;
import org.mailauth4j.dmarc.report.SpfAuthResult;
import org.mailauth4j.dmarc.report.SpfReportResult;
import org.mailauth4j.dmarc.report.SpfScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading and writing received DMARC aggregate reports: a generated RFC 9990 report of {@code
 * records} records (distinct source addresses, one or two DKIM results, an SPF result, as a large
 * receiver's report has them) as XML and as gzip. Scores are reports per second; the set-up prints
 * the sizes, so that MB/s is the score times the size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DmarcReportReadBenchmark {
  /** Records in the report: a small report, and a large one of some MB. */
  @Param({"10", "20000"})
  public int records;

  private static final XMLInputFactory STAX = XMLInputFactory.newDefaultFactory();

  private final AggregateReportReader reader = AggregateReportReader.builder().build();
  private AggregateReport report;
  private byte[] xml;
  private byte[] gzip;

  /** Generates the report and its forms, and checks that each reads back. */
  @Setup
  public void setUp() throws IOException {
    report = report(records);
    xml = AggregateReportXml.write(report, ReportFormat.RFC9990);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(xml);
    }
    gzip = out.toByteArray();
    if (!reader.read(xml).report().equals(report) || !reader.read(gzip).report().equals(report)) {
      throw new IllegalStateException("the report does not read back");
    }
    System.out.printf(
        Locale.ROOT,
        "%n[DmarcReportReadBenchmark] %d records: XML %d bytes, gzip %d bytes%n",
        records,
        xml.length,
        gzip.length);
  }

  static AggregateReport report(int n) {
    ReportMetadata metadata =
        ReportMetadata.builder()
            .organizationName("Bench Receiver")
            .email("dmarc-reports@receiver.example")
            .reportId("20240501.bench.example.0123456789abcdef")
            .dateRange(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-01T23:59:59Z"))
            .generator(Optional.of("mailauth4j"))
            .build();
    PublishedPolicy policy =
        PublishedPolicy.builder("bench.example")
            .policy(Optional.of(DmarcPolicy.REJECT))
            .subdomainPolicy(Optional.of(DmarcPolicy.QUARANTINE))
            .nonexistentDomainPolicy(Optional.of(DmarcPolicy.REJECT))
            .dkimAlignment(Optional.of(AlignmentMode.RELAXED))
            .spfAlignment(Optional.of(AlignmentMode.RELAXED))
            .discoveryMethod(Optional.of(DiscoveryMethod.TREEWALK))
            .failureOptions(Optional.of("0"))
            .testing(Optional.of(false))
            .build();
    AggregateReport.Builder b =
        AggregateReport.builder(metadata, policy).version(Optional.of("1.0"));
    for (int i = 0; i < n; i++) {
      boolean pass = i % 5 != 0;
      ReportRecord.Builder r =
          ReportRecord.builder(InetAddresses.fromInteger(0x0A000000 | i), "bench.example")
              .count(1 + (i * 7919L) % 10_000)
              .disposition(Optional.of(pass ? Disposition.PASS : Disposition.REJECT))
              .dkimAligned(Optional.of(pass))
              .spfAligned(Optional.of(i % 3 != 0))
              .envelopeFrom(Optional.of(i % 2 == 0 ? "bench.example" : "bounces.bench.example"))
              .addDkim(
                  DkimAuthResult.of(
                      "bench.example", "s" + (i % 4), pass ? DkimResult.PASS : DkimResult.FAIL))
              .addSpf(
                  SpfAuthResult.of(
                      "bounces.bench.example",
                      SpfScope.MFROM,
                      i % 3 != 0 ? SpfReportResult.PASS : SpfReportResult.SOFTFAIL));
      if (i % 7 == 0) {
        r.addDkim(DkimAuthResult.of("esp.example", "esp", DkimResult.PASS));
      }
      b.addRecord(r.build());
    }
    return b.build();
  }

  /** The XML from an array. */
  @Benchmark
  public ReceivedAggregateReport xml() {
    return reader.read(xml);
  }

  /** The gzip form, decompressed as it is read. */
  @Benchmark
  public ReceivedAggregateReport gzip() {
    return reader.read(gzip);
  }

  /** Writes the report as RFC 9990 XML. */
  @Benchmark
  public byte[] write() {
    return AggregateReportXml.write(report, ReportFormat.RFC9990);
  }

  /**
   * The floor of {@link #xml}: the JDK's StAX parser alone over the same characters, every event
   * visited and no model built.
   */
  @Benchmark
  public int staxFloor() throws XMLStreamException {
    XMLStreamReader r =
        STAX.createXMLStreamReader(
            new InputStreamReader(new ByteArrayInputStream(xml), StandardCharsets.UTF_8));
    int events = 0;
    while (r.hasNext()) {
      events += r.next();
    }
    return events;
  }

  /** The floor of {@link #gzip} beyond the XML: inflating the gzip form alone. */
  @Benchmark
  public long gunzipFloor() throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
