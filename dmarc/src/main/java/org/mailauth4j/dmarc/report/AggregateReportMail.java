package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dmarc.PublicSuffixList;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * Builds the e-mail that carries a DMARC aggregate report to a {@code mailto:} destination of a
 * policy domain's {@code rua} (RFC 9990 §3.5.1, RFC 7489 §7.2.1.1), DKIM-signed so that the report
 * itself passes DMARC aligned, as bytes for the caller's MTA to send. Check the destinations first
 * with {@link ReportDestinationVerifier} and send only to its {@link ReportDestinations#mailboxes()
 * mailboxes}; sending is not this class's business.
 *
 * <p>The message, with CRLF line ends and nothing but ASCII:
 *
 * <ul>
 *   <li>{@code From}, {@code Date}, {@code To}, {@code Subject: Report Domain: <policy domain>
 *       Submitter: <submitter> Report-ID: <msg-id>}, {@code Message-ID}, {@code MIME-Version} and
 *       {@code Content-Type: multipart/mixed};
 *   <li>a short {@code text/plain} part for people, then the report as {@code application/gzip}
 *       ({@code text/xml} when built uncompressed), base64 in lines of 76, as an attachment named
 *       {@code <submitter>!<policy domain>!<begin>!<end>!<unique-id>.xml.gz} ({@code .xml}), the
 *       times in Unix seconds;
 *   <li>on top, one DKIM-Signature per configured key, made with the {@code dkim} module's {@link
 *       DkimSigner}: relaxed/relaxed, no {@code l=}, signing (and over-signing, so that none can be
 *       added) From, To, Subject, Date, Message-ID, MIME-Version and Content-Type.
 * </ul>
 *
 * <p>A re-sent report keeps its file name (RFC 9990 §3.5.1): the name is made from the report
 * alone, its {@code unique-id} from the report id (the id itself when it is 1 to 64 letters and
 * digits, else the first 128 bits of its SHA-256 in hex), and the same report gives the same
 * attachment bytes. Each message gets a fresh Message-ID from {@link Builder#uniqueIds}.
 *
 * <p>"Email streams carrying DMARC feedback data MUST conform to the DMARC mechanism, thereby
 * resulting in an aligned pass" (RFC 9990 §3.5.1): every key must sign for a domain aligned with
 * the From domain (the same organizational domain, or the very domain under {@link
 * Builder#strictAlignment strict} alignment); the builder refuses any other. Report data reaches
 * the header only as checked host names and numbers, and the report id only when it is a plain
 * dot-atom (with or without {@code @}); any other id is named in the subject by a digest of it at
 * the submitter, and kept exactly only in the XML.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AggregateReportMail mail = AggregateReportMail.builder("dmarc-reports@mail.example.net")
 *     .dkimKey(DomainName.parse("example.net"), "dmarc2026", DkimSigningKey.fromPem(pem))
 *     .build();
 * for (String to : destinations.mailboxes()) {
 *   byte[] message = mail.compose(report, ReportFormat.RFC9990, to);
 *   ... hand message to the MTA ...
 * }
 * }</pre>
 */
public final class AggregateReportMail {
  /** The header fields signed, each also over-signed so that a second one breaks the signature. */
  static final List<String> SIGNED_HEADERS =
      List.of("From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type");

  /** RFC 9990 §3.5.1: the media type of a compressed report. */
  static final String GZIP_TYPE = "application/gzip";

  /** RFC 9990 §3.5.1: the media type of an uncompressed report. */
  static final String XML_TYPE = "text/xml";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final int MAX_UNIQUE_ID = 64;

  /** Report ids written in the subject as they are, if plain and no longer than this. */
  private static final int MAX_PLAIN_ID = 200;

  private final String from;
  private final DomainName submitter;
  private final DkimSigner signer;
  private final Clock clock;
  private final Supplier<String> uniqueIds;
  private final boolean compress;

  private AggregateReportMail(Builder b, DomainName submitter) {
    this.from = b.from;
    this.submitter = submitter;
    DkimSigner.Builder dkim =
        DkimSigner.builder()
            .signedHeaders(SIGNED_HEADERS)
            .overSignedHeaders(SIGNED_HEADERS)
            .signBodyLength(false) // l= would let anyone append to the report
            .clock(b.clock);
    for (Key k : b.keys) {
      dkim.key(k.domain(), k.selector(), k.key());
    }
    this.signer = dkim.build();
    this.clock = b.clock;
    this.uniqueIds = b.uniqueIds;
    this.compress = b.compress;
  }

  /**
   * Starts configuring report mail.
   *
   * @param from the {@code From} address, an addr-spec such as {@code dmarc@mail.example.net}; its
   *     domain must align with the DKIM keys, and is the submitter unless {@link Builder#submitter}
   *     says otherwise
   * @return a builder; add at least one {@link Builder#dkimKey DKIM key}
   * @throws IllegalArgumentException if the address is not a plain ASCII addr-spec whose domain is
   *     a host name
   */
  public static Builder builder(String from) {
    return new Builder(checkAddress(from, "from"));
  }

  /**
   * Returns the submitter: the receiver's domain in the Subject and the file name.
   *
   * @return the submitter's domain
   */
  public DomainName submitter() {
    return submitter;
  }

  /**
   * Builds and signs the report message for one recipient.
   *
   * @param report the report
   * @param format the XML form to attach, {@link ReportFormat#RFC9990} or {@link
   *     ReportFormat#RFC7489}
   * @param recipient the addr-spec to send to, such as an element of {@link
   *     ReportDestinations#mailboxes()}
   * @return the message, DKIM-Signature fields first, CRLF line ends
   * @throws IllegalArgumentException if the report's policy domain is not a host name, its date
   *     range starts before 1970, the writer refuses the report, or the recipient is not a plain
   *     ASCII addr-spec
   * @throws IllegalStateException if the {@linkplain Builder#uniqueIds unique id supplier} gives
   *     something other than 1 to 64 letters and digits
   */
  public byte[] compose(AggregateReport report, ReportFormat format, String recipient) {
    return compose(report, format, List.of(requireNonNull(recipient, "recipient")));
  }

  /**
   * Builds and signs one report message for several recipients, all in its {@code To} field.
   *
   * @param report the report
   * @param format the XML form to attach
   * @param recipients the addr-specs to send to, at least one
   * @return the message, DKIM-Signature fields first, CRLF line ends
   * @throws IllegalArgumentException as {@link #compose(AggregateReport, ReportFormat, String)}
   *     does, or if there is no recipient
   * @throws IllegalStateException if the unique id supplier gives an unusable id
   */
  public byte[] compose(AggregateReport report, ReportFormat format, List<String> recipients) {
    requireNonNull(report, "report");
    requireNonNull(format, "format");
    List<String> to = new ArrayList<>();
    for (String r : List.copyOf(recipients)) {
      to.add(checkAddress(r, "recipient"));
    }
    if (to.isEmpty()) {
      throw new IllegalArgumentException("no recipient");
    }
    DomainName policyDomain = policyDomain(report);
    String name = filename(report, policyDomain);
    String token = uniqueIds.get();
    if (!isUniqueId(token)) {
      throw new IllegalStateException(
          "the unique id supplier gave " + (token == null ? "null" : printable(token)));
    }
    String boundary = "----=_dmarc_" + token;
    byte[] xml = AggregateReportXml.write(report, format);
    byte[] content = compress ? gzip(xml) : xml;

    StringBuilder m = new StringBuilder(content.length * 4 / 3 + 2048);
    m.append("From: ").append(from).append("\r\n");
    m.append("Date: ").append(DATE.format(clock.instant())).append("\r\n");
    m.append(folded("To", String.join(", ", to).split(" ")));
    // RFC 9990 §3.5.1: the subject SHOULD name the policy domain, the submitter and the report id.
    m.append(
        folded(
            "Subject",
            "Report",
            "Domain:",
            policyDomain.toString(),
            "Submitter:",
            submitter.toString(),
            "Report-ID:",
            subjectReportId(report.metadata().reportId(), submitter)));
    m.append("Message-ID: <").append(token).append('@').append(submitter).append(">\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: multipart/mixed;\r\n");
    m.append("\tboundary=\"").append(boundary).append("\"\r\n");
    m.append("\r\n");
    m.append("This is a multipart message in MIME format.\r\n");
    m.append("\r\n--").append(boundary).append("\r\n");
    m.append("Content-Type: text/plain; charset=\"us-ascii\"\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n");
    m.append("\r\n");
    m.append(humanReadable(report, policyDomain));
    m.append("\r\n--").append(boundary).append("\r\n");
    m.append("Content-Type: ").append(compress ? GZIP_TYPE : XML_TYPE);
    m.append(";\r\n\tname=\"").append(name).append("\"\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n");
    m.append("Content-Disposition: attachment;\r\n\tfilename=\"").append(name).append("\"\r\n");
    m.append("\r\n");
    m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(content));
    m.append("\r\n\r\n--").append(boundary).append("--\r\n");
    return signer.signMessage(m.toString().getBytes(US_ASCII));
  }

  /**
   * Returns the attachment's file name for a report, the same each time the report is sent (RFC
   * 9990 §3.5.1).
   *
   * @param report the report
   * @return such as {@code mail.example.net!example.com!1777593600!1777680000!r42.xml.gz}
   * @throws IllegalArgumentException if the policy domain is not a host name or the range starts
   *     before 1970
   */
  public String filename(AggregateReport report) {
    return filename(requireNonNull(report, "report"), policyDomain(report));
  }

  /**
   * RFC 9990 §3.5.1: {@code receiver "!" policy-domain "!" begin-timestamp "!" end-timestamp [ "!"
   * unique-id ] "." extension}, with {@code unique-id = 1*(ALPHA / DIGIT)} and the extension {@code
   * xml} or {@code xml.gz}.
   */
  private String filename(AggregateReport report, DomainName policyDomain) {
    long begin = report.metadata().begin().getEpochSecond();
    long end = report.metadata().end().getEpochSecond();
    if (begin < 0) {
      // begin-timestamp = 1*DIGIT: no sign
      throw new IllegalArgumentException("the report's date range starts before 1970");
    }
    return submitter
        + "!"
        + policyDomain
        + "!"
        + begin
        + "!"
        + end
        + "!"
        + fileUniqueId(report.metadata().reportId())
        + (compress ? ".xml.gz" : ".xml");
  }

  /**
   * The file name's unique-id, from the report id alone so that a re-sent report keeps its name:
   * the id itself when it is 1 to 64 letters and digits, else the first 128 bits of the SHA-256 of
   * its UTF-8, in hex.
   */
  static String fileUniqueId(String reportId) {
    return isUniqueId(reportId) ? reportId : digest(reportId);
  }

  /** The domain the report is about: the report's {@code policy_published/domain}, a host name. */
  private static DomainName policyDomain(AggregateReport report) {
    String domain = report.policy().domain();
    try {
      // A-labels: parseHostName converts U-labels, so only ASCII reaches the header
      return DomainName.parseHostName(domain);
    } catch (DnsSyntaxException e) {
      throw new IllegalArgumentException(
          "the report's policy domain is not a host name: " + printable(domain), e);
    }
  }

  private String humanReadable(AggregateReport report, DomainName policyDomain) {
    return "This is a DMARC aggregate report from "
        + submitter
        + " for "
        + policyDomain
        + ".\r\n"
        + "It covers "
        + report.metadata().begin()
        + " to "
        + report.metadata().end()
        + ":\r\n"
        + report.messageCount()
        + " messages in "
        + report.records().size()
        + " records.\r\n";
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 8 + 64);
    // GZIPOutputStream writes no name and a zero time: the same report gives the same bytes.
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen in memory", e);
    }
    return out.toByteArray();
  }

  /**
   * The report id as the subject's {@code msg-id}, {@code "<" id-left "@" id-right ">"} (RFC 9990
   * §3.5.1, from RFC 5322 §3.6.4): the id itself when it is a dot-atom-text, an {@code @} and a
   * dot-atom-text; an id that is one dot-atom-text without {@code @}, as most reporters' ids are
   * ({@code 17123456789012345}), at the submitter; otherwise a stand-in, the first 128 bits of the
   * SHA-256 of the id's UTF-8 in hex, at the submitter. The same id always gives the same subject,
   * so that a domain owner can spot a duplicate (its purpose, §3.5.1); the exact id is in the XML.
   * No octet of report data reaches the header but atext, {@code .} and {@code @}, and never {@code
   * =?}, so none can end the field or read as an encoded word.
   */
  static String subjectReportId(String reportId, DomainName submitter) {
    String id =
        reportId.length() > 2 && reportId.startsWith("<") && reportId.endsWith(">")
            ? reportId.substring(1, reportId.length() - 1)
            : reportId;
    // "=?" could start an encoded word (RFC 2047 §2) to a lenient reader of the unstructured
    // Subject
    if (id.length() <= MAX_PLAIN_ID && !id.contains("=?")) {
      int at = id.lastIndexOf('@');
      if (at < 0 && isDotAtomText(id)) {
        return "<" + id + "@" + submitter + ">";
      }
      if (at > 0 && isDotAtomText(id.substring(0, at)) && isDotAtomText(id.substring(at + 1))) {
        return "<" + id + ">";
      }
    }
    return "<" + digest(reportId) + "@" + submitter + ">";
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** RFC 5322 §3.2.3 dot-atom-text: atext runs joined by single dots. */
  private static boolean isDotAtomText(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlphaNum(c) && c != '.' && "!#$%&'*+-/=?^_`{|}~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A field of words separated by single spaces, folded before a word that would pass 78 columns
   * (RFC 5322 §2.1.1, §2.2.3), as {@link ArfFields#fold} writes fields. The words are checked ASCII
   * without spaces, so no line can pass 998.
   */
  private static String folded(String name, String... words) {
    return ArfFields.fold(name, String.join(" ", words));
  }

  private static boolean isUniqueId(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_UNIQUE_ID) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      if (!isAlphaNum(token.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphaNum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * Checks an addr-spec of the plain kind a report address is: a dot-atom local part (RFC 5322
   * §3.4.1) and a host name, in ASCII. Quoted local parts, comments, display names, U-labels (give
   * A-labels, as {@link ReportDestinations#mailboxes()} does) and anything that could end the
   * header field are refused.
   */
  static String checkAddress(String address, String what) {
    requireNonNull(address, what);
    int at = address.lastIndexOf('@');
    if (at <= 0
        || at > 64
        || address.length() > 254
        || !isDotAtomText(address.substring(0, at))
        || !address.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("not a plain ASCII addr-spec: " + printable(address));
    }
    try {
      DomainName.parseHostName(address.substring(at + 1));
    } catch (DnsSyntaxException e) {
      throw new IllegalArgumentException(
          "the domain of " + printable(address) + " is not a host name", e);
    }
    return address;
  }

  private static DomainName domainOf(String address) {
    return DomainName.parseHostName(address.substring(address.lastIndexOf('@') + 1));
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 100; i++) {
      char c = text.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return sb.toString();
  }

  /** A DKIM key to sign with, and where its public half is published. */
  private record Key(DomainName domain, String selector, DkimSigningKey key) {}

  /** Configures an {@link AggregateReportMail}. Not thread-safe; build once, share the result. */
  public static final class Builder {
    private final String from;
    private DomainName submitter;
    private final List<Key> keys = new ArrayList<>();
    private boolean strictAlignment;
    private PublicSuffixList publicSuffixList = PublicSuffixList.bundled();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> uniqueIds = () -> UUID.randomUUID().toString().replace("-", "");
    private boolean compress = true;

    private Builder(String from) {
      this.from = from;
    }

    /**
     * Sets the submitter: the receiver's domain, written in the Subject ({@code Submitter:}) and as
     * the file name's {@code receiver}. Default the domain of the From address.
     *
     * @param submitter a host name
     * @return this builder
     */
    public Builder submitter(DomainName submitter) {
      if (!requireNonNull(submitter, "submitter").isHostName()) {
        throw new IllegalArgumentException("the submitter is not a host name: " + submitter);
      }
      this.submitter = submitter;
      return this;
    }

    /**
     * Adds a DKIM key to sign with, published at {@code <selector>._domainkey.<domain>}. Add an RSA
     * and an Ed25519 key to make both signatures. Its domain must align with the From domain: see
     * {@link #build()}.
     *
     * @param domain the signing domain, {@code d=}
     * @param selector the selector
     * @param key the private key; RSA keys need 2048 bits or more
     * @return this builder
     */
    public Builder dkimKey(DomainName domain, String selector, DkimSigningKey key) {
      keys.add(
          new Key(
              requireNonNull(domain, "domain"),
              requireNonNull(selector, "selector"),
              requireNonNull(key, "key")));
      return this;
    }

    /**
     * Requires each key's domain to be the From domain itself, as a reporter whose own DMARC record
     * says {@code adkim=s} needs (RFC 9989 §4.4.1). Off by default: relaxed alignment, the RFC
     * default, accepts any domain with the From domain's organizational domain.
     *
     * @param strict whether keys must sign for the From domain exactly
     * @return this builder
     */
    public Builder strictAlignment(boolean strict) {
      this.strictAlignment = strict;
      return this;
    }

    /**
     * Sets the public suffix list that tells organizational domains apart for the relaxed alignment
     * check. Default {@link PublicSuffixList#bundled()}. The check is made once, without DNS; a
     * reporter whose own DMARC records make the tree walk (RFC 9989 §4.10.2) disagree with the
     * list, by {@code psd=n} below its organizational domain, should sign with the From domain
     * itself.
     *
     * @param list the list
     * @return this builder
     */
    public Builder publicSuffixList(PublicSuffixList list) {
      this.publicSuffixList = requireNonNull(list, "list");
      return this;
    }

    /**
     * Sets the clock for the {@code Date} field and the DKIM {@code t=}. Default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where each message's unique token comes from: the local part of the Message-ID and part
     * of the MIME boundary. Default 32 random hexadecimal digits. The attachment's name does not
     * use it: it comes from the report, so that a re-sent report keeps it. A fixed supplier makes
     * output reproducible, for tests.
     *
     * @param supplier gives 1 to 64 letters and digits per call
     * @return this builder
     */
    public Builder uniqueIds(Supplier<String> supplier) {
      this.uniqueIds = requireNonNull(supplier, "supplier");
      return this;
    }

    /**
     * Sets whether the report is attached gzip-compressed, as {@code application/gzip} named {@code
     * .xml.gz}, or as {@code text/xml} named {@code .xml}. Default compressed, as RFC 9990 §3.5.1
     * says the XML SHOULD be.
     *
     * @param compress whether to gzip the report
     * @return this builder
     */
    public Builder compress(boolean compress) {
      this.compress = compress;
      return this;
    }

    /**
     * Builds the report mail composer.
     *
     * @return the composer
     * @throws IllegalStateException if no DKIM key was added: report mail must pass DMARC, and DKIM
     *     is the identifier the reporter controls
     * @throws IllegalArgumentException if a key's domain does not align with the From domain (RFC
     *     9990 §3.5.1: the report mail must pass DMARC aligned), or a key is unusable, as {@link
     *     DkimSigner.Builder} says
     */
    public AggregateReportMail build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException(
            "add a DKIM key: RFC 9990 §3.5.1 requires report mail to pass DMARC aligned");
      }
      DomainName author = domainOf(from);
      for (Key k : keys) {
        if (!aligned(k.domain(), author)) {
          throw new IllegalArgumentException(
              "the DKIM key of d="
                  + k.domain()
                  + " does not align with the From domain "
                  + author
                  + (strictAlignment ? " (strict alignment: it must be that domain)" : "")
                  + ": RFC 9990 §3.5.1 requires report mail to pass DMARC aligned");
        }
      }
      return new AggregateReportMail(this, submitter != null ? submitter : author);
    }

    /** RFC 9989 §4.4.1: strict needs the same domain, relaxed the same organizational domain. */
    private boolean aligned(DomainName signing, DomainName author) {
      if (signing.equals(author)) {
        return true;
      }
      return !strictAlignment
          && publicSuffixList
              .organizationalDomain(signing)
              .equals(publicSuffixList.organizationalDomain(author));
    }
  }
}
