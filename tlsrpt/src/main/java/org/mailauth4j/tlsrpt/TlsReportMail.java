package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

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
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * Builds the e-mail that carries a TLS report to a {@code mailto:} address of a policy domain's
 * {@code rua} (RFC 8460 §5.3), DKIM-signed (§3), as bytes for the caller's MTA to send. Sending is
 * not this class's business; the MTA must deliver it even when MTA-STS or DANE validation fails for
 * the recipient, and leave that session out of the next report (§3).
 *
 * <p>The message, with CRLF line ends:
 *
 * <ul>
 *   <li>{@code From}, {@code Date}, {@code To}, {@code Subject: Report Domain: <policy domain>
 *       Submitter: <submitter> Report-ID: <id-left@id-right>}, {@code Message-ID}, {@code
 *       TLS-Report-Domain}, {@code TLS-Report-Submitter}, {@code MIME-Version} and {@code
 *       Content-Type: multipart/report; report-type="tlsrpt"};
 *   <li>a short {@code text/plain} part for people, then the report as {@code
 *       application/tlsrpt+gzip} ({@code application/tlsrpt+json} when built uncompressed), base64
 *       in lines of 76, named {@code <submitter>!<policy domain>!<begin>!<end>!<unique-id>.json.gz}
 *       (§5.1, Unix seconds);
 *   <li>on top, one DKIM-Signature per configured key, made with the {@code dkim} module's {@link
 *       DkimSigner}: relaxed/relaxed, never {@code l=} (§3), signing (and over-signing, so none can
 *       be added) From, To, Subject, Date, Message-ID, TLS-Report-Domain, TLS-Report-Submitter,
 *       MIME-Version and Content-Type.
 * </ul>
 *
 * <p>The submitter is configured once, and §5.3 requires it to be the domain of the report's {@code
 * contact-info}: a report whose contact is elsewhere is refused. The message "MUST carry a valid
 * DKIM signature from the reporting domain" (§3), so at least one key must sign for the submitter:
 * its {@code d=} is the submitter's domain or a parent of it, as {@code example.net} is of {@code
 * mail.example.net}; keys of other domains may sign as well. Report data reaches the header only as
 * checked host names and numbers, and the report id when it already has §5.3's {@code "<" id-left
 * "@" id-right ">"} form, as the recorder's ids do; any other id (spaces, non-ASCII, no {@code @},
 * over 200 characters) is named in the subject by a digest of it at the submitter, and kept exactly
 * only in the JSON. Immutable and thread-safe.
 *
 * <pre>{@code
 * TlsReportMail mail = TlsReportMail.builder("tlsrpt@mail.example.net")
 *     .dkimKey(DomainName.parse("example.net"), "tlsrpt2026", DkimSigningKey.fromPem(pem))
 *     .build();
 * byte[] message = mail.compose(report, DomainName.parse("example.com"), "tlsrpt@example.com");
 * }</pre>
 */
public final class TlsReportMail {
  /** The header fields signed, each also over-signed so that a second one breaks the signature. */
  static final List<String> SIGNED_HEADERS =
      List.of(
          "From",
          "To",
          "Subject",
          "Date",
          "Message-ID",
          "TLS-Report-Domain",
          "TLS-Report-Submitter",
          "MIME-Version",
          "Content-Type");

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final int LINE = 78;
  private static final int MAX_UNIQUE_ID = 64;

  /** Report ids written in the subject as they are, if of §5.3's form and no longer than this. */
  private static final int MAX_PLAIN_ID = 200;

  private final String from;
  private final DomainName submitter;
  private final DkimSigner signer;
  private final Clock clock;
  private final Supplier<String> uniqueIds;
  private final boolean compress;

