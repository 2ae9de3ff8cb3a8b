package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.mailauth4j.dmarc.report.BoundedReportInput.CorruptData;
import org.mailauth4j.dmarc.report.BoundedReportInput.Expansion;
import org.mailauth4j.dmarc.report.BoundedReportInput.Inflated;
import org.mailauth4j.dmarc.report.BoundedReportInput.Refused;
import org.mailauth4j.dmarc.report.BoundedReportInput.Source;
import org.mailauth4j.dmarc.report.BoundedReportInput.SourceFailure;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport.Packing;

/**
 * Reads DMARC aggregate reports others sent (RFC 9990 §3, RFC 7489 §7.2): the XML, plain, gzip
 * ({@code .xml.gz}) or in a zip archive ({@code .zip}), told apart by their first bytes, not by a
 * name or a declared type; and whole report e-mails ({@code .eml}, RFC 9990 §3.5), whose report
 * part is found by its media type or file name. Use it where reports arrive: the mailbox of a
 * {@code rua=mailto:} URI.
 *
 * <p>Reading is lenient, because every reporter writes its own variant: elements are matched by
 * local name in any namespace (none, RFC 7489's, RFC 9990's, another) and in any order within their
 * parent; unknown elements are skipped; values are trimmed and tokens matched ignoring case; {@code
 * date_range} times may have a fraction ({@code 1337270400.0}); the schemas' IP address pattern is
 * not applied (no schema is). What a report cannot do without is refused ({@link
 * DmarcReportException}): {@code report_metadata} with {@code report_id} and a {@code date_range}
 * of two times, and {@code policy_published} with its {@code domain}. A record without a usable
 * {@code source_ip} (such as {@code 108r.166.27.220}), {@code count} or {@code header_from} is
 * dropped; a missing {@code org_name} or {@code email} becomes an empty string; any other missing
 * or unknown value is left empty. Each such step is a {@link ReportWarning} of the result.
 * Extensions ({@code extension} and {@code extensions} wrappers, RFC 9990 Appendix A, and a
 * record's elements besides {@code row}, {@code identifiers} and {@code auth_results}) are kept as
 * {@link ReportExtension}s.
 *
 * <p>Input is hostile by default: no DTD is accepted, so no entity is ever expanded or fetched (a
 * document type declaration or an entity reference is {@link Reason#ENTITY_REFUSED}); every size
 * and count is bounded by the limits of {@link Builder}, checked while reading, so that an input is
 * streamed, never held whole (a report of 100 MB takes the memory of its records), and a gzip or
 * zip bomb is stopped once it passes the size or ratio limit. An archive inside an archive, or an
 * entry with an unsafe name, is {@link Reason#NESTED_ARCHIVE}. IP addresses are parsed as literals,
 * never looked up.
 *
 * <pre>{@code
 * AggregateReportReader reader = AggregateReportReader.builder().build();
 * AggregateReport report = reader.read(bytes).report();        // XML, .xml.gz or .zip
 * ReceivedAggregateReport mail = reader.readMessage(message);   // a whole report e-mail
 * mail.warnings(); mail.findings(); mail.subjectReportId();
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one and share it. Streams passed in are read no further than
 * needed (one byte past a limit at most) and left open.
 */
public final class AggregateReportReader {
  private static final int ZIP_MAGIC = 0x504B; // "PK" (APPNOTE.TXT 4.3.7)

  private final long maxCompressedBytes;
  private final long maxXmlBytes;
  private final int maxCompressionRatio;
  private final int maxZipEntries;
  private final int maxDepth;
  private final int maxRecords;
  private final long maxElements;
  private final int maxTextLength;
  private final int maxWarnings;
  private final long maxMessageBytes;
  private final int maxMessageParts;
  private final int maxMessageDepth;
  private final XMLInputFactory xml;

