package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.mailauth4j.dkim.DkimOutcome;
import org.mailauth4j.dkim.DkimProblem;
import org.mailauth4j.dkim.DkimSigner;
import org.mailauth4j.dkim.DkimSigningKey;
import org.mailauth4j.dkim.HeaderField;
import org.mailauth4j.dkim.MessageHeader;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.AuthenticationResults;
import org.mailauth4j.dmarc.DmarcOutcome;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.FailureOption;
import org.mailauth4j.dmarc.IdentifierAlignment;
import org.mailauth4j.dmarc.MessageAuthentication;
import org.mailauth4j.dmarc.PsdFlag;
import org.mailauth4j.dmarc.ReportUri;
import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.spf.SpfIdentity;
import org.mailauth4j.spf.SpfOutcome;

/**
 * Builds the DMARC failure report (RFC 9991, in the ARF format of RFC 5965 with RFC 6591's
 * authentication failure fields) for a message that failed, as bytes for the caller's MTA to send
 * to the domain's {@code ruf} addresses. Sending is not this class's business; nor is checking
 * external destinations (RFC 9991 §6, RFC 9990 §4): pass recipients already verified.
 *
 * <p>{@link #compose} first decides, in this order, whether a report is due at all, and says why
 * not as a {@link Result} value: no DMARC record applied; the record has no {@code ruf}; the record
 * is a public suffix domain's ({@code psd=y}, whose {@code ruf} RFC 9991 §3 says not to use); the
 * record's {@code fo} options do not ask for this outcome ({@link #dueOptions}); no recipient is a
 * usable {@code mailto:} address; the {@link FailureReportThrottle} refuses (RFC 9991 §3: report
 * generators MUST rate-limit).
 *
 * <p>The message, with CRLF line ends: {@code From}, {@code To} (the recipients), {@code Date},
 * {@code Subject: DMARC failure report for <author domain>}, {@code Message-ID}, {@code
 * Auto-Submitted: auto-generated} (RFC 3834, against report loops), {@code MIME-Version} and {@code
 * Content-Type: multipart/report; report-type=feedback-report}, then three parts (RFC 5965 §2):
 *
 * <ol>
 *   <li>{@code text/plain}: what failed, for people;
 *   <li>{@code message/feedback-report}: {@code Feedback-Type: auth-failure}, {@code User-Agent},
 *       {@code Version: 1}, {@code Auth-Failure} ({@code dmarc} for {@code fo=0} and {@code fo=1},
 *       {@code bodyhash}, {@code revoked} or {@code signature} for {@code fo=d}, {@code spf} for
 *       {@code fo=s}), {@code Identity-Alignment}, {@code Original-Envelope-Id}, {@code
 *       Original-Mail-From}, {@code Original-Rcpt-To}, {@code Arrival-Date}, {@code Reporting-MTA},
 *       {@code Source-IP}, {@code Source-Port}, {@code Incidents}, {@code Authentication-Results},
 *       {@code Reported-Domain} (the RFC5322.From domain), {@code Delivery-Result}, {@code
 *       DKIM-Domain}, {@code DKIM-Identity}, {@code DKIM-Selector} and {@code SPF-DNS}, each where
 *       known;
 *   <li>the original's header as {@code text/rfc822-headers}, or, when the {@link Redaction} asks
 *       for the body, the whole message as {@code message/rfc822}, redacted as it says.
 * </ol>
 *
 * <p>{@code Identity-Alignment} follows the evaluation's profile: under RFC 9989 it names the
 * mechanisms that failed to authenticate an aligned identifier (RFC 9991 §5); under RFC 7489 the
 * mechanisms that produced an aligned pass (RFC 7489 §7.3.1); {@code none} if none. No octet of the
 * message's data reaches the report's own header fields; in the feedback fields only printable
 * ASCII does, and a value with anything else (a CR or LF in an envelope id, say) is left out rather
 * than written, so no field can be forged by injection. With DKIM keys, the report is signed (RFC
 * 9991 §6.1: report mail SHOULD be DMARC-aligned, so a key must sign for the From domain).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * FailureReportComposer composer = FailureReportComposer.builder("dmarc-failures@mx.example.org")
 *     .reportingMta("mx.example.org")
 *     .throttle(FailureReportThrottle.perDomain(10, Duration.ofHours(1), Clock.systemUTC()))
 *     .dkimKey(DomainName.parse("example.org"), "reports", key)
 *     .build();
 * FailureReportComposer.Result r = composer.compose(authentication, message, verifiedRuf);
 * r.message().ifPresent(bytes -> mta.send(r.recipients(), bytes));
 * }</pre>
 */
public final class FailureReportComposer {
  /** The report's header fields that are signed, each also over-signed. */
  static final List<String> SIGNED_HEADERS =
      List.of(
          "From",
          "To",
          "Subject",
          "Date",
          "Message-ID",
          "Auto-Submitted",
          "MIME-Version",
          "Content-Type");

  /** DKIM results that count as a signature that "failed evaluation" ({@code fo=d}). */
  private static final Set<String> DKIM_FAILED = Set.of("fail", "permerror", "neutral", "policy");

  /** SPF results that count as "failed SPF evaluation" ({@code fo=s}). */
  private static final Set<String> SPF_FAILED = Set.of("fail", "softfail", "permerror");

  private static final int LINE = 998;

