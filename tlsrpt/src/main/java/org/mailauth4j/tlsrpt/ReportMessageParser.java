package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.MimeParameterMapping;
import org.mailauth4j.tlsrpt.ReportMessageFinding.Kind;
import org.mailauth4j.tlsrpt.TlsReportException.Reason;

/**
 * Reads one report e-mail (RFC 8460 §5.3) with mime4j's token stream: the top-level header fields
 * that concern the report, the report part, and the comparison of the two (§5.6). Embedded messages
 * ({@code message/rfc822}) are not entered. One instance reads one message; not thread-safe.
 */
final class ReportMessageParser {
  /**
   * The longest Subject decoded: RFC 5322 §2.1.1's 998-character line, twice over for folding; the
   * §5.3 subject of a report is far shorter.
   */
  static final int MAX_SUBJECT_CHARS = 2 * 998;

  /** Header fields longer than this are refused by mime4j; report e-mails have short ones. */
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Header fields per entity. */
  private static final int MAX_HEADER_FIELDS = 1_000;

  private final TlsReportReader reader;
  private final byte[] message;

  private Optional<String> reportDomain = Optional.empty();
  private Optional<String> submitter = Optional.empty();
  private Optional<String> subject = Optional.empty();
  private String topType = "text/plain"; // RFC 2045 §5.2: the default
  private Optional<String> topReportType = Optional.empty();

  /** The entity whose header is being read. */
  private Optional<String> entityFilename = Optional.empty();

  private boolean topHeader = true;
  private final List<ReportMessageFinding> findings = new ArrayList<>();

  ReportMessageParser(TlsReportReader reader, byte[] message) {
    this.reader = reader;
    this.message = message;
  }

  ReceivedTlsReport read() {
    MimeConfig config =
        MimeConfig.custom()
            .setMaxLineLen(-1) // JSON parts may be one long line; the message size bounds them
            .setMaxHeaderLen(MAX_HEADER_BYTES)
            .setMaxHeaderCount(MAX_HEADER_FIELDS)
            .setMaxContentLen(reader.maxMessageBytes())
            .build();
    MimeTokenStream stream = new MimeTokenStream(config);
    stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
    stream.parse(new ByteArrayInputStream(message));
    int depth = 0;
    int parts = 0;
    Part primary = null;
    Part fallback = null;
    TlsReportException fallbackFailure = null;
    int reportParts = 0;
    try {
      for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
        switch (s) {
          case T_START_MULTIPART:
            if (++depth > reader.maxMessageDepth()) {
              throw new TlsReportException(
                  Reason.TOO_DEEP,
                  null,
                  "multiparts nested deeper than the limit of " + reader.maxMessageDepth());
            }
            break;
          case T_END_MULTIPART:
            depth--;
            break;
          case T_START_BODYPART:
            if (++parts > reader.maxMessageParts()) {
              throw new TlsReportException(
                  Reason.TOO_MANY_ITEMS,
                  null,
                  "more MIME parts than the limit of " + reader.maxMessageParts());
            }
            break;
          case T_START_HEADER:
            entityFilename = Optional.empty();
            break;
          case T_FIELD:
            field(stream.getField());
            break;
          case T_END_HEADER:
            topHeader = false;
            break;
          case T_BODY:
            String type = lower(stream.getBodyDescriptor().getMimeType());
            int rank = rank(type, entityFilename);
            if (rank == 1) {
              reportParts++;
              if (primary == null) {
                primary = readPart(stream, type, true);
              }
            } else if (rank == 2 && primary == null && fallback == null) {
              try {
                fallback = readPart(stream, type, false);
              } catch (TlsReportException e) {
                fallbackFailure = e; // perhaps some other JSON attachment: look further
              }
            }
            break;
          default:
            break;
        }
      }
    } catch (MimeException e) {
      throw new TlsReportException(
          Reason.MALFORMED_MESSAGE,
          null,
          "the message is not MIME within the limits: "
              + TlsReportException.quote(String.valueOf(e.getMessage())),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading an array does not fail otherwise
    }
    Part part = primary != null ? primary : fallback;
    if (part == null) {
      if (fallbackFailure != null) {
        throw fallbackFailure;
      }
      throw new TlsReportException(
          Reason.NO_REPORT_IN_MESSAGE,
          null,
          "no part of type application/tlsrpt+gzip or application/tlsrpt+json, nor a .json or"
              + " .json.gz attachment");
    }
    if (reportParts > 1) {
      findings.add(
          new ReportMessageFinding(
              Kind.SEVERAL_REPORT_PARTS,
              "the message has " + reportParts + " report parts; the first was read"));
    }
    compare(part);
    return new ReceivedTlsReport(
        part.report,
        reportDomain,
        submitter,
        subject,
        part.filename,
        part.mediaType,
        findings,
        message);
  }

