package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import org.mailauth4j.tlsrpt.BoundedInput.CorruptGzip;
import org.mailauth4j.tlsrpt.BoundedInput.LimitExceeded;
import org.mailauth4j.tlsrpt.BoundedInput.SourceFailure;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads TLS reports others sent (RFC 8460 §4, §5): the JSON, gzip-compressed or not, and whole
 * report e-mails. Use it where reports arrive, at the HTTPS endpoint of a {@code rua=https:} URI or
 * the mailbox of a {@code rua=mailto:} one.
 *
 * <p>Reading is lenient where real reporters differ from RFC 8460 §4.4: only {@code
 * organization-name}, {@code date-range}, {@code report-id}, {@code policies}, {@code policy-type}
 * and {@code summary} are required; {@code mx-host} may be a string or an array; unknown fields are
 * skipped unread; timestamps are RFC 3339 with or without fractions and with any offset; {@code
 * failure-error-code}, the spelling of RFC 8460 Appendix B, is read as {@code failure-reason-code};
 * unknown policy and result types are kept as text. It is strict where leniency would hide a broken
 * report: counts must be JSON integers, not negative, at most 2<sup>53</sup> − 1 (I-JSON, RFC 7493
 * §2.2); a field the report defines may not appear twice in an object (RFC 7493 §2.3), while fields
 * it does not define are skipped unread, repeated or not; nothing may follow the report.
 *
 * <p>Input is untrusted, so every read is bounded by the limits of {@link Builder}, checked while
 * reading: a stream is never read whole before its size is known to be within them, and gzip is
 * decompressed only as far as the limits allow. Refusals are {@link TlsReportException}s with a
 * {@link TlsReportException.Reason}. Time is linear in the input.
 *
 * <pre>{@code
 * TlsReportReader reader = TlsReportReader.builder().build();
 * TlsReport report = reader.read(requestBody);          // JSON or gzip, by its first bytes
 * ReceivedTlsReport mail = reader.readMessage(message); // a whole report e-mail
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one and share it.
 */
public final class TlsReportReader {
  /** The gzip magic bytes (RFC 1952 §2.3.1). */
  private static final int GZIP_ID1 = 0x1f;

  private static final int GZIP_ID2 = 0x8b;

  /** Digits a number may have: counts need 16; more is refused before it is converted. */
  private static final int MAX_NUMBER_LENGTH = 64;

  private final long maxCompressedBytes;
  private final long maxJsonBytes;
  private final int maxCompressionRatio;
  private final int maxDepth;
  private final int maxPolicies;
  private final int maxFailureDetails;
  private final int maxPolicyStrings;
  private final int maxStringLength;
  private final long maxMessageBytes;
  private final int maxMessageParts;
  private final int maxMessageDepth;
  private final JsonFactory json;

  private TlsReportReader(Builder b) {
    this.maxCompressedBytes = b.maxCompressedBytes;
    this.maxJsonBytes = b.maxJsonBytes;
    this.maxCompressionRatio = b.maxCompressionRatio;
    this.maxDepth = b.maxDepth;
    this.maxPolicies = b.maxPolicies;
    this.maxFailureDetails = b.maxFailureDetails;
    this.maxPolicyStrings = b.maxPolicyStrings;
    this.maxStringLength = b.maxStringLength;
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxMessageParts = b.maxMessageParts;
    this.maxMessageDepth = b.maxMessageDepth;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxDocumentLength(maxJsonBytes)
            .maxStringLength(maxStringLength)
            .maxNameLength(maxStringLength)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE) // the caller's stream
            .build();
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
    b.maxCompressedBytes = maxCompressedBytes;
    b.maxJsonBytes = maxJsonBytes;
    b.maxCompressionRatio = maxCompressionRatio;
    b.maxDepth = maxDepth;
    b.maxPolicies = maxPolicies;
    b.maxFailureDetails = maxFailureDetails;
    b.maxPolicyStrings = maxPolicyStrings;
    b.maxStringLength = maxStringLength;
    b.maxMessageBytes = maxMessageBytes;
    b.maxMessageParts = maxMessageParts;
    b.maxMessageDepth = maxMessageDepth;
    return b;
  }

  /**
   * Reads a report from its bytes: UTF-8 JSON, or gzip-compressed JSON ({@code
   * application/tlsrpt+gzip}, RFC 8460 §5), told apart by gzip's magic bytes rather than by any
   * declared media type, since senders do not always declare it right.
   *
   * @param input the JSON or gzip bytes, such as an HTTPS request body (RFC 8460 §5.4)
   * @return the report
   * @throws TlsReportException if the input is not a report, or is over a limit
   */
  public TlsReport read(byte[] input) {
    requireNonNull(input, "input");
    if (isGzip(input)) {
      if (input.length > maxCompressedBytes) {
        throw tooLarge("the gzip input", input.length, maxCompressedBytes);
      }
      return readGzip(new BoundedInput.Source(new ByteArrayInputStream(input), input.length, ""));
    }
    if (input.length > maxJsonBytes) {
      throw tooLarge("the JSON input", input.length, maxJsonBytes);
    }
    requireUtf8(input, input.length);
    try (JsonParser p = json.createParser(ObjectReadContext.empty(), input)) {
      return parse(p);
    } catch (JacksonException e) {
      throw translate(e);
    }
  }

  /**
   * Reads a report from a stream of JSON or gzip-compressed JSON, as {@link #read(byte[])} does.
   * The stream is read no further than the limits allow (one byte past them at most, to know they
   * are crossed) and is left open.
   *
   * @param input the stream, such as an HTTPS request body
   * @return the report
   * @throws TlsReportException if the input is not a report, or is over a limit
   * @throws UncheckedIOException if reading the stream fails
   */
  public TlsReport read(InputStream input) {
    requireNonNull(input, "input");
    return read(input, new boolean[1]);
  }

  /**
   * Reads a report from a stream, as {@link #read(InputStream)} does.
   *
   * @param wasGzip its first element is set to whether the input was gzip
   */
  TlsReport read(InputStream input, boolean[] wasGzip) {
    BoundedInput.Source source = new BoundedInput.Source(input, maxJsonBytes, "the JSON input");
    byte[] head;
    try {
      head = source.peek(2);
    } catch (IOException e) {
      throw translate(e);
    }
    wasGzip[0] = isGzip(head);
    if (wasGzip[0]) {
      source.limit(maxCompressedBytes, "the gzip input");
      return readGzip(source);
    }
    return readJson(source);
  }

  /**
   * Reads a whole report e-mail (RFC 8460 §5.3): finds the part that holds the report, decodes its
   * transfer encoding, reads it as {@link #read(byte[])} does with the same limits, and compares
   * the message's {@code TLS-Report-Domain}, {@code TLS-Report-Submitter}, subject and file name
   * with the report. Disagreements are {@linkplain ReceivedTlsReport#findings() findings}, not
   * refusals: RFC 8460 §5.6 says the JSON wins.
   *
   * <p>The report part is the first of media type {@code application/tlsrpt+gzip}, {@code
   * application/tlsrpt+json} or {@code application/tlsrpt}; failing that, the first {@code
   * application/gzip}, {@code application/json} or {@code application/octet-stream} part whose file
   * name ends in {@code .json.gz}, {@code .json} or {@code .gz}. Whether it is compressed is
   * decided by its first bytes.
   *
   * <p>The DKIM signature that RFC 8460 §3 requires of report e-mails is not checked here; verify
   * {@link ReceivedTlsReport#message()}, the very bytes read, before trusting the report.
   *
   * @param message the message as received, header and body, with CRLF or LF line ends
   * @return the report and what the message says of it
   * @throws TlsReportException if the message holds no readable report or is over a limit
   */
  public ReceivedTlsReport readMessage(byte[] message) {
    requireNonNull(message, "message");
    if (message.length > maxMessageBytes) {
      throw tooLarge("the message", message.length, maxMessageBytes);
    }
    return new ReportMessageParser(this, message.clone()).read();
  }

  /**
   * Reads a whole report e-mail from a stream, as {@link #readMessage(byte[])} does. The message is
   * kept in memory, up to the message size limit, so that {@link ReceivedTlsReport#message()} holds
   * the bytes a DKIM check needs; the stream is read no further and is left open.
   *
   * @param message the message as received
   * @return the report and what the message says of it
   * @throws TlsReportException if the message holds no readable report or is over a limit
   * @throws UncheckedIOException if reading the stream fails
   */
  public ReceivedTlsReport readMessage(InputStream message) {
    requireNonNull(message, "message");
    BoundedInput.Source source = new BoundedInput.Source(message, maxMessageBytes, "the message");
    byte[] bytes;
    try {
      bytes = source.readAllBytes();
    } catch (LimitExceeded e) {
      throw e.refusal;
    } catch (SourceFailure e) {
      throw new UncheckedIOException((IOException) e.getCause());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ReportMessageParser(this, bytes).read();
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

  private TlsReport readGzip(BoundedInput.Source source) {
    try (BoundedInput.Gunzip gunzip =
        new BoundedInput.Gunzip(source, maxJsonBytes, maxCompressionRatio)) {
      return readJson(gunzip);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private TlsReport readJson(InputStream input) {
    PushbackInputStream in = new PushbackInputStream(input, 4);
    try {
      byte[] head = in.readNBytes(4);
      requireUtf8(head, head.length);
      in.unread(head);
    } catch (IOException e) {
      throw translate(e);
    }
    try (JsonParser p = json.createParser(ObjectReadContext.empty(), in)) {
      return parse(p);
    } catch (JacksonException e) {
      throw translate(e);
    }
  }

  private TlsReport parse(JsonParser p) {
    try {
      return new ReportJsonParser(
              p, maxPolicies, maxFailureDetails, maxPolicyStrings, maxStringLength)
          .report();
    } catch (JacksonException e) {
      throw translate(e, p.streamReadContext().pathAsPointer().toString());
    }
  }

  /**
   * RFC 8460 §4 and I-JSON (RFC 7493 §2.1): the report is UTF-8. A NUL among the first four bytes,
   * or a UTF-16 or UTF-32 byte order mark, is how Jackson would detect another encoding; neither is
   * ever valid UTF-8 JSON, so refusing them here keeps the other decoders out of reach.
   */
  private static void requireUtf8(byte[] head, int length) {
    int n = Math.min(length, 4);
    boolean bom16 =
        n >= 2
            && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF
                || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE);
    boolean nul = false;
    for (int i = 0; i < n; i++) {
      nul |= head[i] == 0;
    }
    if (bom16 || nul) {
      throw new TlsReportException(
          Reason.NOT_JSON, null, "not UTF-8 JSON: it starts as UTF-16 or UTF-32 would");
    }
  }

  private static boolean isGzip(byte[] input) {
    return input.length >= 2 && (input[0] & 0xFF) == GZIP_ID1 && (input[1] & 0xFF) == GZIP_ID2;
  }

  private RuntimeException translate(JacksonException e) {
    return translate(e, null);
  }

  /**
   * Turns what Jackson threw into a refusal.
   *
   * @param location the JSON pointer where the parser was, or null
   */
  private RuntimeException translate(JacksonException e, String location) {
    if (e instanceof JacksonIOException && e.getCause() instanceof IOException) {
      return translate((IOException) e.getCause());
    }
    if (e instanceof StreamConstraintsException) {
      String message = String.valueOf(e.getOriginalMessage());
      Reason reason = message.contains("nesting depth") ? Reason.TOO_DEEP : Reason.TOO_LARGE;
      return new TlsReportException(reason, location, limitMessage(reason, message), e);
    }
    if (e instanceof UnexpectedEndOfInputException) {
      return new TlsReportException(
          Reason.NOT_JSON, location, "the JSON ends before the report does" + where(e), e);
    }
    return new TlsReportException(
        Reason.NOT_JSON,
        location,
        "not JSON"
            + where(e)
            + ": "
            + TlsReportException.quote(String.valueOf(e.getOriginalMessage())),
        e);
  }

  private String limitMessage(Reason reason, String jacksonMessage) {
    if (reason == Reason.TOO_DEEP) {
      return "objects and arrays nested deeper than the limit of " + maxDepth;
    }
    if (jacksonMessage.contains("String value length") || jacksonMessage.contains("Name length")) {
      return "a string over the limit of " + maxStringLength + " characters";
    }
    if (jacksonMessage.contains("Number value length")) {
      return "a number of more than " + MAX_NUMBER_LENGTH + " characters";
    }
    if (jacksonMessage.contains("Document length")) {
      return "the JSON is larger than the limit of " + maxJsonBytes + " bytes";
    }
    return "over a limit: " + TlsReportException.quote(jacksonMessage);
  }

  private static String where(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static RuntimeException translate(IOException e) {
    if (e instanceof LimitExceeded) {
      return ((LimitExceeded) e).refusal;
    }
    if (e instanceof SourceFailure) {
      return new UncheckedIOException((IOException) e.getCause());
    }
    if (e instanceof CorruptGzip) {
      return new TlsReportException(
          Reason.CORRUPT_COMPRESSION,
          null,
          "the gzip data does not decompress: "
              + TlsReportException.quote(String.valueOf(e.getCause().getMessage())),
          e.getCause());
    }
    // The caller's stream's own failures are SourceFailures; anything else was thrown decoding
    // the input, which is therefore not JSON.
    return new TlsReportException(
        Reason.NOT_JSON,
        null,
        "the input does not decode: " + TlsReportException.quote(String.valueOf(e.getMessage())),
        e);
  }

  private static TlsReportException tooLarge(String what, long size, long limit) {
    return new TlsReportException(
        Reason.TOO_LARGE, null, what + " has " + size + " bytes, more than the limit of " + limit);
  }

  /**
   * Configures a {@link TlsReportReader}. Every limit has a default fit for reports of the largest
   * senders; raise one only for a known reporter that needs it. Not thread-safe.
   */
  public static final class Builder {
    private long maxCompressedBytes = 10L << 20;
    private long maxJsonBytes = 32L << 20;
    private int maxCompressionRatio = 100;
    private int maxDepth = 32;
    private int maxPolicies = 1_000;
    private int maxFailureDetails = 100_000;
    private int maxPolicyStrings = 1_000;
    private int maxStringLength = 64 * 1024;
    private long maxMessageBytes = 16L << 20;
    private int maxMessageParts = 100;
    private int maxMessageDepth = 8;

    private Builder() {}

    /**
     * Sets the largest gzip input accepted, in bytes, as given (before decompression). Default 10
     * MiB, the receivers' limit RFC 8460 §5.2 mentions as common.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxCompressedBytes(long max) {
      this.maxCompressedBytes = positive(max, "maxCompressedBytes");
      return this;
    }

    /**
     * Sets the largest JSON accepted, in bytes: the input itself when it is not compressed, the
     * decompressed bytes when it is. Default 32 MiB. Reading a report takes memory in the order of
     * a few times its JSON.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxJsonBytes(long max) {
      this.maxJsonBytes = positive(max, "maxJsonBytes");
      return this;
    }

    /**
     * Sets how many times larger than the compressed bytes consumed the decompressed JSON may be,
     * against gzip bombs. Checked once more than 1 MiB is decompressed, so small reports are never
     * refused for it. Default 100; real reports compress some 10 to 30 times, gzip at most about
     * 1,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxCompressionRatio(int max) {
      this.maxCompressionRatio = (int) positive(max, "maxCompressionRatio");
      return this;
    }

    /**
     * Sets how deeply JSON objects and arrays may nest, unknown fields' values included. A report
     * needs 5 levels. Default 32.
     *
     * @param max at least 5
     * @return this builder
     */
    public Builder maxDepth(int max) {
      if (max < 5) {
        throw new IllegalArgumentException("maxDepth must be at least 5, a report's own: " + max);
      }
      this.maxDepth = max;
      return this;
    }

    /**
     * Sets the most entries of {@code policies} in one report. Default 1,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxPolicies(int max) {
      this.maxPolicies = (int) positive(max, "maxPolicies");
      return this;
    }

    /**
     * Sets the most entries of {@code failure-details} in one policy. Default 100,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxFailureDetails(int max) {
      this.maxFailureDetails = (int) positive(max, "maxFailureDetails");
      return this;
    }

    /**
     * Sets the most elements of one {@code policy-string} or {@code mx-host} list. Default 1,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxPolicyStrings(int max) {
      this.maxPolicyStrings = (int) positive(max, "maxPolicyStrings");
      return this;
    }

    /**
     * Sets the longest string, and field name, accepted, in characters. Default 65,536, room for a
     * TLSA record of a whole certificate in {@code policy-string}.
     *
     * @param max at least 32, since RFC 8460's longest field name has 30 characters
     * @return this builder
     */
    public Builder maxStringLength(int max) {
      if (max < 32) {
        throw new IllegalArgumentException("maxStringLength must be at least 32: " + max);
      }
      this.maxStringLength = max;
      return this;
    }

    /**
     * Sets the largest report e-mail accepted, in bytes. Default 16 MiB: a gzip report of the
     * default 10 MiB, base64-encoded, with the rest of the message. Raise it with {@link
     * #maxCompressedBytes(long)}.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageBytes(long max) {
      this.maxMessageBytes = positive(max, "maxMessageBytes");
      return this;
    }

    /**
     * Sets the most MIME parts of a report e-mail. Default 100; a report e-mail has 2 or 3.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageParts(int max) {
      this.maxMessageParts = (int) positive(max, "maxMessageParts");
      return this;
    }

    /**
     * Sets how deeply the multiparts of a report e-mail may nest. Default 8; a report e-mail has 1.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageDepth(int max) {
      this.maxMessageDepth = (int) positive(max, "maxMessageDepth");
      return this;
    }

    /**
     * Builds the reader.
     *
     * @return an immutable reader
     */
    public TlsReportReader build() {
      return new TlsReportReader(this);
    }

    private static long positive(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