  /** Why no report was composed. */
  public enum NoReport {
    /** No DMARC record applied to the message (the result was none, or no author domain). */
    NO_POLICY,
    /** The record has no {@code ruf}: the domain owner asked for no failure reports. */
    NOT_REQUESTED,
    /**
     * The record is a public suffix domain's ({@code psd=y}): RFC 9991 §3 ignores its {@code ruf}.
     */
    PUBLIC_SUFFIX_POLICY,
    /** The record's {@code fo} does not ask for a report of this outcome. */
    NOT_DUE,
    /** No recipient given is a plain {@code mailto:} address. */
    NO_RECIPIENT,
    /** The throttle refused: too many reports for the domain lately. */
    THROTTLED
  }

  private final String from;
  private final DomainName fromDomain;
  private final String userAgent;
  private final Optional<String> reportingMta;
  private final Redaction redaction;
  private final FailureReportThrottle throttle;
  private final DkimSigner signer;
  private final Clock clock;
  private final Supplier<String> uniqueIds;
  private final int maxOriginalHeaderBytes;
  private final int maxOriginalBodyBytes;
  private final int maxRecipients;

  private FailureReportComposer(Builder b) {
    this.from = b.from;
    this.fromDomain = domainOf(b.from);
    this.userAgent = b.userAgent;
    this.reportingMta = b.reportingMta;
    this.redaction = b.redaction;
    this.throttle = b.throttle;
    if (b.keys.isEmpty()) {
      this.signer = null;
    } else {
      DkimSigner.Builder dkim =
          DkimSigner.builder()
              .signedHeaders(SIGNED_HEADERS)
              .overSignedHeaders(SIGNED_HEADERS)
              .clock(b.clock);
      for (Key k : b.keys) {
        dkim.key(k.domain(), k.selector(), k.key());
      }
      this.signer = dkim.build();
    }
    this.clock = b.clock;
    this.uniqueIds = b.uniqueIds;
    this.maxOriginalHeaderBytes = b.maxOriginalHeaderBytes;
    this.maxOriginalBodyBytes = b.maxOriginalBodyBytes;
    this.maxRecipients = b.maxRecipients;
  }

  /**
   * Starts configuring a composer.
   *
   * @param from the report's {@code From} address, a plain ASCII addr-spec such as {@code
   *     dmarc-failures@mx.example.org}
   * @return a builder
   * @throws IllegalArgumentException if the address is not a plain addr-spec of a host name
   */
  public static Builder builder(String from) {
    return new Builder(checkAddress(from));
  }

  /**
   * Tells which of a record's {@code fo} options ask for a failure report of an outcome (RFC 9989
   * §4.7, RFC 7489 §6.3), judged by mechanism, SPF being one and DKIM (all signatures) the other:
   *
   * <ul>
   *   <li>{@code 0}: neither SPF nor any DKIM signature produced an aligned pass;
   *   <li>{@code 1}: SPF or DKIM did not produce an aligned pass (a message without a DKIM
   *       signature counts: DKIM produced no aligned pass), even if the other made DMARC pass;
   *   <li>{@code d}: a DKIM signature failed evaluation, aligned or not: its result is {@code
   *       fail}, {@code permerror}, {@code neutral} or {@code policy} ({@code temperror} is not a
   *       verdict);
   *   <li>{@code s}: SPF failed, aligned or not: {@code fail}, {@code softfail} or {@code
   *       permerror}.
   * </ul>
   *
   * Only an evaluation that reached {@code pass} or {@code fail} under a record can be reported: a
   * {@code temperror} leaves the verdict open, and without a record no one asked.
   *
   * @param options the record's {@code fo}, as {@link DmarcRecord#failureOptions()}
   * @param outcome the DMARC outcome
   * @return the options that ask for a report, in their declared order; empty if none does
   */
  public static Set<FailureOption> dueOptions(Set<FailureOption> options, DmarcOutcome outcome) {
    requireNonNull(options, "options");
    requireNonNull(outcome, "outcome");
    Mechanism spf = null;
    List<Mechanism> dkim = new ArrayList<>();
    for (IdentifierAlignment a : outcome.alignments()) {
      Mechanism m = new Mechanism(a.result().toLowerCase(Locale.ROOT), a.isAligned());
      if (a.kind() == IdentifierAlignment.Kind.DKIM) {
        dkim.add(m);
      } else if (spf == null) {
        spf = m;
      }
    }
    return due(options, outcome.result(), Optional.ofNullable(spf), dkim);
  }

  /** One mechanism's verdict for {@link #due}: its result token and whether it aligned-passed. */
  record Mechanism(String result, boolean alignedPass) {}

  /** The rule of {@link #dueOptions}, on plain values so that it can be tested as a table. */
  static Set<FailureOption> due(
      Set<FailureOption> options,
      DmarcResult result,
      Optional<Mechanism> spf,
      List<Mechanism> dkim) {
    Set<FailureOption> due = EnumSet.noneOf(FailureOption.class);
    if (result != DmarcResult.PASS && result != DmarcResult.FAIL) {
      return due;
    }
    boolean spfAligned = spf.map(Mechanism::alignedPass).orElse(false);
    boolean dkimAligned = dkim.stream().anyMatch(Mechanism::alignedPass);
    for (FailureOption option : options) {
      boolean asks =
          switch (option) {
            case ALL -> !spfAligned && !dkimAligned; // RFC 7489 §6.3 fo=0
            case ANY -> !spfAligned || !dkimAligned; // fo=1
            case DKIM -> dkim.stream().anyMatch(m -> DKIM_FAILED.contains(m.result())); // fo=d
            case SPF -> spf.map(m -> SPF_FAILED.contains(m.result())).orElse(false); // fo=s
          };
      if (asks) {
        due.add(option);
      }
    }
    return due;
  }