  /** A report part that was read. */
  private static final class Part {
    final TlsReport report;
    final String mediaType;
    final Optional<String> filename;

    Part(TlsReport report, String mediaType, Optional<String> filename) {
      this.report = report;
      this.mediaType = mediaType;
      this.filename = filename;
    }
  }

  private Part readPart(MimeTokenStream stream, String type, boolean declared) {
    boolean[] gzip = new boolean[1];
    TlsReport report;
    try {
      report = reader.read(stream.getDecodedInputStream(), gzip);
    } catch (UncheckedIOException e) {
      // Reading the array does not fail; mime4j's limits do, inside the part's stream.
      throw new TlsReportException(
          Reason.MALFORMED_MESSAGE,
          null,
          "the report part is not MIME within the limits: "
              + TlsReportException.quote(String.valueOf(e.getCause().getMessage())),
          e.getCause());
    }
    boolean saysGzip =
        type.endsWith("gzip") || entityFilename.map(f -> lower(f).endsWith(".gz")).orElse(false);
    boolean saysJson =
        type.endsWith("json") || entityFilename.map(f -> lower(f).endsWith(".json")).orElse(false);
    if (declared && (gzip[0] ? saysJson : saysGzip)) {
      findings.add(
          new ReportMessageFinding(
              Kind.MEDIA_TYPE_MISMATCH,
              "the part is declared "
                  + TlsReportException.quote(type)
                  + entityFilename.map(f -> " named " + TlsReportException.quote(f)).orElse("")
                  + " but holds "
                  + (gzip[0] ? "gzip" : "uncompressed JSON")));
    }
    return new Part(report, type, entityFilename);
  }

  /**
   * 1 for the media types of RFC 8460 §5.3 ({@code application/tlsrpt} as Stalwart's rpt02.eml has
   * it too), 2 for generic types with a report's file name, 0 for the rest.
   */
  private static int rank(String type, Optional<String> filename) {
    switch (type) {
      case "application/tlsrpt+gzip":
      case "application/tlsrpt+json":
      case "application/tlsrpt":
        return 1;
      case "application/gzip":
      case "application/x-gzip":
      case "application/json":
      case "application/octet-stream":
        String name = lower(filename.orElse(""));
        return name.endsWith(".json") || name.endsWith(".json.gz") || name.endsWith(".gz") ? 2 : 0;
      default:
        return 0;
    }
  }