  private TlsReportMail(Builder b, DomainName submitter) {
    this.from = b.from;
    this.submitter = submitter;
    DkimSigner.Builder dkim =
        DkimSigner.builder()
            .signedHeaders(SIGNED_HEADERS)
            .overSignedHeaders(SIGNED_HEADERS)
            .signBodyLength(false) // RFC 8460 §3: no l=
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
   * @param from the {@code From} address, an addr-spec such as {@code tlsrpt@mail.example.net}; its
   *     domain is the submitter unless {@link Builder#submitter} says otherwise
   * @return a builder; add at least one {@link Builder#dkimKey DKIM key}
   * @throws IllegalArgumentException if the address is not a plain ASCII addr-spec whose domain is
   *     a host name
   */
  public static Builder builder(String from) {
    return new Builder(checkAddress(from, "from"));
  }

  /**
   * Returns the submitter, written in {@code TLS-Report-Submitter} and the file name.
   *
   * @return the submitter's domain
   */
  public DomainName submitter() {
    return submitter;
  }

  /**
   * Builds and signs the report message for one recipient.
   *
   * @param report the report; its {@code contact-info} must be at the submitter's domain
   * @param policyDomain the domain the report is about, whose {@code rua} gave the recipient
   * @param recipient the addr-spec to send to, such as {@code tlsrpt@example.com}
   * @return the message, DKIM-Signature fields first, CRLF line ends
   * @throws IllegalArgumentException if the contact is not at the submitter (RFC 8460 §5.3), a
   *     policy of the report names another domain, the policy domain is not a host name, or the
   *     recipient is not a plain ASCII addr-spec
   */
  public byte[] compose(TlsReport report, DomainName policyDomain, String recipient) {
    requireNonNull(report, "report");
    requireNonNull(policyDomain, "policyDomain");
    String to = checkAddress(recipient, "recipient");
    checkReport(report, policyDomain);
    String token = uniqueIds.get();
    if (!isUniqueId(token)) {
      throw new IllegalStateException("the unique id supplier gave " + token);
    }
    String boundary = "----=_tlsrpt_" + token;
    String name = filename(submitter, policyDomain, report.dateRange(), token, compress);
    byte[] content = compress ? TlsReportJson.toGzip(report) : TlsReportJson.toJson(report);

    StringBuilder m = new StringBuilder(content.length * 4 / 3 + 2048);
    m.append("From: ").append(from).append("\r\n");
    m.append("Date: ").append(DATE.format(clock.instant())).append("\r\n");
    m.append("To: ").append(to).append("\r\n");
    // RFC 8460 §5.3: the subject SHOULD name the policy domain, the submitter and the report id.
    m.append(
        unstructured(
            "Subject",
            List.of(
                "Report Domain: " + policyDomain,
                "Submitter: " + submitter,
                "Report-ID: " + subjectReportId(report.reportId(), submitter))));
    m.append("Message-ID: <").append(token).append('@').append(submitter).append(">\r\n");
    // RFC 8460 §5.3: both fields MUST be present.
    m.append("TLS-Report-Domain: ").append(policyDomain).append("\r\n");
    m.append("TLS-Report-Submitter: ").append(submitter).append("\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n");
    m.append("\tboundary=\"").append(boundary).append("\"\r\n");
    m.append("\r\n");
    m.append("This is a multipart message in MIME format.\r\n");
    m.append("\r\n--").append(boundary).append("\r\n");
    m.append("Content-Type: text/plain; charset=\"us-ascii\"\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n");
    m.append("\r\n");
    m.append(humanReadable(report, policyDomain));
    m.append("\r\n--").append(boundary).append("\r\n");
    m.append("Content-Type: ")
        .append(compress ? TlsReportSubmitter.GZIP_TYPE : TlsReportSubmitter.JSON_TYPE)
        .append(";\r\n\tname=\"")
        .append(name)
        .append("\"\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n");
    m.append("Content-Disposition: attachment;\r\n\tfilename=\"").append(name).append("\"\r\n");
    m.append("\r\n");
    m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(content));
    m.append("\r\n\r\n--").append(boundary).append("--\r\n");
    return signer.signMessage(m.toString().getBytes(US_ASCII));
  }

  /**
   * Checks that a report can be mailed for a policy domain, as {@link #compose} does.
   *
   * @throws IllegalArgumentException if it cannot
   */
  void checkReport(TlsReport report, DomainName policyDomain) {
    checkSubmitter(report);
    checkPolicyDomain(report, policyDomain);
  }

  /** RFC 8460 §5.3: the submitter MUST be the domain of contact-info. */
  private void checkSubmitter(TlsReport report) {
    String contact =
        report
            .contactInfo()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the report has no contact-info, whose domain the submitter must be"
                            + " (RFC 8460 §5.3)"));
    Optional<DomainName> contactDomain = contactDomain(contact);
    if (contactDomain.isEmpty() || !contactDomain.get().equals(submitter)) {
      throw new IllegalArgumentException(
          "the report's contact-info is not at the submitter "
              + submitter
              + "; RFC 8460 §5.3 requires TLS-Report-Submitter to be the domain of contact-info");
    }
  }