  /**
   * Composes the failure report for a message, with nothing known of its envelope beyond what SPF
   * checked. See {@link #compose(MessageAuthentication, byte[], List, Envelope)}.
   *
   * @param authentication what {@code MessageAuthenticator} found for the message
   * @param message the message as received
   * @param recipients the record's {@code ruf} URIs, external ones already verified
   * @return the report, or why there is none
   */
  public Result compose(
      MessageAuthentication authentication, byte[] message, List<ReportUri> recipients) {
    return compose(authentication, message, recipients, Envelope.builder().build());
  }

  /**
   * Composes the failure report for a message, if one is due, and signs it.
   *
   * @param authentication what {@code MessageAuthenticator} found for the message
   * @param message the message as received, header and body
   * @param recipients the record's {@code ruf} URIs, external ones already verified ({@code
   *     ReportDestinationVerifier}); only {@code mailto:} URIs with a plain address are used, at
   *     most {@link Builder#maxRecipients(int)}
   * @param envelope what the receiver knows beyond the authentication: recipients, envelope id,
   *     arrival, disposition
   * @return the report, or why there is none
   */
  public Result compose(
      MessageAuthentication authentication,
      byte[] message,
      List<ReportUri> recipients,
      Envelope envelope) {
    requireNonNull(authentication, "authentication");
    requireNonNull(message, "message");
    requireNonNull(recipients, "recipients");
    requireNonNull(envelope, "envelope");
    DmarcOutcome outcome = authentication.dmarc();
    Optional<DmarcRecord> found = outcome.record();
    if (found.isEmpty() || outcome.authorDomain().isEmpty() || outcome.policyDomain().isEmpty()) {
      return Result.none(NoReport.NO_POLICY, "no DMARC record applied to the message");
    }
    DmarcRecord record = found.get();
    if (record.failureReportUris().isEmpty()) {
      return Result.none(NoReport.NOT_REQUESTED, "the DMARC record has no ruf");
    }
    if (record.psd() == PsdFlag.YES) {
      // RFC 9991 §3: ruf of a record with psd=y is not considered.
      return Result.none(
          NoReport.PUBLIC_SUFFIX_POLICY, "the record is a public suffix domain's (psd=y)");
    }
    Set<FailureOption> due = dueOptions(record.failureOptions(), outcome);
    if (due.isEmpty()) {
      return Result.none(
          NoReport.NOT_DUE,
          "fo="
              + tokens(record.failureOptions())
              + " asks for no report of dmarc="
              + outcome.result().token());
    }
    List<String> to = new ArrayList<>();
    for (ReportUri uri : recipients) {
      Optional<String> mailbox = uri.mailbox();
      if (uri.scheme().equals("mailto")
          && mailbox.isPresent()
          && isPlainAddress(mailbox.get())
          && !to.contains(mailbox.get())
          && to.size() < maxRecipients) {
        to.add(mailbox.get());
      }
    }
    if (to.isEmpty()) {
      return Result.none(NoReport.NO_RECIPIENT, "no recipient is a plain mailto: address");
    }
    DomainName policyDomain = outcome.policyDomain().get();
    if (!throttle.tryAcquire(policyDomain, List.copyOf(to))) {
      return Result.none(
          NoReport.THROTTLED, "the rate limit for reports about " + policyDomain + " is reached");
    }
    return new Writer(authentication, record, message, envelope, due, to).write();
  }

  /** Builds one report; holds the state of one {@link #compose} call. */
  private final class Writer {
    private final MessageAuthentication auth;
    private final DmarcOutcome outcome;
    private final DmarcRecord record;
    private final byte[] message;
    private final Envelope envelope;
    private final Set<FailureOption> due;
    private final List<String> to;
    private final DomainName author;
    private final FailureReport.Builder model = FailureReport.builder();
    private final StringBuilder fields = new StringBuilder();

    Writer(
        MessageAuthentication auth,
        DmarcRecord record,
        byte[] message,
        Envelope envelope,
        Set<FailureOption> due,
        List<String> to) {
      this.auth = auth;
      this.outcome = auth.dmarc();
      this.record = record;
      this.message = message;
      this.envelope = envelope;
      this.due = due;
      this.to = to;
      this.author = outcome.authorDomain().orElseThrow();
    }

