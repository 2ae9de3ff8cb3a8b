package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;

/**
 * Reads received ARF feedback reports (RFC 5965): DMARC failure reports ({@code Feedback-Type:
 * auth-failure}, RFC 6591, RFC 9991) and the other feedback types alike, from the whole e-mail. Use
 * it where the {@code ruf} mailbox of a domain is read.
 *
 * <p>The report is the first {@code message/feedback-report} part, wherever it is in the MIME tree;
 * the original is the first {@code text/rfc822-headers} or {@code message/rfc822} part; the text
 * for people is the first {@code text/plain} part before the report. Reading is lenient where real
 * reporters differ (a missing {@code Version} or {@code User-Agent}, {@code Received-Date} for
 * {@code Arrival-Date}, comments after {@code Source-IP}, stray lines among the fields), and strict
 * only where there would be nothing to read: without a {@code Feedback-Type} the message is
 * refused.
 *
 * <p>Input is untrusted, so every read is bounded by the limits of {@link Builder}; a message over
 * a limit is refused with a {@link DmarcReportException} whose {@link
 * DmarcReportException#reason()} says which ({@code TOO_LARGE}, {@code TOO_DEEP}, {@code
 * TOO_MANY_ITEMS}), as is one that is not MIME ({@code MALFORMED_MESSAGE}) or holds no report
 * ({@code NO_REPORT_IN_MESSAGE}). A report's own DKIM signature is not checked here: verify the
 * message before trusting it.
 *
 * <pre>{@code
 * FailureReportReader reader = FailureReportReader.builder().build();
 * FailureReport report = reader.read(messageBytes);
 * report.authFailure();         // Optional[DMARC]
 * report.reportedDomains();     // [example.com]
 * report.sourceIp();            // Optional[/192.0.2.1]
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one and share it.
 */
public final class FailureReportReader {
  private final long maxMessageBytes;
  private final int maxMessageParts;
  private final int maxMessageDepth;
  private final int maxFields;
  private final int maxFieldLength;

  private FailureReportReader(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxMessageParts = b.maxMessageParts;
    this.maxMessageDepth = b.maxMessageDepth;
    this.maxFields = b.maxFields;
    this.maxFieldLength = b.maxFieldLength;
  }

  /**
   * Starts configuring a reader.
   *
   * @return a builder with the defaults of {@link Builder}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder with this reader's limits, to derive a variant.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.maxMessageBytes = maxMessageBytes;
    b.maxMessageParts = maxMessageParts;
    b.maxMessageDepth = maxMessageDepth;
    b.maxFields = maxFields;
    b.maxFieldLength = maxFieldLength;
    return b;
  }

  /**
   * Reads a feedback report e-mail.
   *
   * @param message the message as received, header and body, CRLF or LF line ends
   * @return the report
   * @throws DmarcReportException if the message holds no readable report or is over a limit
   */
  public FailureReport read(byte[] message) {
    requireNonNull(message, "message");
    if (message.length > maxMessageBytes) {
      throw tooLarge(message.length);
    }
    return new FailureReportParser(this, message.clone()).read();
  }

  /**
   * Reads a feedback report e-mail from a stream, as {@link #read(byte[])} does. The stream is read
   * no further than the message size limit (one byte past it at most, to know it is crossed) and is
   * left open.
   *
   * @param message the message as received
   * @return the report
   * @throws DmarcReportException if the message holds no readable report or is over a limit
   * @throws UncheckedIOException if reading the stream fails
   */
  public FailureReport read(InputStream message) {
    requireNonNull(message, "message");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long count = 0;
    try {
      while (true) {
        int ask = (int) Math.min(buffer.length, maxMessageBytes - count + 1);
        int n = message.read(buffer, 0, ask);
        if (n < 0) {
          break;
        }
        count += n;
        if (count > maxMessageBytes) {
          throw tooLarge(count);
        }
        bytes.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FailureReportParser(this, bytes.toByteArray()).read();
  }

  private DmarcReportException tooLarge(long size) {
    return new DmarcReportException(
        Reason.TOO_LARGE,
        null,
        "the message has "
            + size
            + (size > maxMessageBytes ? " or more" : "")
            + " bytes, more than the limit of "
            + maxMessageBytes);
  }

  long maxMessageBytes() {
    return maxMessageBytes;
  }

  int maxMessageParts() {
    return maxMessageParts;
  }

  int maxMessageDepth() {
    return maxMessageDepth;
  }

  int maxFields() {
    return maxFields;
  }

  int maxFieldLength() {
    return maxFieldLength;
  }

  /**
   * Configures a {@link FailureReportReader}. Every limit has a default fit for the reports of real
   * reporters, which are a few KiB; raise one only for a reporter that needs it. Not thread-safe.
   */
  public static final class Builder {
    private long maxMessageBytes = 10L << 20;
    private int maxMessageParts = 100;
    private int maxMessageDepth = 8;
    private int maxFields = 1_000;
    private int maxFieldLength = 256 * 1024;

    private Builder() {}

    /**
     * Sets the largest message accepted, in bytes. Default 10 MiB: a report that carries a whole
     * original message with attachments.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageBytes(long max) {
      this.maxMessageBytes = positive(max, "maxMessageBytes");
      return this;
    }

    /**
     * Sets the most MIME parts of a message. Default 100; a report has 3.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageParts(int max) {
      this.maxMessageParts = (int) positive(max, "maxMessageParts");
      return this;
    }

    /**
     * Sets how deeply multiparts may nest. Default 8; a report has 1 (the original, which may nest
     * deeper, is not entered).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageDepth(int max) {
      this.maxMessageDepth = (int) positive(max, "maxMessageDepth");
      return this;
    }

    /**
     * Sets the most fields of the feedback report, and of each MIME header of the message. Default
     * 1,000; a report has some 20.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxFields(int max) {
      this.maxFields = (int) positive(max, "maxFields");
      return this;
    }

    /**
     * Sets the longest field of the feedback report, in characters unfolded, and of a MIME header,
     * in bytes. Default 262,144: room for a {@code DKIM-Canonicalized-Body} of some 190 KiB.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxFieldLength(int max) {
      this.maxFieldLength = (int) positive(max, "maxFieldLength");
      return this;
    }

    /**
     * Builds the reader.
     *
     * @return an immutable reader
     */
    public FailureReportReader build() {
      return new FailureReportReader(this);
    }

    private static long positive(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
