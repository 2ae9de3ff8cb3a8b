package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.DmarcPolicy;

/**
 * A report of 100,000 records streams: the bytes reach the caller's stream in small writes from the
 * start, the document is never handed over whole, and the stream is flushed and left open. The
 * stream counts and discards what it gets, so the test holds no document either.
 */
class AggregateReportXmlStreamingTest {
  private static final int RECORDS = 100_000;
  private static final int MAX_WRITE = 64 * 1024;

  /** Counts bytes, writes and {@code </record>} end tags, and keeps nothing. */
  static final class CountingStream extends OutputStream {
    private static final byte[] END_RECORD = "</record>".getBytes(UTF_8);
    long bytes;
    long writes;
    long largestWrite;
    long bytesAtFirstWrite = -1;
    long recordsAtFirstWrite = -1;
    long records;
    long bytesAtFlush = -1;
    boolean closed;
    private int matched;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes++;
      largestWrite = Math.max(largestWrite, len);
      for (int i = off; i < off + len; i++) {
        matched = b[i] == END_RECORD[matched] ? matched + 1 : (b[i] == END_RECORD[0] ? 1 : 0);
        if (matched == END_RECORD.length) {
          records++;
          matched = 0;
        }
      }
      bytes += len;
      if (bytesAtFirstWrite < 0) {
        bytesAtFirstWrite = bytes;
        recordsAtFirstWrite = records;
      }
    }

    @Override
    public void flush() {
      bytesAtFlush = bytes;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static AggregateReport large() {
    AggregateReport.Builder b =
        AggregateReport.builder(
            AggregateReportXmlTest.metadata("large-1"),
            PublishedPolicy.builder("example.com").policy(Optional.of(DmarcPolicy.REJECT)).build());
    for (int i = 0; i < RECORDS; i++) {
      byte[] v6 = new byte[16];
      v6[0] = 0x20;
      v6[1] = 0x01;
      v6[2] = 0x0d;
      v6[3] = (byte) 0xb8;
      v6[14] = (byte) (i >> 8);
      v6[15] = (byte) i;
      v6[13] = (byte) (i >> 16);
      InetAddress ip;
      try {
        ip = InetAddress.getByAddress(v6);
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
      b.addRecord(
          ReportRecord.builder(ip, "example.com")
              .count(i + 1)
              .disposition(Optional.of(Disposition.REJECT))
              .dkimAligned(Optional.of(false))
              .spfAligned(Optional.of(false))
              .envelopeFrom(Optional.of("sender" + i + ".example"))
              .addDkim(DkimAuthResult.of("sender" + i + ".example", "s1", DkimResult.FAIL))
              .addSpf(
                  SpfAuthResult.of("sender" + i + ".example", SpfScope.MFROM, SpfReportResult.FAIL))
              .build());
    }
    return b.build();
  }

  private static final AggregateReport LARGE = large();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ReportFormat.class)
  @DisplayName("100,000 records stream to the OutputStream in small writes from the start")
  void aLargeReportStreams(ReportFormat format) {
    CountingStream out = new CountingStream();
    AggregateReportXml.write(LARGE, format, out);

    assertThat(out.records).as("records written").isEqualTo(RECORDS);
    assertThat(out.bytes).as("document size").isGreaterThan(40L * 1024 * 1024);
    // bytes flow before the end: the first write came when no record had been written yet, and
    // no write carried more than a buffer's worth, so the document was never passed over whole
    assertThat(out.recordsAtFirstWrite).as("records in the first write").isLessThan(100);
    assertThat(out.bytesAtFirstWrite).isLessThanOrEqualTo(MAX_WRITE);
    assertThat(out.largestWrite).as("largest single write").isLessThanOrEqualTo(MAX_WRITE);
    assertThat(out.writes).isGreaterThan(out.bytes / MAX_WRITE);
    assertThat(out.bytesAtFlush).as("flushed at the end").isEqualTo(out.bytes);
    assertThat(out.closed).as("left open").isFalse();
  }
}