    Result write() {
      SpfOutcome spf = auth.spf();
      List<DkimOutcome> signatures = auth.dkim().outcomes();
      Optional<DkimOutcome> dkim = reportedSignature(signatures);

      field("Feedback-Type", "auth-failure");
      field("User-Agent", userAgent);
      field("Version", "1");
      field("Auth-Failure", authFailure(signatures).token());
      field("Identity-Alignment", identityAlignment(spf, signatures).token());
      envelope.envelopeId.ifPresent(id -> field("Original-Envelope-Id", id));
      // RFC 5965 §3.2: the reverse-path; <> when it was null and SPF checked HELO.
      field(
          "Original-Mail-From",
          spf.identity() == SpfIdentity.MAILFROM ? redaction.redactAddress(spf.sender()) : "<>");
      for (String rcpt : envelope.rcptTo) {
        field("Original-Rcpt-To", redaction.redactAddress(rcpt));
      }
      Instant arrival = envelope.arrivalDate.orElse(outcome.evaluatedAt());
      field("Arrival-Date", MailDate.format(arrival));
      reportingMta.ifPresent(mta -> field("Reporting-MTA", "dns; " + mta));
      String sourceIp = InetAddresses.toAddrString(spf.clientIp());
      field("Source-IP", sourceIp);
      envelope.sourcePort.ifPresent(p -> field("Source-Port", Integer.toString(p)));
      if (envelope.incidents > 1) {
        field("Incidents", Long.toString(envelope.incidents));
      }
      authenticationResults();
      field("Reported-Domain", author.toString());
      envelope.deliveryResult.ifPresent(d -> field("Delivery-Result", d.token()));
      dkim.ifPresent(
          d -> {
            d.domain().ifPresent(x -> field("DKIM-Domain", x.toString()));
            d.identity().ifPresent(i -> field("DKIM-Identity", redaction.redactAddress(i)));
            d.selector().ifPresent(s -> field("DKIM-Selector", s));
          });
      envelope.spfDns.ifPresent(s -> field("SPF-DNS", s));

      Original original = original();
      String text = humanReadable(sourceIp, arrival, spf, signatures, original);
      model.humanReadableText(Optional.of(text));
      model.originalHeaders(Optional.of(new String(original.header, UTF_8)));
      model.originalBody(Optional.ofNullable(original.body));

      String token = uniqueIds.get();
      if (token == null || token.isEmpty() || !token.chars().allMatch(c -> isAlnum((char) c))) {
        throw new IllegalStateException("the unique id supplier gave " + token);
      }
      byte[] third = original.content();
      String boundary = boundary(token, third, fields.toString(), text);

      ByteArrayOutputStream m = new ByteArrayOutputStream(third.length + 4096);
      StringBuilder h = new StringBuilder(2048);
      h.append("From: ").append(from).append("\r\n");
      h.append(ArfFields.fold("To", String.join(", ", to)));
      h.append("Date: ").append(MailDate.format(clock.instant())).append("\r\n");
      h.append("Subject: DMARC failure report for ").append(author).append("\r\n");
      h.append("Message-ID: <").append(token).append('@').append(fromDomain).append(">\r\n");
      h.append("Auto-Submitted: auto-generated\r\n"); // RFC 3834 §5: no replies, no loops
      h.append("MIME-Version: 1.0\r\n");
      h.append("Content-Type: multipart/report; report-type=feedback-report;\r\n");
      h.append("\tboundary=\"").append(boundary).append("\"\r\n");
      h.append("\r\n");
      h.append("This is a multipart message in MIME format.\r\n");
      h.append("\r\n--").append(boundary).append("\r\n");
      h.append("Content-Type: text/plain; charset=\"us-ascii\"\r\n");
      h.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
      h.append(text);
      h.append("\r\n--").append(boundary).append("\r\n");
      h.append("Content-Type: message/feedback-report\r\n");
      h.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
      h.append(fields);
      h.append("\r\n--").append(boundary).append("\r\n");
      h.append("Content-Type: ")
          .append(original.body != null ? "message/rfc822" : "text/rfc822-headers")
          .append("\r\n");
      h.append("Content-Transfer-Encoding: ").append(transferEncoding(third)).append("\r\n");
      h.append("Content-Disposition: inline\r\n\r\n");
      m.writeBytes(h.toString().getBytes(US_ASCII));
      m.writeBytes(third);
      m.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(US_ASCII));
      byte[] bytes = m.toByteArray();
      if (signer != null) {
        bytes = signer.signMessage(bytes);
      }
      return new Result(
          null, "a failure report for " + author, bytes, model.build(), List.copyOf(to), due);
    }

    /** Adds a feedback field, unless its value is unsafe to write; then it is left out. */
    private void field(String name, String value) {
      String v = value.trim();
      if (v.isEmpty() || !ArfFields.isSafe(v)) {
        return;
      }
      String folded = ArfFields.fold(name, v);
      fields.append(folded);
      model.field(name, unfoldedValue(folded));
    }

    /** RFC 5965 §3.2, RFC 6591 §3.1: the receiver's Authentication-Results, already folded. */
    private void authenticationResults() {
      AuthenticationResults ar = auth.authenticationResults();
      String folded = ar.field();
      if (!isSafeFolded(folded)) {
        // Comments or reasons with text that cannot be written: the DMARC verdict alone.
        folded =
            AuthenticationResults.builder(ar.authservId())
                .add(outcome.authResult())
                .build()
                .field();
        if (!isSafeFolded(folded)) {
          return;
        }
      }
      StringBuilder redacted = new StringBuilder();
      for (String line : folded.split("\r\n", -1)) {
        if (redacted.length() > 0) {
          redacted.append("\r\n");
        }
        redacted.append(redaction.redactField("Authentication-Results", line));
      }
      String text = redacted + "\r\n";
      fields.append(text);
      model.field("Authentication-Results", unfoldedValue(text));
    }

    /** RFC 9991 §5 item 3: dmarc for fo=0 and fo=1; the DKIM or SPF type for fo=d and fo=s. */
    private FailureReport.AuthFailure authFailure(List<DkimOutcome> signatures) {
      if (due.contains(FailureOption.ALL) || due.contains(FailureOption.ANY)) {
        return FailureReport.AuthFailure.DMARC;
      }
      if (due.contains(FailureOption.DKIM)) {
        for (DkimOutcome d : signatures) {
          if (DKIM_FAILED.contains(d.result().token())) {
            Optional<DkimProblem> p = d.problem();
            if (p.equals(Optional.of(DkimProblem.BODY_HASH_MISMATCH))) {
              return FailureReport.AuthFailure.BODYHASH;
            }
            if (p.equals(Optional.of(DkimProblem.KEY_REVOKED))) {
              return FailureReport.AuthFailure.REVOKED;
            }
            return FailureReport.AuthFailure.SIGNATURE;
          }
        }
      }
      return FailureReport.AuthFailure.SPF;
    }