  private AggregateReportReader(Builder b) {
    this.maxCompressedBytes = b.maxCompressedBytes;
    this.maxXmlBytes = b.maxXmlBytes;
    this.maxCompressionRatio = b.maxCompressionRatio;
    this.maxZipEntries = b.maxZipEntries;
    this.maxDepth = b.maxDepth;
    this.maxRecords = b.maxRecords;
    this.maxElements = b.maxElements;
    this.maxTextLength = b.maxTextLength;
    this.maxWarnings = b.maxWarnings;
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxMessageParts = b.maxMessageParts;
    this.maxMessageDepth = b.maxMessageDepth;
    this.xml = secureFactory();
  }

  /** The JDK's StAX parser with DTDs, and with them every entity but the five predefined, off. */
  private static XMLInputFactory secureFactory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, false); // long text comes in bounded chunks
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("no external entity is fetched: " + systemId);
        });
    return f;
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
    b.maxXmlBytes = maxXmlBytes;
    b.maxCompressionRatio = maxCompressionRatio;
    b.maxZipEntries = maxZipEntries;
    b.maxDepth = maxDepth;
    b.maxRecords = maxRecords;
    b.maxElements = maxElements;
    b.maxTextLength = maxTextLength;
    b.maxWarnings = maxWarnings;
    b.maxMessageBytes = maxMessageBytes;
    b.maxMessageParts = maxMessageParts;
    b.maxMessageDepth = maxMessageDepth;
    return b;
  }

  /**
   * Reads a report from its bytes: XML, gzip-compressed XML or a zip archive holding the XML, told
   * apart by their first bytes.
   *
   * @param input the bytes, such as a saved attachment
   * @return the report and what reading it found
   * @throws DmarcReportException if the input is not a report, or is over a limit
   */
  public ReceivedAggregateReport read(byte[] input) {
    requireNonNull(input, "input");
    return read(new ByteArrayInputStream(input));
  }

  /**
   * Reads a report from a stream, as {@link #read(byte[])} does. The stream is read no further than
   * the limits allow (one byte past them at most, to know they are crossed) and is left open.
   *
   * @param input the stream
   * @return the report and what reading it found
   * @throws DmarcReportException if the input is not a report, or is over a limit
   * @throws UncheckedIOException if reading the stream fails
   */
  public ReceivedAggregateReport read(InputStream input) {
    requireNonNull(input, "input");
    try {
      return readStream(input);
    } catch (IOException e) {
      throw translate(e, null);
    }
  }

  /**
   * Reads a whole report e-mail (RFC 9990 §3.5): finds the part that holds the report, decodes its
   * transfer encoding and reads it as {@link #read(InputStream)} does, with the same limits, and
   * compares the subject ({@code Report Domain: … Submitter: … Report-ID: …}, §3.5.2) and the file
   * name (§3.5.1) with the report. Disagreements are {@linkplain ReceivedAggregateReport#findings()
   * findings}, not refusals: the XML wins.
   *
   * <p>The report part is the first of media type {@code application/gzip}, {@code
   * application/x-gzip}, {@code application/zip}, {@code application/x-zip-compressed}, {@code
   * application/x-zip}, {@code text/xml} or {@code application/xml}; failing that, the first part
   * of another type ({@code application/octet-stream} and the like) whose file name ends in {@code
   * .xml}, {@code .gz} or {@code .zip}. Embedded messages are not entered.
   *
   * @param message the message as received, header and body
   * @return the report and what the message says of it
   * @throws DmarcReportException if the message holds no readable report or is over a limit
   */
  public ReceivedAggregateReport readMessage(byte[] message) {
    requireNonNull(message, "message");
    if (message.length > maxMessageBytes) {
      throw new DmarcReportException(
          Reason.TOO_LARGE,
          null,
          "the message has "
              + message.length
              + " bytes, more than the limit of "
              + maxMessageBytes);
    }
    return readMessage(new ByteArrayInputStream(message));
  }

  /**
   * Reads a whole report e-mail from a stream, as {@link #readMessage(byte[])} does. The message is
   * streamed, not kept; it is read no further than the message size limit and left open.
   *
   * @param message the message as received
   * @return the report and what the message says of it
   * @throws DmarcReportException if the message holds no readable report or is over a limit
   * @throws UncheckedIOException if reading the stream fails
   */
  public ReceivedAggregateReport readMessage(InputStream message) {
    requireNonNull(message, "message");
    Source source = new Source(message, maxMessageBytes, "the message");
    return new ReportMailParser(this, source).read();
  }

  /** Reads a report from a stream; the stream's own failures are {@link SourceFailure}s. */
  ReceivedAggregateReport readStream(InputStream input) throws IOException {
    Source source = new Source(input, maxXmlBytes, "the XML input");
    byte[] head = source.peek(2);
    if (isGzip(head)) {
      source.limit(maxCompressedBytes, "the gzip input");
      Expansion expansion =
          new Expansion(source, maxXmlBytes, maxCompressionRatio, "the gzip data");
      try (Inflated gunzip = Inflated.gzip(source, expansion)) {
        ReportXmlParser.Warnings warnings = new ReportXmlParser.Warnings(maxWarnings);
        ReportXmlParser.Parsed parsed = parseXml(notNested(gunzip, "the gzip data"), warnings);
        return new ReceivedAggregateReport(
            parsed.report, parsed.namespace, Packing.GZIP, Optional.empty(), warnings.list());
      }
    }
    if (isZip(head)) {
      source.limit(maxCompressedBytes, "the zip input");
      return new ReportInputZip(this, source).read();
    }
    ReportXmlParser.Warnings warnings = new ReportXmlParser.Warnings(maxWarnings);
    ReportXmlParser.Parsed parsed = parseXml(source, warnings);
    return new ReceivedAggregateReport(
        parsed.report, parsed.namespace, Packing.XML, Optional.empty(), warnings.list());
  }

  /**
   * Refuses decompressed data that is itself gzip or zip, and returns a stream of it all.
   *
   * @param what such as "the gzip data", for the message
   */
  static InputStream notNested(InputStream decompressed, String what) throws IOException {
    PushbackInputStream in = new PushbackInputStream(decompressed, 2);
    byte[] head = in.readNBytes(2);
    if (isGzip(head) || isZip(head)) {
      throw new Refused(
          new DmarcReportException(
              Reason.NESTED_ARCHIVE,
              null,
              what
                  + " is "
                  + (isGzip(head) ? "gzip" : "zip")
                  + " again: nested archives are refused"));
    }
    in.unread(head);
    return in;
  }

  /**
   * Parses XML from a stream of its bytes, the encoding told by the XML itself ({@link
   * XmlCharset}).
   */
  ReportXmlParser.Parsed parseXml(InputStream in, ReportXmlParser.Warnings warnings)
      throws IOException {
    XMLStreamReader r;
    try {
      // The JDK's parser closes its stream at the end of the document; the stream is not its own.
      r =
          xml.createXMLStreamReader(
              XmlCharset.reader(
                  new java.io.FilterInputStream(in) {
                    @Override
                    public void close() {}
                  }));
    } catch (XMLStreamException e) {
      throw xmlFailure(e, null);
    }
    ReportXmlParser parser = new ReportXmlParser(r, this, warnings);
    try {
      return parser.parse();
    } catch (XMLStreamException e) {
      throw xmlFailure(e, parser.location());
    } catch (DmarcReportException e) {
      throw e;
    } catch (RuntimeException e) {
      if (!thrownByTheParser(e)) {
        throw e;
      }
      // The JDK's parser fails on some malformed prologs with its own bugs, such as a
      // MissingResourceException for a message key it lacks: still not well-formed XML.
      throw new Refused(
          new DmarcReportException(
              Reason.MALFORMED_XML,
              parser.location(),
              "not well-formed XML: the parser failed with "
                  + DmarcReportException.quote(e.toString()),
              e));
    } finally {
      try {
        r.close(); // does not close the stream
      } catch (XMLStreamException e) {
        // nothing more to release
      }
    }
  }

  /** Whether the JDK's StAX parser threw the exception, rather than this package's code. */
  private static boolean thrownByTheParser(RuntimeException e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      String c = frame.getClassName();
      if (c.startsWith("org.mailauth4j.")) {
        return false;
      }
      if (c.startsWith("com.sun.org.apache.xerces.") || c.startsWith("com.sun.xml.internal.")) {
        return true;
      }
    }
    return false;
  }

  /** What StAX threw: one of our streams' failures, carried through, or XML that is not right. */
  private static IOException xmlFailure(XMLStreamException e, String location) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof IOException io && BoundedReportInput.ours(io)) {
        return io;
      }
    }
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof java.nio.charset.CharacterCodingException) {
        return new Refused(
            new DmarcReportException(
                Reason.MALFORMED_XML,
                location,
                "bytes that are not of the document's encoding: " + t,
                e));
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("was referenced, but not declared") || message.contains("DOCTYPE")) {
      return new Refused(
          new DmarcReportException(
              Reason.ENTITY_REFUSED,
              location,
              "an entity or document type declaration: refused: "
                  + DmarcReportException.quote(message),
              e));
    }
    return new Refused(
        new DmarcReportException(
            Reason.MALFORMED_XML,
            location,
            "not well-formed XML: " + DmarcReportException.quote(message),
            e));
  }

  private static Throwable next(Throwable t) {
    if (t instanceof XMLStreamException x && x.getNestedException() != null) {
      return x.getNestedException() == t ? null : x.getNestedException();
    }
    return t.getCause() == t ? null : t.getCause();
  }

  /** Turns the IOException of a read into what the caller sees. */
  static RuntimeException translate(IOException e, String location) {
    if (e instanceof Refused refused) {
      return refused.refusal;
    }
    if (e instanceof SourceFailure) {
      return new UncheckedIOException((IOException) e.getCause());
    }
    if (e instanceof CorruptData) {
      return new DmarcReportException(
          Reason.CORRUPT_COMPRESSION,
          null,
          "the compressed data does not decompress: "
              + DmarcReportException.quote(String.valueOf(e.getCause().getMessage())),
          e.getCause());
    }
    // The caller's stream's failures are SourceFailures; anything else came of decoding the input.
    return new DmarcReportException(
        Reason.MALFORMED_XML,
        location,
        "the input does not decode: " + DmarcReportException.quote(String.valueOf(e.getMessage())),
        e);
  }

  static boolean isGzip(byte[] head) {
    return head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
  }

  static boolean isZip(byte[] head) {
    return head.length >= 2 && ((head[0] & 0xFF) << 8 | (head[1] & 0xFF)) == ZIP_MAGIC;
  }

  long maxCompressedBytes() {
    return maxCompressedBytes;
  }

  long maxXmlBytes() {
    return maxXmlBytes;
  }

  int maxCompressionRatio() {
    return maxCompressionRatio;
  }

  int maxZipEntries() {
    return maxZipEntries;
  }

  int maxDepth() {
    return maxDepth;
  }

  int maxRecords() {
    return maxRecords;
  }

  long maxElements() {
    return maxElements;
  }

  int maxTextLength() {
    return maxTextLength;
  }

  int maxWarnings() {
    return maxWarnings;
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

  /**
   * Configures an {@link AggregateReportReader}. Every limit has a default fit for the reports of
   * the largest senders; raise one only for a known reporter that needs it. Not thread-safe.
   */
  public static final class Builder {
    private long maxCompressedBytes = 32L << 20;
    private long maxXmlBytes = 256L << 20;
    private int maxCompressionRatio = 250;
    private int maxZipEntries = 16;
    private int maxDepth = 32;
    private int maxRecords = 500_000;
    private long maxElements = 20_000_000;
    private int maxTextLength = 64 * 1024;
    private int maxWarnings = 1_000;
    private long maxMessageBytes = 64L << 20;
    private int maxMessageParts = 100;
    private int maxMessageDepth = 8;

    private Builder() {}

    /**
     * Sets the largest compressed input accepted (gzip or zip), in bytes, as given. Default 32 MiB.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxCompressedBytes(long max) {
      this.maxCompressedBytes = positive(max, "maxCompressedBytes");
      return this;
    }

    /**
     * Sets the largest XML accepted, in bytes: the input itself when it is not compressed, the
     * decompressed bytes when it is (all entries of a zip archive together). Default 256 MiB, above
     * the largest reports of big mailbox providers; the XML is streamed, so this bounds time rather
     * than memory.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxXmlBytes(long max) {
      this.maxXmlBytes = positive(max, "maxXmlBytes");
      return this;
    }

    /**
     * Sets how many times larger than the compressed bytes consumed the decompressed data may be,
     * against gzip and zip bombs. Checked once more than 1 MiB is decompressed, so small reports
     * are never refused for it. Default 250: report XML compresses some 10 to 50 times, repetitive
     * reports up to about 100; deflate at most about 1,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxCompressionRatio(int max) {
      this.maxCompressionRatio = (int) positive(max, "maxCompressionRatio");
      return this;
    }

    /**
     * Sets the most entries of a zip archive, directories included. Default 16; reporters send one.
     * Only one XML entry is read.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxZipEntries(int max) {
      this.maxZipEntries = (int) positive(max, "maxZipEntries");
      return this;
    }

    /**
     * Sets how deeply elements may nest, the root counted as 1, inside extensions and unknown
     * elements too. A report needs 5. Default 32.
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
     * Sets the most {@code record} elements of one report, dropped ones included. Default 500,000;
     * a record takes some hundreds of bytes of memory once read.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxRecords(int max) {
      this.maxRecords = (int) positive(max, "maxRecords");
      return this;
    }

    /**
     * Sets the most elements of one report, skipped and extension ones included. Default
     * 20,000,000: a record has about 20.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxElements(long max) {
      this.maxElements = positive(max, "maxElements");
      return this;
    }

    /**
     * Sets the longest text accepted, in characters: one value, and the canonical text of one
     * extension. Default 65,536. (Text that is not kept, such as inside an unknown element or white
     * space between elements, is read in chunks and bounded by the input's size alone.)
     *
     * @param max at least 256
     * @return this builder
     */
    public Builder maxTextLength(int max) {
      if (max < 256) {
        throw new IllegalArgumentException("maxTextLength must be at least 256: " + max);
      }
      this.maxTextLength = max;
      return this;
    }

    /**
     * Sets the most warnings kept for one report; beyond them, they are counted in one last warning
     * of kind {@link ReportWarning.Kind#TOO_MANY_WARNINGS}. Default 1,000.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxWarnings(int max) {
      this.maxWarnings = (int) positive(max, "maxWarnings");
      return this;
    }

    /**
     * Sets the largest report e-mail accepted, in bytes. Default 64 MiB: a compressed report of the
     * default 32 MiB, base64-encoded, with the rest of the message.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageBytes(long max) {
      this.maxMessageBytes = positive(max, "maxMessageBytes");
      return this;
    }

    /**
     * Sets the most MIME parts of a report e-mail. Default 100; a report e-mail has 1 to 3.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxMessageParts(int max) {
      this.maxMessageParts = (int) positive(max, "maxMessageParts");
      return this;
    }

    /**
     * Sets how deeply the multiparts of a report e-mail may nest. Default 8; report e-mails have up
     * to 3.
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
    public AggregateReportReader build() {
      return new AggregateReportReader(this);
    }

    private static long positive(long value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