  /** The domain of a contact: after the last {@code @}, or the whole text if it has none. */
  static Optional<DomainName> contactDomain(String contact) {
    String domain = contact.substring(contact.lastIndexOf('@') + 1).trim();
    try {
      return Optional.of(DomainName.parseHostName(domain));
    } catch (DnsSyntaxException e) {
      return Optional.empty();
    }
  }

  /** A report about one domain must not carry another's policies to this domain's address. */
  private static void checkPolicyDomain(TlsReport report, DomainName policyDomain) {
    if (!policyDomain.isHostName()) {
      throw new IllegalArgumentException("the policy domain is not a host name: " + policyDomain);
    }
    for (PolicyResult result : report.policies()) {
      Optional<String> domain = result.policy().domain();
      if (domain.isPresent()
          && !(DomainName.isValid(domain.get())
              && DomainName.parse(domain.get()).equals(policyDomain))) {
        throw new IllegalArgumentException(
            "the report holds a policy of another domain than " + policyDomain);
      }
    }
  }

  /**
   * RFC 8460 §5.1: {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp [ "!"
   * unique-id ] "." extension}, where the sender is the domain of contact-info, the timestamps are
   * seconds since the epoch and {@code unique-id = 1*(ALPHA / DIGIT)}.
   */
  static String filename(
      DomainName sender,
      DomainName policyDomain,
      DateRange range,
      String uniqueId,
      boolean compressed) {
    return sender
        + "!"
        + policyDomain
        + "!"
        + range.start().getEpochSecond()
        + "!"
        + range.end().getEpochSecond()
        + "!"
        + uniqueId
        + (compressed ? ".json.gz" : ".json");
  }

  private String humanReadable(TlsReport report, DomainName policyDomain) {
    return "This is an aggregate TLS report from "
        + submitter
        + " for "
        + policyDomain
        + ".\r\n"
        + "It covers "
        + report.dateRange().start()
        + " to "
        + report.dateRange().end()
        + ":\r\n"
        + report.successfulSessions()
        + " successful and "
        + report.failedSessions()
        + " failed TLS sessions.\r\n";
  }

  /**
   * The report id as the subject's {@code "<" id-left "@" id-right ">"} (RFC 8460 §5.3, from RFC
   * 5322 §3.6.4): the id itself, in angle brackets, when it is a dot-atom-text, an {@code @} and a
   * dot-atom-text, as the ids {@link TlsRptRecorder} makes are ({@code
   * <day>-<domain>-<hex>@<contact domain>}); otherwise a stand-in that is: the first 128 bits of
   * the SHA-256 of the id's UTF-8, in hex, at the submitter. The same id always gives the same
   * stand-in, so a receiver can still spot a duplicate by subject; the exact id is in the JSON,
   * which wins over the subject when they differ (§5.6). No octet of report data reaches the header
   * but atext, {@code .} and {@code @}, so none can end the field or read as an encoded word.
   */
  static String subjectReportId(String reportId, DomainName submitter) {
    String id =
        reportId.length() > 2 && reportId.startsWith("<") && reportId.endsWith(">")
            ? reportId.substring(1, reportId.length() - 1)
            : reportId;
    int at = id.lastIndexOf('@');
    if (id.length() <= MAX_PLAIN_ID
        && at > 0
        && isDotAtomText(id.substring(0, at))
        && isDotAtomText(id.substring(at + 1))) {
      return "<" + id + ">";
    }
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(reportId.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@" + submitter + ">";
  }

  /** RFC 5322 §3.2.3 dot-atom-text: atext runs joined by single dots. */
  private static boolean isDotAtomText(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean atext =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
      if (!atext) {
        return false;
      }
    }
    return true;
  }

  /** An unstructured field, folded before a piece that would pass 78 columns (RFC 5322 §2.2.3). */
  private static String unstructured(String name, List<String> pieces) {
    StringBuilder sb = new StringBuilder(name).append(':');
    int column = sb.length();
    for (String piece : pieces) {
      for (String word : piece.split(" ")) {
        if (word.isEmpty()) {
          continue;
        }
        if (column + 1 + word.length() > LINE && column > 1) {
          sb.append("\r\n");
          column = 0;
        }
        sb.append(' ').append(word);
        column += 1 + word.length();
      }
    }
    return sb.append("\r\n").toString();
  }