    /**
     * RFC 9991 §5: the mechanisms that failed to authenticate an aligned identifier; RFC 7489
     * §7.3.1: the mechanisms that produced an aligned identity.
     */
    private FailureReport.IdentityAlignment identityAlignment(
        SpfOutcome spf, List<DkimOutcome> signatures) {
      if (outcome.profile() == DmarcProfile.RFC7489) {
        boolean dkim = false;
        boolean spfAligned = false;
        for (IdentifierAlignment a : outcome.alignments()) {
          if (a.isAligned()) {
            dkim |= a.kind() == IdentifierAlignment.Kind.DKIM;
            spfAligned |= a.kind() != IdentifierAlignment.Kind.DKIM;
          }
        }
        return FailureReport.IdentityAlignment.of(dkim, spfAligned);
      }
      boolean spfFailed =
          !spf.result().token().equals("pass")
              && spf.domain().map(d -> aligns(d, record.spfAlignment())).orElse(false);
      boolean dkimFailed = false;
      for (DkimOutcome d : signatures) {
        dkimFailed |=
            !d.isPass() && d.domain().map(x -> aligns(x, record.dkimAlignment())).orElse(false);
      }
      return FailureReport.IdentityAlignment.of(dkimFailed, spfFailed);
    }

    /**
     * RFC 9991 §5: DKIM-Domain, -Identity and -Selector are required for DKIM failures of an
     * aligned identifier: the first such signature; for fo=d, else the first failed one.
     */
    private Optional<DkimOutcome> reportedSignature(List<DkimOutcome> signatures) {
      for (DkimOutcome d : signatures) {
        if (!d.isPass() && d.domain().map(x -> aligns(x, record.dkimAlignment())).orElse(false)) {
          return Optional.of(d);
        }
      }
      if (due.contains(FailureOption.DKIM)) {
        for (DkimOutcome d : signatures) {
          if (DKIM_FAILED.contains(d.result().token()) && d.domain().isPresent()) {
            return Optional.of(d);
          }
        }
      }
      return Optional.empty();
    }

    /**
     * Whether an identifier's domain is aligned with the author domain, whatever its result:
     * strict, the same name; relaxed, within the author's organizational domain (RFC 9989 §4.4),
     * or, when that is unknown, the one within the other.
     */
    private boolean aligns(DomainName domain, AlignmentMode mode) {
      if (domain.equals(author)) {
        return true;
      }
      if (mode == AlignmentMode.STRICT) {
        return false;
      }
      Optional<DomainName> org = outcome.organizationalDomain();
      if (org.isPresent()) {
        return domain.isWithin(org.get());
      }
      return domain.labelCount() >= 2 && (domain.isWithin(author) || author.isWithin(domain));
    }

    private String humanReadable(
        String sourceIp,
        Instant arrival,
        SpfOutcome spf,
        List<DkimOutcome> signatures,
        Original original) {
      StringBuilder t = new StringBuilder();
      t.append("This is a DMARC failure report (RFC 9991) for a message received from IP\r\n");
      t.append(sourceIp).append(" on ").append(MailDate.format(arrival)).append(".\r\n\r\n");
      t.append("Author domain: ").append(author).append("\r\n");
      t.append("DMARC result: ").append(outcome.result().token());
      t.append(" (policy ").append(outcome.appliedPolicy().token()).append(")\r\n");
      t.append("SPF: ").append(spf.result().token());
      spf.domain().ifPresent(d -> t.append(" for ").append(d));
      t.append("\r\n");
      for (DkimOutcome d : signatures) {
        t.append("DKIM: ").append(d.result().token());
        d.domain().ifPresent(x -> t.append(" d=").append(x));
        d.selector().filter(ArfFields::isSafe).ifPresent(s -> t.append(" s=").append(s));
        t.append("\r\n");
      }
      if (signatures.isEmpty()) {
        t.append("DKIM: none\r\n");
      }
      t.append("Reported for fo=").append(tokens(due)).append(".\r\n\r\n");
      t.append(
          original.body != null ? "The original message follows" : "The original header follows");
      t.append(
          redaction.localParts() == Redaction.LocalParts.KEEP
              ? ".\r\n"
              : ", local parts of addresses redacted.\r\n");
      if (original.removed > 0) {
        t.append(original.removed).append(" header fields were removed.\r\n");
      }
      if (original.omitted > 0) {
        t.append(original.omitted).append(" header fields were left out for size.\r\n");
      }
      if (original.bodyTooLarge) {
        t.append("The body was withheld for size.\r\n");
      } else if (original.body == null) {
        t.append("The body is withheld.\r\n");
      }
      return t.toString();
    }

