package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.report.DmarcReportCollectorTest.Mail;
import org.mailauth4j.testkit.MutableClock;

/**
 * Reports produced by the collector from real DMARC outcomes, written in their profile's form,
 * plain, gzipped and zipped, read back equal to themselves, with the same counts and no warnings.
 */
class ReportRoundTripTest {

  /** How the written document is packed before it is read again. */
  enum Packing {
    XML,
    GZIP,
    ZIP
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (DmarcProfile profile : DmarcProfile.values()) {
      for (Packing packing : Packing.values()) {
        cases.add(Arguments.of(profile + " written as " + packing, profile, packing));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void producedReportsReadBackEqual(String name, DmarcProfile profile, Packing packing) {
    MutableClock clock = new MutableClock(DmarcReportCollectorTest.NOON);
    DmarcReportCollector collector =
        DmarcReportCollector.builder(
                "Example Receiver", "dmarc-reports@mx.example.org", new InMemoryDmarcReportStore())
            .clock(clock)
            .extraContactInfo("https://mx.example.org/dmarc")
            .build();
    Mail mail = new Mail(clock, profile, Mail.QUARANTINE);
    for (int i = 0; i < 5; i++) {
      collector.add(mail.aligned());
    }
    collector.add(mail.unaligned("bob@example.com", "198.51.100.7"), handling());
    collector.add(mail.unaligned("carol@quarantine.example", "2001:db8::25"));
    collector.add(mail.unaligned("dave@testing.example", "192.0.2.9"));
    collector.add(mail.unaligned("erin@monitor.example", "192.0.2.10"));
    collector.add(mail.unaligned("frank@sampled.example", "203.0.113.4"));
    clock.advance(Duration.ofDays(1));

    List<AggregateReport> produced = collector.reports(DmarcReportCollectorTest.DAY);
    assertThat(produced).hasSizeGreaterThanOrEqualTo(4);

    AggregateReportReader reader = AggregateReportReader.builder().build();
    ReportFormat format = ReportFormat.of(profile);
    for (AggregateReport report : produced) {
      byte[] written = pack(AggregateReportXml.write(report, format), packing);
      ReceivedAggregateReport read = reader.read(new ByteArrayInputStream(written));
      assertThat(read.warnings()).as("warnings for %s", report).isEmpty();
      assertThat(read.namespace()).contains(format.namespace());
      assertThat(read.report()).isEqualTo(carriedBy(report, format));
      assertThat(read.report().messageCount()).isEqualTo(report.messageCount());
    }
    assertThat(produced.stream().mapToLong(AggregateReport::messageCount).sum()).isEqualTo(10);
  }

  /**
   * The report as its written form can carry it: the RFC 7489 schema has no {@code
   * discovery_method} and no {@code generator}, so a legacy report reads back without them.
   */
  static AggregateReport carriedBy(AggregateReport report, ReportFormat format) {
    if (format != ReportFormat.RFC7489) {
      return report;
    }
    PublishedPolicy policy = report.policy().newBuilder().discoveryMethod(Optional.empty()).build();
    AggregateReport.Builder b =
        AggregateReport.builder(
                report.metadata().newBuilder().generator(Optional.empty()).build(), policy)
            .version(report.version())
            .addRecords(report.records());
    report.extensions().forEach(b::addExtension);
    return b.build();
  }

  private static ReceiverHandling handling() {
    return ReceiverHandling.builder()
        .disposition(Disposition.NONE)
        .addReason(OverrideReason.of(OverrideType.MAILING_LIST, "list.example.org"))
        .envelopeTo("example.org")
        .build();
  }

  static byte[] pack(byte[] xml, Packing packing) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (packing) {
        case XML -> out.write(xml);
        case GZIP -> {
          try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(xml);
          }
        }
        case ZIP -> {
          try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("report.xml"));
            zip.write(xml);
            zip.closeEntry();
          }
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