  private void field(Field field) throws MimeException {
    String name = lower(field.getName());
    if (topHeader) {
      switch (name) {
        case "tls-report-domain":
          reportDomain = Optional.of(unfold(text(field)).trim());
          return;
        case "tls-report-submitter":
          submitter = Optional.of(unfold(text(field)).trim());
          return;
        case "subject":
          // RFC 5322 §3.6 allows one Subject: later ones are ignored. Decoding encoded words costs
          // more than linear time in mime4j, so only a bounded prefix is decoded, once.
          if (subject.isEmpty()) {
            String raw = unfold(text(field)).trim();
            if (raw.length() > MAX_SUBJECT_CHARS) {
              raw = raw.substring(0, MAX_SUBJECT_CHARS);
            }
            subject = Optional.of(DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT));
          }
          return;
        default:
          break;
      }
    }
    if (name.equals("content-type") || name.equals("content-disposition")) {
      RawField raw = RawFieldParser.DEFAULT.parseField(field.getRaw());
      RawBody body = RawFieldParser.DEFAULT.parseRawBody(raw);
      MimeParameterMapping params = new MimeParameterMapping(); // RFC 2231 continuations, charsets
      for (NameValuePair pair : body.getParams()) {
        if (pair.getValue() != null) {
          params.addParameter(lower(pair.getName()), pair.getValue());
        }
      }
      String param = name.equals("content-type") ? "name" : "filename";
      String filename = params.get(param);
      if (filename != null && (name.equals("content-disposition") || entityFilename.isEmpty())) {
        entityFilename = Optional.of(filename);
      }
      if (topHeader && name.equals("content-type")) {
        topType = lower(body.getValue());
        topReportType = Optional.ofNullable(params.get("report-type"));
      }
    }
  }

  /** A header field's value, as UTF-8 (RFC 6532), after the colon. */
  private static String text(Field field) {
    String whole = new String(field.getRaw().toByteArray(), UTF_8);
    int colon = whole.indexOf(':');
    return colon < 0 ? "" : whole.substring(colon + 1);
  }

  private static String unfold(String value) {
    return value.replace("\r\n", "").replace("\n", "").replace("\r", "");
  }

  /** RFC 8460 §5.3 and §5.6: the message against its report, the JSON winning. */
  private void compare(Part part) {
    TlsReport report = part.report;
    if (!topType.equals("multipart/report")
        || !topReportType.map(t -> t.equalsIgnoreCase("tlsrpt")).orElse(false)) {
      findings.add(
          new ReportMessageFinding(
              Kind.NOT_TLSRPT_MESSAGE,
              "the message is "
                  + TlsReportException.quote(topType)
                  + topReportType
                      .map(t -> " of report-type " + TlsReportException.quote(t))
                      .orElse("")
                  + ", not multipart/report with report-type=tlsrpt (RFC 8460 §5.3)"));
    }
    Set<String> policyDomains = new LinkedHashSet<>();
    for (PolicyResult result : report.policies()) {
      result.policy().domain().map(ReportMessageParser::domain).ifPresent(policyDomains::add);
    }
    Optional<String> contactDomain =
        report.contactInfo().flatMap(ReportMessageParser::contactDomain);

    if (reportDomain.isEmpty()) {
      findings.add(
          new ReportMessageFinding(
              Kind.MISSING_REPORT_DOMAIN,
              "the message has no TLS-Report-Domain header field (RFC 8460 §5.3)"));
    } else if (!policyDomains.isEmpty() && !policyDomains.contains(domain(reportDomain.get()))) {
      findings.add(
          new ReportMessageFinding(
              Kind.REPORT_DOMAIN_MISMATCH,
              "TLS-Report-Domain "
                  + TlsReportException.quote(reportDomain.get())
                  + " is none of the report's policy domains "
                  + quoted(policyDomains)));
    }
    if (submitter.isEmpty()) {
      findings.add(
          new ReportMessageFinding(
              Kind.MISSING_SUBMITTER,
              "the message has no TLS-Report-Submitter header field (RFC 8460 §5.3)"));
    } else if (contactDomain.isPresent() && !contactDomain.get().equals(domain(submitter.get()))) {
      findings.add(
          new ReportMessageFinding(
              Kind.SUBMITTER_NOT_CONTACT_DOMAIN,
              "TLS-Report-Submitter "
                  + TlsReportException.quote(submitter.get())
                  + " is not the domain of contact-info "
                  + TlsReportException.quote(contactDomain.get())
                  + " (RFC 8460 §5.3)"));
    }
    subject.ifPresent(s -> compareSubject(s, report, policyDomains, contactDomain));
    part.filename.ifPresent(f -> compareFilename(f, report, policyDomains, contactDomain));
  }

  /** RFC 8460 §5.3: {@code Report Domain: <d> Submitter: <s> Report-ID: <id>}. */
  private void compareSubject(
      String subject, TlsReport report, Set<String> policyDomains, Optional<String> contact) {
    Optional<String> domain = subjectValue(subject, "report domain:");
    Optional<String> by = subjectValue(subject, "submitter:");
    Optional<String> id = subjectValue(subject, "report-id:");
    if (domain.isPresent()
        && !policyDomains.isEmpty()
        && !policyDomains.contains(domain(domain.get()))) {
      mismatch(Kind.SUBJECT_MISMATCH, "the subject's report domain", domain.get(), policyDomains);
    }
    if (by.isPresent() && contact.isPresent() && !contact.get().equals(domain(by.get()))) {
      mismatch(Kind.SUBJECT_MISMATCH, "the subject's submitter", by.get(), Set.of(contact.get()));
    }
    if (id.isPresent() && !stripAngles(id.get()).equals(stripAngles(report.reportId()))) {
      mismatch(
          Kind.SUBJECT_MISMATCH, "the subject's report id", id.get(), Set.of(report.reportId()));
    }
  }

  /** The word after a label of the subject, such as the domain after {@code Report Domain:}. */
  private static Optional<String> subjectValue(String subject, String label) {
    int at = lower(subject).indexOf(label);
    if (at < 0) {
      return Optional.empty();
    }
    int start = at + label.length();
    while (start < subject.length() && Character.isWhitespace(subject.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < subject.length() && !Character.isWhitespace(subject.charAt(end))) {
      end++;
    }
    return end > start ? Optional.of(subject.substring(start, end)) : Optional.empty();
  }

  /** RFC 8460 §5.1: {@code sender!policy-domain!begin-timestamp!end-timestamp[!unique-id]}. */
  private void compareFilename(
      String filename, TlsReport report, Set<String> policyDomains, Optional<String> contact) {
    String base = filename;
    for (String suffix : new String[] {".gz", ".json"}) {
      if (lower(base).endsWith(suffix)) {
        base = base.substring(0, base.length() - suffix.length());
      }
    }
    String[] fields = base.split("!", -1);
    if (fields.length < 4) {
      return; // not the recommended form: nothing to compare
    }
    if (contact.isPresent() && !contact.get().equals(domain(fields[0]))) {
      mismatch(Kind.FILENAME_MISMATCH, "the file name's sender", fields[0], Set.of(contact.get()));
    }
    if (!policyDomains.isEmpty() && !policyDomains.contains(domain(fields[1]))) {
      mismatch(Kind.FILENAME_MISMATCH, "the file name's policy domain", fields[1], policyDomains);
    }
    long start = report.dateRange().start().getEpochSecond();
    long end = report.dateRange().end().getEpochSecond();
    if (!fields[2].equals(Long.toString(start))) {
      mismatch(Kind.FILENAME_MISMATCH, "the file name's begin time", fields[2], Set.of("" + start));
    }
    if (!fields[3].equals(Long.toString(end))) {
      mismatch(Kind.FILENAME_MISMATCH, "the file name's end time", fields[3], Set.of("" + end));
    }
  }

  private void mismatch(Kind kind, String what, String value, Set<String> report) {
    findings.add(
        new ReportMessageFinding(
            kind,
            what
                + " "
                + TlsReportException.quote(value)
                + " is not the report's "
                + quoted(report)));
  }

  private static String quoted(Set<String> values) {
    List<String> q = new ArrayList<>();
    for (String v : values) {
      q.add(TlsReportException.quote(v));
    }
    return String.join(", ", q);
  }

  /**
   * The domain of {@code contact-info}: after the last {@code @} of an address (RFC 8460 §4.4 has
   * an e-mail address), or the host of a URI.
   */
  static Optional<String> contactDomain(String contact) {
    String c = contact.trim();
    int at = c.lastIndexOf('@');
    if (at >= 0) {
      String d = c.substring(at + 1);
      if (d.endsWith(">")) {
        d = d.substring(0, d.length() - 1);
      }
      return d.isEmpty() ? Optional.empty() : Optional.of(domain(d));
    }
    try {
      return Optional.ofNullable(new URI(c).getHost()).map(ReportMessageParser::domain);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** A domain for comparison: trimmed, lower case, without a trailing dot. */
  static String domain(String d) {
    String s = lower(d.trim());
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String stripAngles(String id) {
    String s = id.trim();
    return s.startsWith("<") && s.endsWith(">") && s.length() >= 2
        ? s.substring(1, s.length() - 1)
        : s;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
