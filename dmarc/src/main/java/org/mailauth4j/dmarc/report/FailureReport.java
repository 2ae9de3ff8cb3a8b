package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * One ARF feedback report (RFC 5965), as received or as produced: the fields of its {@code
 * message/feedback-report} part, the original message's header (and body, where the report carries
 * it) and the text for people. DMARC failure reports are {@code Feedback-Type: auth-failure}
 * reports (RFC 6591) with {@code Auth-Failure: dmarc} and {@code Identity-Alignment} (RFC 9991 §5,
 * RFC 7489 §7.3); abuse and other feedback types are read as well, with the fields they have.
 *
 * <p>The fields are the model: each typed accessor reads them, field names compared without regard
 * to case, the first of a field that may appear once winning; {@link #fields()} keeps them all,
 * those this class does not name too (such as {@code Removal-Recipient}). Values are unfolded (RFC
 * 5322 §2.2.3: only the line breaks removed) and trimmed. What a report holds is the reporter's
 * word, possibly hostile: escape it before showing it.
 *
 * <p>Made by {@link FailureReportReader}, {@link FailureReportComposer} or {@link #builder()};
 * immutable and thread-safe.
 */
public final class FailureReport {
  /** Header fields of the original scanned for {@link #originalFrom()} and the like. */
  private static final int MAX_ORIGINAL_FIELDS = 1_000;

  /** The longest original field scanned, unfolded. */
  private static final int MAX_ORIGINAL_FIELD_CHARS = 64 * 1024;

  /** The longest subject decoded: mime4j decodes encoded words in more than linear time. */
  private static final int MAX_SUBJECT_CHARS = 2 * 998;

  /** The registered feedback types (RFC 5965 §7.3, RFC 6591 §6.1, RFC 6650 §7). */
  public enum FeedbackType {
    /** {@code abuse}: unsolicited or otherwise abusive mail. */
    ABUSE("abuse"),
    /** {@code auth-failure}: a message that failed authentication (RFC 6591), DMARC's kind. */
    AUTH_FAILURE("auth-failure"),
    /** {@code fraud}: fraudulent or phishing mail. */
    FRAUD("fraud"),
    /** {@code not-spam}: mail wrongly held as spam. */
    NOT_SPAM("not-spam"),
    /** {@code other}: any other feedback. */
    OTHER("other"),
    /** {@code virus}: a virus found in the message. */
    VIRUS("virus"),
    /** A type this library does not know; {@link #feedbackTypeToken()} says which. */
    UNRECOGNIZED("");

    private final String token;

    FeedbackType(String token) {
      this.token = token;
    }

    /**
     * Returns the type as written in {@code Feedback-Type}.
     *
     * @return such as {@code auth-failure}; empty for {@link #UNRECOGNIZED}
     */
    public String token() {
      return token;
    }

    static FeedbackType of(String token) {
      for (FeedbackType t : values()) {
        if (t != UNRECOGNIZED && t.token.equalsIgnoreCase(token)) {
          return t;
        }
      }
      return UNRECOGNIZED;
    }
  }

  /**
   * Why authentication failed ({@code Auth-Failure}, RFC 6591 §3.1 and its IANA registry, with
   * {@code dmarc} from RFC 9991 §5).
   */
  public enum AuthFailure {
    /** {@code adsp}: the message failed ADSP (historic). */
    ADSP("adsp"),
    /** {@code bodyhash}: a DKIM body hash did not verify. */
    BODYHASH("bodyhash"),
    /** {@code revoked}: the DKIM key was revoked. */
    REVOKED("revoked"),
    /** {@code signature}: a DKIM signature did not verify. */
    SIGNATURE("signature"),
    /** {@code spf}: SPF failed. */
    SPF("spf"),
    /** {@code dmarc}: no, or not every, mechanism produced an aligned pass (RFC 9991 §5). */
    DMARC("dmarc");

    private final String token;

    AuthFailure(String token) {
      this.token = token;
    }

    /**
     * Returns the type as written in {@code Auth-Failure}.
     *
     * @return such as {@code dmarc}
     */
    public String token() {
      return token;
    }

    static Optional<AuthFailure> of(String token) {
      for (AuthFailure t : values()) {
        if (t.token.equalsIgnoreCase(token)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /** What the receiver did with the message ({@code Delivery-Result}, RFC 6591 §3.1). */
  public enum DeliveryResult {
    /** {@code delivered}: delivered to the recipient. */
    DELIVERED("delivered"),
    /** {@code spam}: delivered to a spam folder or the like. */
    SPAM("spam"),
    /** {@code policy}: not delivered, or altered, by local policy. */
    POLICY("policy"),
    /** {@code reject}: rejected. */
    REJECT("reject"),
    /** {@code other}: anything else. */
    OTHER("other");

    private final String token;

    DeliveryResult(String token) {
      this.token = token;
    }

    /**
     * Returns the value as written in {@code Delivery-Result}.
     *
     * @return such as {@code reject}
     */
    public String token() {
      return token;
    }

    static Optional<DeliveryResult> of(String token) {
      for (DeliveryResult t : values()) {
        if (t.token.equalsIgnoreCase(token)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * The mechanisms named in {@code Identity-Alignment} (RFC 9991 §5; RFC 7489 §7.3.1). RFC 9991
   * names the mechanisms that <em>failed</em> to authenticate an aligned identifier; RFC 7489 named
   * those that <em>produced</em> an aligned identity: which one a report means depends on its
   * reporter's generation.
   */
  public enum IdentityAlignment {
    /** {@code none}. */
    NONE("none"),
    /** {@code dkim}. */
    DKIM("dkim"),
    /** {@code spf}. */
    SPF("spf"),
    /** {@code dkim, spf}. */
    DKIM_AND_SPF("dkim, spf");

    private final String token;

    IdentityAlignment(String token) {
      this.token = token;
    }

    /**
     * Returns the value as written.
     *
     * @return such as {@code dkim, spf}
     */
    public String token() {
      return token;
    }

    /** RFC 9991 §5: ( "none" / dmarc-method *( [CFWS] "," [CFWS] dmarc-method ) ). */
    static Optional<IdentityAlignment> parse(String value) {
      boolean dkim = false;
      boolean spf = false;
      boolean none = false;
      for (String piece : stripComments(value).split(",")) {
        switch (piece.trim().toLowerCase(Locale.ROOT)) {
          case "dkim":
            dkim = true;
            break;
          case "spf":
            spf = true;
            break;
          case "none":
            none = true;
            break;
          default:
            break; // an unknown method is skipped, as RFC 5965 §3.3 asks of unknown fields
        }
      }
      if (dkim && spf) {
        return Optional.of(DKIM_AND_SPF);
      }
      if (dkim) {
        return Optional.of(DKIM);
      }
      if (spf) {
        return Optional.of(SPF);
      }
      return none ? Optional.of(NONE) : Optional.empty();
    }

    static IdentityAlignment of(boolean dkim, boolean spf) {
      return dkim && spf ? DKIM_AND_SPF : dkim ? DKIM : spf ? SPF : NONE;
    }
  }

  /**
   * One field of the {@code message/feedback-report} part, or of the original header.
   *
   * <p>A record, since a header field is a name and a value (RFC 5322 §2.2), which later versions
   * do not change.
   *
   * @param name the field name as written, such as {@code Reported-Domain}
   * @param value the value, unfolded and trimmed
   */
  public record Field(String name, String value) {
    /**
     * Checks the field.
     *
     * @param name the name: printable ASCII without a colon
     * @param value the value, without CR or LF
     */
    public Field {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw new IllegalArgumentException("not a field name: " + DmarcReportException.quote(name));
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(
            "a field value with a line break: " + DmarcReportException.quote(value));
      }
    }

    /**
     * Tells whether the field has a name, ignoring case.
     *
     * @param other such as {@code source-ip}
     * @return whether the names are equal
     */
    public boolean hasName(String other) {
      return name.equalsIgnoreCase(other);
    }
  }

  private final List<Field> fields;
  private final Optional<String> originalHeaders;
  private final Optional<byte[]> originalBody;
  private final Optional<String> humanReadableText;
  private final List<Field> originalFields;

  private FailureReport(Builder b) {
    this.fields = List.copyOf(b.fields);
    if (first("Feedback-Type").isEmpty()) {
      throw new IllegalStateException("a feedback report needs a Feedback-Type (RFC 5965 §3.1)");
    }
    this.originalHeaders = b.originalHeaders;
    this.originalBody = b.originalBody.map(byte[]::clone);
    this.humanReadableText = b.humanReadableText;
    this.originalFields =
        originalHeaders
            .map(
                h ->
                    ArfFields.parse(
                        h, MAX_ORIGINAL_FIELDS, MAX_ORIGINAL_FIELD_CHARS, "the original", false))
            .orElse(List.of());
  }

  /**
   * Starts a report.
   *
   * @return a builder; add at least {@code Feedback-Type}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns every field of the {@code message/feedback-report} part, in order.
   *
   * @return the fields
   */
  public List<Field> fields() {
    return fields;
  }

  /**
   * Returns the values of a field, in order.
   *
   * @param name the field name, in any case
   * @return the values, empty if the report has none
   */
  public List<String> values(String name) {
    List<String> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.hasName(name)) {
        values.add(f.value());
      }
    }
    return List.copyOf(values);
  }

  /**
   * Returns the first value of a field.
   *
   * @param name the field name, in any case
   * @return the value, or empty
   */
  public Optional<String> first(String name) {
    for (Field f : fields) {
      if (f.hasName(name)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the feedback type ({@code Feedback-Type}, RFC 5965 §3.1).
   *
   * @return the type; {@link FeedbackType#UNRECOGNIZED} for one not registered
   */
  public FeedbackType feedbackType() {
    return FeedbackType.of(feedbackTypeToken());
  }

  /**
   * Returns the feedback type as written.
   *
   * @return such as {@code auth-failure}, in lower case; of the first {@code Feedback-Type} that is
   *     not empty, where a report has more than the one RFC 5965 §3.1 allows
   */
  public String feedbackTypeToken() {
    return values("Feedback-Type").stream()
        .filter(v -> !v.isEmpty())
        .findFirst()
        .orElseThrow()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the software that made the report ({@code User-Agent}).
   *
   * @return the product, such as {@code OpenDMARC-Filter/1.3.2}, or empty
   */
  public Optional<String> userAgent() {
    return first("User-Agent");
  }

  /**
   * Returns the ARF version ({@code Version}; 1 for RFC 5965).
   *
   * @return the version, or empty when absent or not a number
   */
  public OptionalInt version() {
    return first("Version").map(FailureReport::smallNumber).orElse(OptionalInt.empty());
  }

  /**
   * Returns the envelope id of the original message ({@code Original-Envelope-Id}).
   *
   * @return the id, or empty
   */
  public Optional<String> originalEnvelopeId() {
    return first("Original-Envelope-Id");
  }

  /**
   * Returns the original MAIL FROM ({@code Original-Mail-From}).
   *
   * @return the reverse-path as written (with or without angle brackets), or empty
   */
  public Optional<String> originalMailFrom() {
    return first("Original-Mail-From");
  }

  /**
   * Returns the original RCPT TO addresses ({@code Original-Rcpt-To}, repeatable).
   *
   * @return the addresses as written
   */
  public List<String> originalRcptTo() {
    return values("Original-Rcpt-To");
  }

  /**
   * Returns when the original arrived ({@code Arrival-Date}, or the older {@code Received-Date}).
   *
   * @return the instant, or empty when absent or not an RFC 5322 date
   */
  public Optional<Instant> arrivalDate() {
    Optional<String> date = first("Arrival-Date").or(() -> first("Received-Date"));
    return date.flatMap(MailDate::parse);
  }

  /**
   * Returns the MTA that made the report ({@code Reporting-MTA}, {@code dns; name}).
   *
   * @return the name after the type, such as {@code mail.example.com}, or empty
   */
  public Optional<String> reportingMta() {
    return first("Reporting-MTA").map(v -> v.substring(v.indexOf(';') + 1).trim());
  }

  /**
   * Returns the address of the host that sent the original ({@code Source-IP}).
   *
   * @return the address, or empty when absent or not an IP address literal (a comment after it, as
   *     in {@code 192.0.2.1 (mx.example.net)}, is ignored)
   */
  public Optional<InetAddress> sourceIp() {
    return first("Source-IP").flatMap(FailureReport::ipLiteral);
  }

  /**
   * Returns the TCP port of the host that sent the original ({@code Source-Port}, RFC 6692).
   *
   * @return the port, or empty
   */
  public OptionalInt sourcePort() {
    OptionalInt port =
        first("Source-Port").map(FailureReport::smallNumber).orElse(OptionalInt.empty());
    return port.isPresent() && port.getAsInt() <= 65535 ? port : OptionalInt.empty();
  }

  /**
   * Returns how many similar incidents the report stands for ({@code Incidents}).
   *
   * @return the count; 1 when absent or unreadable, as RFC 5965 §3.2 implies
   */
  public long incidents() {
    Optional<String> v = first("Incidents");
    if (v.isPresent() && !v.get().isEmpty() && v.get().length() <= 18) {
      try {
        long n = Long.parseLong(v.get());
        return n >= 1 ? n : 1;
      } catch (NumberFormatException e) {
        return 1;
      }
    }
    return 1;
  }

  /**
   * Returns the {@code Authentication-Results} fields' values (RFC 8601), in order.
   *
   * @return the values, such as {@code mx.example.org; dmarc=fail header.from=example.com}
   */
  public List<String> authenticationResults() {
    return values("Authentication-Results");
  }

  /**
   * Returns the domains the report is about ({@code Reported-Domain}, repeatable): for DMARC the
   * RFC5322.From domain.
   *
   * @return the domains as written
   */
  public List<String> reportedDomains() {
    return values("Reported-Domain");
  }

  /**
   * Returns the URIs the report is about ({@code Reported-URI}, repeatable).
   *
   * @return the URIs as written
   */
  public List<String> reportedUris() {
    return values("Reported-URI");
  }

  /**
   * Returns why authentication failed ({@code Auth-Failure}).
   *
   * @return the type, or empty when absent or not registered
   */
  public Optional<AuthFailure> authFailure() {
    return first("Auth-Failure").flatMap(AuthFailure::of);
  }

  /**
   * Returns what the receiver did with the message ({@code Delivery-Result}).
   *
   * @return the result, or empty when absent or not registered
   */
  public Optional<DeliveryResult> deliveryResult() {
    return first("Delivery-Result").flatMap(DeliveryResult::of);
  }

  /**
   * Returns the mechanisms of {@code Identity-Alignment}.
   *
   * @return the value, or empty when absent or naming no known mechanism
   */
  public Optional<IdentityAlignment> identityAlignment() {
    return first("Identity-Alignment").flatMap(IdentityAlignment::parse);
  }

  /**
   * Returns the signing domain of the DKIM signature concerned ({@code DKIM-Domain}, its {@code
   * d=}).
   *
   * @return the domain, or empty
   */
  public Optional<String> dkimDomain() {
    return first("DKIM-Domain");
  }

  /**
   * Returns the identity of the DKIM signature concerned ({@code DKIM-Identity}, its {@code i=}).
   *
   * @return the identity, such as {@code @example.com}, or empty
   */
  public Optional<String> dkimIdentity() {
    return first("DKIM-Identity");
  }

  /**
   * Returns the selector of the DKIM signature concerned ({@code DKIM-Selector}, its {@code s=}).
   *
   * @return the selector, or empty
   */
  public Optional<String> dkimSelector() {
    return first("DKIM-Selector");
  }

  /**
   * Returns the DKIM key record the reporter retrieved ({@code DKIM-Selector-DNS}).
   *
   * @return the record text, or empty
   */
  public Optional<String> dkimSelectorDns() {
    return first("DKIM-Selector-DNS");
  }

  /**
   * Returns the canonicalized header the DKIM signature covered ({@code
   * DKIM-Canonicalized-Header}), base64 with the white space of folding removed.
   *
   * @return the base64 text, or empty
   */
  public Optional<String> dkimCanonicalizedHeader() {
    return first("DKIM-Canonicalized-Header").map(FailureReport::withoutWhitespace);
  }

  /**
   * Returns the canonicalized body the DKIM signature covered ({@code DKIM-Canonicalized-Body}),
   * base64 with the white space of folding removed.
   *
   * @return the base64 text, or empty
   */
  public Optional<String> dkimCanonicalizedBody() {
    return first("DKIM-Canonicalized-Body").map(FailureReport::withoutWhitespace);
  }

  /**
   * Returns the SPF record the reporter retrieved ({@code SPF-DNS}).
   *
   * @return the value as written, or empty
   */
  public Optional<String> spfDns() {
    return first("SPF-DNS");
  }

  /**
   * Returns the original message's header as the report carries it (a {@code text/rfc822-headers}
   * part, or the header of a {@code message/rfc822} part), possibly redacted by the reporter.
   *
   * @return the header text, line ends as received, or empty when the report has none
   */
  public Optional<String> originalHeaders() {
    return originalHeaders;
  }

  /**
   * Returns the original message's body, when the report carries the whole message ({@code
   * message/rfc822}); RFC 9991 §7 advises reporters to withhold it, and most do.
   *
   * @return a copy of the body's octets, or empty
   */
  public Optional<byte[]> originalBody() {
    return originalBody.map(byte[]::clone);
  }

  /**
   * Returns the original's {@code From} field.
   *
   * @return the value, or empty
   */
  public Optional<String> originalFrom() {
    return originalField("From");
  }

  /**
   * Returns the original's {@code Subject}, encoded words decoded (RFC 2047) in its first 1,996
   * characters.
   *
   * @return the subject, or empty
   */
  public Optional<String> originalSubject() {
    return originalField("Subject")
        .map(s -> s.length() > MAX_SUBJECT_CHARS ? s.substring(0, MAX_SUBJECT_CHARS) : s)
        .map(s -> DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT));
  }

  /**
   * Returns the original's {@code Message-ID}.
   *
   * @return the value, such as {@code <1234@example.com>}, or empty
   */
  public Optional<String> originalMessageId() {
    return originalField("Message-ID");
  }

  /**
   * Returns the report's text for people, its first part.
   *
   * @return the text, or empty
   */
  public Optional<String> humanReadableText() {
    return humanReadableText;
  }

  private Optional<String> originalField(String name) {
    for (Field f : originalFields) {
      if (f.hasName(name)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }

  /** RFC 5965 §3.2 Source-IP: an IPv4 or IPv6 literal, perhaps bracketed or with a comment. */
  static Optional<InetAddress> ipLiteral(String value) {
    String v = value.trim();
    int end = 0;
    while (end < v.length() && !Character.isWhitespace(v.charAt(end)) && v.charAt(end) != '(') {
      end++;
    }
    v = v.substring(0, end);
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.regionMatches(true, 0, "IPv6:", 0, 5)) {
      v = v.substring(5);
    }
    // InetAddresses parses literals only: no name is ever looked up.
    return v.length() <= 45 && InetAddresses.isInetAddress(v)
        ? Optional.of(InetAddresses.forString(v))
        : Optional.empty();
  }

  private static OptionalInt smallNumber(String v) {
    if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(v));
  }

  private static String withoutWhitespace(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c != ' ' && c != '\t') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String stripComments(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    int depth = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailureReport r
        && r.fields.equals(fields)
        && r.originalHeaders.equals(originalHeaders)
        && r.originalBody.isPresent() == originalBody.isPresent()
        && (originalBody.isEmpty() || Arrays.equals(r.originalBody.get(), originalBody.get()))
        && r.humanReadableText.equals(humanReadableText);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields, originalHeaders, humanReadableText);
  }

  @Override
  public String toString() {
    return feedbackTypeToken()
        + authFailure().map(a -> " (" + a.token() + ")").orElse("")
        + " report about "
        + reportedDomains()
        + sourceIp().map(ip -> " from " + InetAddresses.toAddrString(ip)).orElse("");
  }

  /** Builds a {@link FailureReport}; not thread-safe. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();
    private Optional<String> originalHeaders = Optional.empty();
    private Optional<byte[]> originalBody = Optional.empty();
    private Optional<String> humanReadableText = Optional.empty();

    private Builder() {}

    /**
     * Adds a field of the {@code message/feedback-report} part, after those added before.
     *
     * @param name such as {@code Feedback-Type}
     * @param value the value, unfolded: no CR or LF
     * @return this builder
     * @throws IllegalArgumentException for a name that is no field name, or a value with a line
     *     break
     */
    public Builder field(String name, String value) {
      fields.add(new Field(name, value.trim()));
      return this;
    }

    /**
     * Sets the original message's header text.
     *
     * @param headers the header fields, or empty
     * @return this builder
     */
    public Builder originalHeaders(Optional<String> headers) {
      this.originalHeaders = requireNonNull(headers, "headers");
      return this;
    }

    /**
     * Sets the original message's body.
     *
     * @param body the octets (copied), or empty
     * @return this builder
     */
    public Builder originalBody(Optional<byte[]> body) {
      this.originalBody = requireNonNull(body, "body").map(byte[]::clone);
      return this;
    }

    /**
     * Sets the text for people.
     *
     * @param text the text, or empty
     * @return this builder
     */
    public Builder humanReadableText(Optional<String> text) {
      this.humanReadableText = requireNonNull(text, "text");
      return this;
    }

    /**
     * Builds the report.
     *
     * @return the report
     * @throws IllegalStateException without a {@code Feedback-Type} field
     */
    public FailureReport build() {
      return new FailureReport(this);
    }
  }
}