    /** The original's header, redacted, and its body when asked for and within the limit. */
    private Original original() {
      MessageHeader header = MessageHeader.parse(message);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int removed = 0;
      int omitted = 0;
      for (HeaderField f : header.fields()) {
        if (f.name().isEmpty()) {
          continue; // a line that is no field
        }
        if (redaction.removes(f.name())) {
          removed++;
          continue;
        }
        String raw = normalize(new String(f.rawBytes(), ISO_8859_1));
        byte[] redacted = (redaction.redactField(f.name(), raw) + "\r\n").getBytes(ISO_8859_1);
        if (out.size() + redacted.length > maxOriginalHeaderBytes) {
          omitted++;
          continue;
        }
        out.writeBytes(redacted);
      }
      byte[] body = null;
      boolean tooLarge = false;
      if (redaction.includeBody()) {
        int start = Math.min(header.length(), message.length);
        if (message.length - start <= maxOriginalBodyBytes) {
          body = Arrays.copyOfRange(message, start, message.length);
        } else {
          tooLarge = true;
        }
      }
      return new Original(out.toByteArray(), body, removed, omitted, tooLarge);
    }
  }

  /** The third part: the original's header and perhaps its body. */
  private record Original(
      byte[] header, byte[] body, int removed, int omitted, boolean bodyTooLarge) {
    byte[] content() {
      if (body == null) {
        return header;
      }
      byte[] all = new byte[header.length + 2 + body.length];
      System.arraycopy(header, 0, all, 0, header.length);
      all[header.length] = '\r';
      all[header.length + 1] = '\n';
      System.arraycopy(body, 0, all, header.length + 2, body.length);
      return all;
    }
  }

  /**
   * Line ends of a header field as CRLF; a CR or LF that is not part of a line end becomes a space,
   * so that no line inside the part can start a field the original did not have.
   */
  static String normalize(String raw) {
    StringBuilder sb = new StringBuilder(raw.length() + 8);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\r' || c == '\n') {
        int next = c == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n' ? i + 2 : i + 1;
        // a line end is followed by WSP, which continues the field (RFC 5322 §2.2.3)
        if (next < raw.length() && (raw.charAt(next) == ' ' || raw.charAt(next) == '\t')) {
          sb.append("\r\n");
          i = next - 1;
        } else {
          sb.append(' ');
          i = next - 1;
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A boundary that occurs in none of the parts (RFC 2046 §5.1.1). */
  private static String boundary(String token, byte[] third, String fields, String text) {
    String content = new String(third, ISO_8859_1) + fields + text;
    String boundary = "----=_dmarc_failure_" + token;
    for (int n = 1; content.contains(boundary); n++) {
      boundary = "----=_dmarc_failure_" + token + "_" + n;
    }
    return boundary;
  }

  /** RFC 2045 §2.7-2.9: 7bit, 8bit or binary for the original's octets. */
  static String transferEncoding(byte[] content) {
    boolean eightBit = false;
    int lineLength = 0;
    for (int i = 0; i < content.length; i++) {
      int c = content[i] & 0xFF;
      if (c == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
        lineLength = 0;
        i++;
        continue;
      }
      if (c == 0 || c == '\r' || c == '\n' || ++lineLength > LINE) {
        return "binary";
      }
      eightBit |= c >= 0x80;
    }
    return eightBit ? "8bit" : "7bit";
  }

  private static boolean isSafeFolded(String folded) {
    for (String line : folded.split("\r\n", -1)) {
      if (!ArfFields.isSafe(line.replace('\t', ' '))) {
        return false;
      }
    }
    return true;
  }

  /** The value of a folded field, unfolded (CRLF removed) and trimmed, as a reader sees it. */
  private static String unfoldedValue(String folded) {
    String unfolded = folded.replace("\r\n", "");
    return unfolded.substring(unfolded.indexOf(':') + 1).trim();
  }

  private static String tokens(Set<FailureOption> options) {
    List<String> t = new ArrayList<>();
    for (FailureOption o : options) {
      t.add(o.token());
    }
    return String.join(":", t);
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** A plain addr-spec: a dot-atom local part (RFC 5322 §3.2.3) at a host name, in ASCII. */
  static boolean isPlainAddress(String address) {
    int at = address.lastIndexOf('@');
    if (at <= 0 || at > 64 || address.length() > 254) {
      return false;
    }
    String local = address.substring(0, at);
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (!isAlnum(c) && "!#$%&'*+-/=?^_`{|}~.".indexOf(c) < 0) {
        return false;
      }
    }
    try {
      return DomainName.parseHostName(address.substring(at + 1)).isHostName()
          && address.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    } catch (DnsSyntaxException e) {
      return false;
    }
  }

  private static String checkAddress(String address) {
    requireNonNull(address, "from");
    if (!isPlainAddress(address)) {
      throw new IllegalArgumentException(
          "not a plain addr-spec: " + DmarcReportException.quote(address));
    }
    return address;
  }

  private static DomainName domainOf(String address) {
    return DomainName.parseHostName(address.substring(address.lastIndexOf('@') + 1));
  }

  /**
   * What the receiver knows of a message beyond its authentication, for the report's fields. Every
   * value is optional; immutable.
   */
  public static final class Envelope {
    private final List<String> rcptTo;
    private final Optional<String> envelopeId;
    private final Optional<Instant> arrivalDate;
    private final OptionalInt sourcePort;
    private final Optional<FailureReport.DeliveryResult> deliveryResult;
    private final long incidents;
    private final Optional<String> spfDns;

    private Envelope(EnvelopeBuilder b) {
      this.rcptTo = List.copyOf(b.rcptTo);
      this.envelopeId = b.envelopeId;
      this.arrivalDate = b.arrivalDate;
      this.sourcePort = b.sourcePort;
      this.deliveryResult = b.deliveryResult;
      this.incidents = b.incidents;
      this.spfDns = b.spfDns;
    }

    /**
     * Starts an envelope with nothing known.
     *
     * @return a builder
     */
    public static EnvelopeBuilder builder() {
      return new EnvelopeBuilder();
    }

    /**
     * Returns the RCPT TO addresses.
     *
     * @return the addresses
     */
    public List<String> rcptTo() {
      return rcptTo;
    }

    /**
     * Returns the receiver's id of the transaction ({@code Original-Envelope-Id}).
     *
     * @return the id, or empty
     */
    public Optional<String> envelopeId() {
      return envelopeId;
    }

    /**
     * Returns when the message arrived.
     *
     * @return the instant, or empty for the evaluation time
     */
    public Optional<Instant> arrivalDate() {
      return arrivalDate;
    }

    /**
     * Returns the client's TCP port.
     *
     * @return the port, or empty
     */
    public OptionalInt sourcePort() {
      return sourcePort;
    }

    /**
     * Returns what the receiver did with the message.
     *
     * @return the result, or empty
     */
    public Optional<FailureReport.DeliveryResult> deliveryResult() {
      return deliveryResult;
    }

    /**
     * Returns how many like incidents the report stands for.
     *
     * @return the count, 1 by default
     */
    public long incidents() {
      return incidents;
    }

    /**
     * Returns the {@code SPF-DNS} value.
     *
     * @return the value, or empty
     */
    public Optional<String> spfDns() {
      return spfDns;
    }
  }

  /** Builds an {@link Envelope}; not thread-safe. */
  public static final class EnvelopeBuilder {
    private final List<String> rcptTo = new ArrayList<>();
    private Optional<String> envelopeId = Optional.empty();
    private Optional<Instant> arrivalDate = Optional.empty();
    private OptionalInt sourcePort = OptionalInt.empty();
    private Optional<FailureReport.DeliveryResult> deliveryResult = Optional.empty();
    private long incidents = 1;
    private Optional<String> spfDns = Optional.empty();

    private EnvelopeBuilder() {}

    /**
     * Adds RCPT TO addresses ({@code Original-Rcpt-To}), redacted as the composer's {@link
     * Redaction} says.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public EnvelopeBuilder rcptTo(List<String> addresses) {
      for (String a : addresses) {
        rcptTo.add(requireNonNull(a, "address"));
      }
      return this;
    }

    /**
     * Sets the receiver's id of the transaction, such as the queue id.
     *
     * @param id the id
     * @return this builder
     */
    public EnvelopeBuilder envelopeId(String id) {
      this.envelopeId = Optional.of(requireNonNull(id, "id"));
      return this;
    }

    /**
     * Sets when the message arrived. Default the DMARC evaluation time.
     *
     * @param arrival the instant
     * @return this builder
     */
    public EnvelopeBuilder arrivalDate(Instant arrival) {
      this.arrivalDate = Optional.of(requireNonNull(arrival, "arrival"));
      return this;
    }

    /**
     * Sets the client's TCP port ({@code Source-Port}, RFC 6692).
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public EnvelopeBuilder sourcePort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("not a port: " + port);
      }
      this.sourcePort = OptionalInt.of(port);
      return this;
    }

    /**
     * Sets what the receiver did with the message ({@code Delivery-Result}).
     *
     * @param result the result
     * @return this builder
     */
    public EnvelopeBuilder deliveryResult(FailureReport.DeliveryResult result) {
      this.deliveryResult = Optional.of(requireNonNull(result, "result"));
      return this;
    }

    /**
     * Sets how many like incidents the report stands for ({@code Incidents}), for a caller that
     * consolidates like failures, as RFC 9991 §9.1 encourages.
     *
     * @param count at least 1
     * @return this builder
     */
    public EnvelopeBuilder incidents(long count) {
      if (count < 1) {
        throw new IllegalArgumentException("incidents must be positive: " + count);
      }
      this.incidents = count;
      return this;
    }

    /**
     * Sets the {@code SPF-DNS} field (RFC 6591 §3.2), the SPF record retrieved, as the receiver's
     * SPF check saw it; RFC 9991 §5 requires it for an SPF failure of an aligned identifier. It is
     * written as given, if printable ASCII.
     *
     * @param value such as {@code txt : example.com : "v=spf1 -all"}
     * @return this builder
     */
    public EnvelopeBuilder spfDns(String value) {
      this.spfDns = Optional.of(requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the envelope.
     *
     * @return the envelope
     */
    public Envelope build() {
      return new Envelope(this);
    }
  }

  /** A composed report and where it goes, or why there is none. Immutable. */
  public static final class Result {
    private final NoReport noReport;
    private final String detail;
    private final byte[] message;
    private final FailureReport report;
    private final List<String> recipients;
    private final Set<FailureOption> dueOptions;

    Result(
        NoReport noReport,
        String detail,
        byte[] message,
        FailureReport report,
        List<String> recipients,
        Set<FailureOption> dueOptions) {
      this.noReport = noReport;
      this.detail = detail;
      this.message = message;
      this.report = report;
      this.recipients = recipients;
      this.dueOptions = Set.copyOf(dueOptions);
    }

    static Result none(NoReport reason, String detail) {
      return new Result(reason, detail, null, null, List.of(), Set.of());
    }

    /**
     * Tells whether a report was composed.
     *
     * @return whether {@link #message()} holds one
     */
    public boolean isComposed() {
      return message != null;
    }

    /**
     * Returns why no report was composed.
     *
     * @return the reason, or empty when one was
     */
    public Optional<NoReport> noReport() {
      return Optional.ofNullable(noReport);
    }

    /**
     * Returns the report message, ready for the MTA: DKIM-Signature fields first, CRLF line ends.
     *
     * @return a copy of the message, or empty
     */
    public Optional<byte[]> message() {
      return Optional.ofNullable(message).map(byte[]::clone);
    }

    /**
     * Returns what the report says, as a reader of it would see it.
     *
     * @return the report, or empty
     */
    public Optional<FailureReport> report() {
      return Optional.ofNullable(report);
    }

    /**
     * Returns the addresses to send the report to (the envelope's RCPT TO and the {@code To}
     * field).
     *
     * @return the addr-specs, empty when no report was composed
     */
    public List<String> recipients() {
      return recipients;
    }

    /**
     * Returns the {@code fo} options that asked for the report.
     *
     * @return the options, empty when no report was composed
     */
    public Set<FailureOption> dueOptions() {
      return dueOptions;
    }

    /**
     * Returns a human-readable account of the result.
     *
     * @return the detail
     */
    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return (noReport == null ? "composed: " : noReport + ": ") + detail;
    }
  }

  /** A DKIM key to sign with. */
  private record Key(DomainName domain, String selector, DkimSigningKey key) {}

  /** Configures a {@link FailureReportComposer}; not thread-safe. */
  public static final class Builder {
    private final String from;
    private String userAgent = "mailauth4j";
    private Optional<String> reportingMta = Optional.empty();
    private Redaction redaction = Redaction.defaults();
    private FailureReportThrottle throttle;
    private final List<Key> keys = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> uniqueIds = () -> UUID.randomUUID().toString().replace("-", "");
    private int maxOriginalHeaderBytes = 64 * 1024;
    private int maxOriginalBodyBytes = 1 << 20;
    private int maxRecipients = 10;

    private Builder(String from) {
      this.from = from;
    }

    /**
     * Sets the {@code User-Agent} field (RFC 5965 §3.1: a product token). Default {@code
     * mailauth4j}.
     *
     * @param product such as {@code ExampleMTA/2.1}, printable ASCII
     * @return this builder
     */
    public Builder userAgent(String product) {
      if (requireNonNull(product, "product").isBlank() || !ArfFields.isSafe(product)) {
        throw new IllegalArgumentException("not a product: " + DmarcReportException.quote(product));
      }
      this.userAgent = product.trim();
      return this;
    }

    /**
     * Sets the host named in {@code Reporting-MTA} ({@code dns; <name>}). Default none.
     *
     * @param hostName such as {@code mx.example.org}
     * @return this builder
     */
    public Builder reportingMta(String hostName) {
      this.reportingMta = Optional.of(DomainName.parseHostName(hostName).toString());
      return this;
    }

    /**
     * Sets what the report leaves out. Default {@link Redaction#defaults()}.
     *
     * @param redaction the redaction
     * @return this builder
     */
    public Builder redaction(Redaction redaction) {
      this.redaction = requireNonNull(redaction, "redaction");
      return this;
    }

    /**
     * Sets the rate limit. Default {@link FailureReportThrottle#perDomain} with 10 reports per
     * policy domain and hour on the composer's clock.
     *
     * @param throttle the throttle
     * @return this builder
     */
    public Builder throttle(FailureReportThrottle throttle) {
      this.throttle = requireNonNull(throttle, "throttle");
      return this;
    }

    /**
     * Adds a DKIM key to sign reports with, published at {@code <selector>._domainkey.<domain>}.
     * Without keys reports are not signed.
     *
     * @param domain the signing domain, {@code d=}
     * @param selector the selector
     * @param key the private key
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
     * Sets the clock for {@code Date}, the DKIM {@code t=} and the default throttle. Default the
     * system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where each report's token (Message-ID, MIME boundary) comes from. Default 32 random hex
     * digits; a fixed supplier makes output reproducible, for tests.
     *
     * @param supplier gives letters and digits
     * @return this builder
     */
    public Builder uniqueIds(Supplier<String> supplier) {
      this.uniqueIds = requireNonNull(supplier, "supplier");
      return this;
    }

    /**
     * Sets how many octets of the original's header a report carries; fields past it are left out,
     * whole, and the report says how many. Default 64 KiB.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxOriginalHeaderBytes(int max) {
      this.maxOriginalHeaderBytes = positive(max, "maxOriginalHeaderBytes");
      return this;
    }

    /**
     * Sets the largest body a report carries when the redaction includes it; a larger one is
     * withheld, and the report says so. Default 1 MiB.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxOriginalBodyBytes(int max) {
      this.maxOriginalBodyBytes = positive(max, "maxOriginalBodyBytes");
      return this;
    }

    /**
     * Sets the most recipients of one report. Default 10; RFC 9991 §3 asks for an attempt to every
     * {@code ruf} URI, and records rarely have more than two.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxRecipients(int max) {
      this.maxRecipients = positive(max, "maxRecipients");
      return this;
    }

    /**
     * Builds the composer.
     *
     * @return the composer
     * @throws IllegalStateException if keys were added but none signs for the From domain: RFC 9991
     *     §6.1 asks for DMARC-aligned report mail, so a key's domain must be the From domain or a
     *     parent of it
     */
    public FailureReportComposer build() {
      DomainName fromDomain = domainOf(from);
      if (!keys.isEmpty() && keys.stream().noneMatch(k -> fromDomain.isWithin(k.domain()))) {
        throw new IllegalStateException(
            "no DKIM key signs for "
                + fromDomain
                + ", the From domain: the report would not align");
      }
      if (throttle == null) {
        throttle = FailureReportThrottle.perDomain(10, java.time.Duration.ofHours(1), clock);
      }
      return new FailureReportComposer(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