  private static boolean isUniqueId(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_UNIQUE_ID) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks an addr-spec of the plain kind a report address is: a dot-atom local part (RFC 5322
   * §3.4.1) and a host name, in ASCII. Quoted local parts, comments, display names and anything
   * that could end the header field are refused.
   */
  static String checkAddress(String address, String what) {
    requireNonNull(address, what);
    int at = address.lastIndexOf('@');
    if (at <= 0 || at > 64 || address.length() > 254 || !isDotAtom(address.substring(0, at))) {
      throw new IllegalArgumentException("not a plain addr-spec: " + printable(address));
    }
    try {
      DomainName.parseHostName(address.substring(at + 1));
    } catch (DnsSyntaxException e) {
      throw new IllegalArgumentException(
          "the domain of " + printable(address) + " is not a host name", e);
    }
    if (!address.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("not an ASCII addr-spec: " + printable(address));
    }
    return address;
  }

  private static DomainName domainOf(String address) {
    return DomainName.parseHostName(address.substring(address.lastIndexOf('@') + 1));
  }

  /** dot-atom-text = 1*atext *("." 1*atext) (RFC 5322 §3.2.3). */
  private static boolean isDotAtom(String local) {
    if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '.' && "!#$%&'*+-/=?^_`{|}~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
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

  /** Configures a {@link TlsReportMail}. Not thread-safe; build once, then share the result. */
  public static final class Builder {
    private final String from;
    private DomainName submitter;
    private final List<Key> keys = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> uniqueIds = () -> UUID.randomUUID().toString().replace("-", "");
    private boolean compress = true;

    private Builder(String from) {
      this.from = from;
    }

    /**
     * Sets the submitter, written in {@code TLS-Report-Submitter} and the file name: the domain of
     * the reports' {@code contact-info} (RFC 8460 §5.3). Default the domain of the From address.
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
     * Adds a DKIM key to sign with, published at {@code <selector>._domainkey.<domain>}; its record
     * should allow the {@code tlsrpt} service type ({@code s=tlsrpt}, or the default {@code s=*}),
     * as RFC 8460 §3 asks. Add an RSA and an Ed25519 key to make both signatures. At least one key
     * must be the submitter's: see {@link #build()}.
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
     * Sets where each message's unique token comes from: the file name's {@code unique-id}, the
     * local part of the Message-ID and part of the MIME boundary. Default 32 random hexadecimal
     * digits. A fixed supplier makes output reproducible, for tests.
     *
     * @param supplier gives 1 to 64 letters and digits per call
     * @return this builder
     */
    public Builder uniqueIds(Supplier<String> supplier) {
      this.uniqueIds = requireNonNull(supplier, "supplier");
      return this;
    }

    /**
     * Sets whether the report is attached gzip-compressed, as {@code application/tlsrpt+gzip} named
     * {@code .json.gz}, or as {@code application/tlsrpt+json} named {@code .json}. Default
     * compressed, as RFC 8460 §5.2 says both transports SHOULD.
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
     * @throws IllegalStateException if no DKIM key was added, or none signs for the submitter: no
     *     key's domain is the submitter's domain or one it lies within, as {@code example.net} for
     *     a submitter {@code mail.example.net}. RFC 8460 §3 requires report mail to carry a valid
     *     signature from the reporting domain, and receivers to ignore reports without one.
     * @throws IllegalArgumentException if a key is unusable, as {@link DkimSigner.Builder} says
     */
    public TlsReportMail build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("add a DKIM key: RFC 8460 §3 requires signed reports");
      }
      DomainName reporting = submitter != null ? submitter : domainOf(from);
      // RFC 8460 §3: "MUST carry a valid DKIM signature from the reporting domain". A parent
      // domain counts (an organisation signs as example.net for mail.example.net); a sibling or a
      // subdomain of the submitter does not.
      if (keys.stream().noneMatch(k -> reporting.isWithin(k.domain()))) {
        throw new IllegalStateException(
            "no DKIM key signs for the submitter "
                + reporting
                + ": RFC 8460 §3 requires a signature from the reporting domain, so add a key"
                + " whose domain is "
                + reporting
                + " or a parent of it");
      }
      return new TlsReportMail(this, reporting);
    }
  }
}
