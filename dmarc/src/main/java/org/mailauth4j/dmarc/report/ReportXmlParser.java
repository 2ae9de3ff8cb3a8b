package org.mailauth4j.dmarc.report;

import static org.mailauth4j.dmarc.report.DmarcReportException.quote;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.mailauth4j.dkim.DkimResult;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReportWarning.Kind;

/**
 * Reads one {@code feedback} document from a StAX reader into the model, leniently (see {@link
 * AggregateReportReader}): elements are matched by local name whatever their namespace, in any
 * order within their parent; values are trimmed and tokens matched ignoring case; what cannot be
 * used becomes a {@link ReportWarning}. The limits are checked as elements are met, so that nothing
 * beyond them is ever held. One instance reads one document; not thread-safe.
 */
final class ReportXmlParser {
  /** How many distinct strings are shared between records: domains repeat in every record. */
  private static final int INTERNED_MAX = 10_000;

  /** {@code date_range} times: whole seconds, some reporters (163.com) add {@code .0}. */
  private static final Pattern SECONDS = Pattern.compile("(\\d{1,19})(?:\\.\\d*)?");

  private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");

  /** The warnings of one read, kept up to a limit and counted beyond it. */
  static final class Warnings {
    private final int max;
    private final List<ReportWarning> kept = new ArrayList<>();
    private long dropped;

    Warnings(int max) {
      this.max = max;
    }

    void add(Kind kind, String location, String detail) {
      if (kept.size() < max) {
        kept.add(ReportWarning.of(kind, Optional.ofNullable(location), detail));
      } else {
        dropped++;
      }
    }

    List<ReportWarning> list() {
      if (dropped == 0) {
        return kept;
      }
      List<ReportWarning> all = new ArrayList<>(kept);
      all.add(
          ReportWarning.of(
              Kind.TOO_MANY_WARNINGS,
              Optional.empty(),
              dropped + " more warnings than the limit of " + max + " were not kept"));
      return all;
    }
  }

  /** What was read: the report and its root's namespace. */
  static final class Parsed {
    final AggregateReport report;
    final Optional<String> namespace;

    Parsed(AggregateReport report, Optional<String> namespace) {
      this.report = report;
      this.namespace = namespace;
    }
  }

  private final XMLStreamReader r;
  private final AggregateReportReader limits;
  private final Warnings warnings;
  private final List<String> path = new ArrayList<>();
  private final Map<String, String> interned = new HashMap<>();
  private long elements;
  private int recordIndex;

  ReportXmlParser(XMLStreamReader r, AggregateReportReader limits, Warnings warnings) {
    this.r = r;
    this.limits = limits;
    this.warnings = warnings;
  }

  /** The element path where the parser is, for a refusal; null before the root. */
  String location() {
    return path.isEmpty() ? null : "/" + String.join("/", path);
  }

  Parsed parse() throws XMLStreamException {
    while (true) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        break;
      }
      refuseEntities(event);
    }
    String root = r.getLocalName();
    if (!lower(root).equals("feedback")) {
      throw new DmarcReportException(
          Reason.NOT_A_REPORT, null, "the root element is " + quote(root) + ", not feedback");
    }
    String ns = r.getNamespaceURI();
    Optional<String> namespace = ns == null || ns.isEmpty() ? Optional.empty() : Optional.of(ns);
    enter(root);
    AggregateReport report = feedback();
    // Only comments, processing instructions and white space may follow; the parser checks.
    while (r.hasNext()) {
      refuseEntities(r.next());
    }
    return new Parsed(report, namespace);
  }

  // ---- navigation

  private void refuseEntities(int event) {
    if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
      throw entityRefused(event);
    }
  }

  private DmarcReportException entityRefused(int event) {
    return new DmarcReportException(
        Reason.ENTITY_REFUSED,
        location(),
        event == XMLStreamConstants.DTD
            ? "a document type declaration: refused, so that no entity is expanded or fetched"
            : "an entity reference " + quote("&" + r.getLocalName() + ";") + ": refused");
  }

  /** An element begins: counted, checked against the depth and element limits. */
  private void enter(String name) {
    if (++elements > limits.maxElements()) {
      throw new DmarcReportException(
          Reason.TOO_MANY_ITEMS,
          location(),
          "more elements than the limit of " + limits.maxElements());
    }
    if (path.size() + 1 > limits.maxDepth()) {
      throw new DmarcReportException(
          Reason.TOO_DEEP,
          location(),
          "elements nested deeper than the limit of " + limits.maxDepth());
    }
    path.add(name);
  }

  private void leave() {
    path.remove(path.size() - 1);
  }

  /**
   * Moves to the next child of the current element and enters it; or, at the current element's end,
   * leaves it.
   *
   * @return the child's local name in lower case, or null at the end
   */
  private String child() throws XMLStreamException {
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT:
          String name = r.getLocalName();
          String lower = lower(name);
          if (lower.equals("record") && path.size() == 1) {
            if (++recordIndex > limits.maxRecords()) {
              throw new DmarcReportException(
                  Reason.TOO_MANY_ITEMS,
                  location(),
                  "more records than the limit of " + limits.maxRecords());
            }
            name = name + "[" + recordIndex + "]";
          }
          enter(name);
          return lower;
        case XMLStreamConstants.END_ELEMENT:
          leave();
          return null;
        case XMLStreamConstants.CHARACTERS:
        case XMLStreamConstants.CDATA:
        case XMLStreamConstants.SPACE:
          checkText(r.getTextLength()); // text between elements is ignored, but bounded
          break;
        default:
          refuseEntities(event);
          break;
      }
    }
  }

  private void checkText(long length) {
    if (length > limits.maxTextLength()) {
      throw new DmarcReportException(
          Reason.TOO_LARGE,
          location(),
          "a text of more than the limit of " + limits.maxTextLength() + " characters");
    }
  }

  /** Reads the current element's text, trimmed, skipping any child elements, and leaves it. */
  private String text() throws XMLStreamException {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.CHARACTERS:
        case XMLStreamConstants.CDATA:
        case XMLStreamConstants.SPACE:
          if (depth == 0) {
            checkText((long) sb.length() + r.getTextLength());
            sb.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
          } else {
            checkText(r.getTextLength());
          }
          break;
        case XMLStreamConstants.START_ELEMENT:
          if (depth == 0) {
            warn(Kind.UNKNOWN_ELEMENT, "an element inside a value: " + quote(r.getLocalName()));
          }
          enter(r.getLocalName());
          depth++;
          break;
        case XMLStreamConstants.END_ELEMENT:
          leave();
          if (depth-- == 0) {
            return sb.toString().strip();
          }
          break;
        default:
          refuseEntities(event);
          break;
      }
    }
  }

  /** Skips the current element and everything in it, counting, and leaves it. */
  private void skip() throws XMLStreamException {
    int depth = 0;
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT:
          enter(r.getLocalName());
          depth++;
          break;
        case XMLStreamConstants.END_ELEMENT:
          leave();
          if (depth-- == 0) {
            return;
          }
          break;
        case XMLStreamConstants.CHARACTERS:
        case XMLStreamConstants.CDATA:
        case XMLStreamConstants.SPACE:
          checkText(r.getTextLength());
          break;
        default:
          refuseEntities(event);
          break;
      }
    }
  }

  private void unknown() throws XMLStreamException {
    warn(Kind.UNKNOWN_ELEMENT, "an unknown element was skipped");
    skip();
  }

  /** Reads the current element as an extension, in canonical form, and leaves it. */
  private ReportExtension extension() throws XMLStreamException {
    int base = path.size();
    String xml;
    try {
      xml =
          ExtensionXml.canonical(
              r,
              new ExtensionXml.Budget() {
                @Override
                public void element(int depth) {
                  if (depth > 1) { // the extension's own element was counted on entering it
                    if (++elements > limits.maxElements()) {
                      throw new DmarcReportException(
                          Reason.TOO_MANY_ITEMS,
                          location(),
                          "more elements than the limit of " + limits.maxElements());
                    }
                    if (base + depth - 1 > limits.maxDepth()) {
                      throw new DmarcReportException(
                          Reason.TOO_DEEP,
                          location(),
                          "elements nested deeper than the limit of " + limits.maxDepth());
                    }
                  }
                }

                @Override
                public void text(int length) {
                  checkText(length);
                }

                @Override
                public void size(int length) {
                  if (length > limits.maxTextLength()) {
                    throw new DmarcReportException(
                        Reason.TOO_LARGE,
                        location(),
                        "an extension of more than the limit of "
                            + limits.maxTextLength()
                            + " characters");
                  }
                }
              });
    } catch (ExtensionXml.EntityInExtension e) {
      throw entityRefused(XMLStreamConstants.ENTITY_REFERENCE);
    }
    leave();
    return ReportExtension.of(xml);
  }

  /** The children of an extension wrapper ({@code extension} or {@code extensions}). */
  private void extensions(List<ReportExtension> into) throws XMLStreamException {
    while (child() != null) {
      into.add(extension());
    }
  }

  private void warn(Kind kind, String detail) {
    warnings.add(kind, location(), detail);
  }

  /** Keeps the first of an element that may appear once. */
  private <T> T once(T current, T value) {
    if (current != null) {
      warn(Kind.DUPLICATE_ELEMENT, "a second " + quote(lastName()) + "; the first was kept");
      return current;
    }
    return value;
  }

  /** The text of an element that may appear once: a second is warned of and skipped. */
  private String onceText(String current) throws XMLStreamException {
    if (current != null) {
      warn(Kind.DUPLICATE_ELEMENT, "a second " + quote(lastName()) + "; the first was kept");
      skip();
      return current;
    }
    return text();
  }

  private String lastName() {
    return path.get(path.size() - 1);
  }

  private String intern(String s) {
    String known = interned.get(s);
    if (known != null) {
      return known;
    }
    if (interned.size() < INTERNED_MAX) {
      interned.put(s, s);
    }
    return s;
  }

  /** A token element: its value, or a warning and empty. */
  private <T> Optional<T> token(Function<String, Optional<T>> parse) throws XMLStreamException {
    String location = location();
    String t = text();
    Optional<T> v = parse.apply(t);
    if (v.isEmpty()) {
      warnings.add(Kind.UNKNOWN_VALUE, location, "an unknown value " + quote(t) + " was left out");
    }
    return v;
  }

  private <T> Optional<T> onceToken(Optional<T> current, Function<String, Optional<T>> parse)
      throws XMLStreamException {
    if (current != null) {
      warn(Kind.DUPLICATE_ELEMENT, "a second " + quote(lastName()) + "; the first was kept");
      skip();
      return current;
    }
    return token(parse);
  }

  // ---- the report

  private AggregateReport feedback() throws XMLStreamException {
    String version = null;
    ReportMetadata metadata = null;
    PublishedPolicy policy = null;
    List<ReportExtension> extensions = new ArrayList<>();
    List<ReportRecord> records = new ArrayList<>();
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "version" -> version = onceText(version);
        case "report_metadata" -> {
          if (metadata != null) {
            once(metadata, null);
            skip();
          } else {
            metadata = metadata();
          }
        }
        case "policy_published" -> {
          if (policy != null) {
            once(policy, null);
            skip();
          } else {
            policy = policy();
          }
        }
        case "record" -> record().ifPresent(records::add);
        case "extension", "extensions" -> extensions(extensions);
        default -> unknown();
      }
    }
    if (metadata == null) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, "/feedback", "the report has no report_metadata");
    }
    if (policy == null) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, "/feedback", "the report has no policy_published");
    }
    if (recordIndex == 0) {
      warnings.add(Kind.MISSING_ELEMENT, "/feedback", "the report has no record");
    }
    AggregateReport.Builder b =
        AggregateReport.builder(metadata, policy)
            .version(Optional.ofNullable(version).filter(v -> !v.isEmpty()))
            .addRecords(records);
    extensions.forEach(b::addExtension);
    return b.build();
  }

  // RFC 9990 §3.1.5; RFC 7489 Appendix C
  private ReportMetadata metadata() throws XMLStreamException {
    String location = location();
    String org = null;
    String email = null;
    String extra = null;
    String reportId = null;
    Instant[] range = null;
    String generator = null;
    List<String> errors = new ArrayList<>();
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "org_name" -> org = onceText(org);
        case "email" -> email = onceText(email);
        case "extra_contact_info" -> extra = onceText(extra);
        case "report_id" -> reportId = onceText(reportId);
        case "date_range" -> {
          if (range != null) {
            once(range, null);
            skip();
          } else {
            range = dateRange();
          }
        }
        case "error" -> {
          String e = text();
          if (!e.isEmpty()) {
            errors.add(e);
          }
        }
        case "generator" -> generator = onceText(generator);
        default -> unknown();
      }
    }
    if (reportId == null || reportId.isEmpty()) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, location, "the report has no report_id");
    }
    if (range == null) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, location, "the report has no date_range");
    }
    ReportMetadata.Builder b = ReportMetadata.builder().reportId(reportId);
    b.organizationName(required(org, location, "org_name"));
    b.email(required(email, location, "email"));
    b.extraContactInfo(Optional.ofNullable(extra).filter(s -> !s.isEmpty()));
    b.generator(Optional.ofNullable(generator).filter(s -> !s.isEmpty()));
    errors.forEach(b::addError);
    return b.dateRange(range[0], range[1]).build();
  }

  /** A value the model cannot be without but a report can: filled with "" and a warning. */
  private String required(String value, String location, String element) {
    if (value == null || value.isEmpty()) {
      warnings.add(
          Kind.MISSING_ELEMENT, location, "no " + element + "; it was left an empty string");
      return "";
    }
    return value;
  }

  private Instant[] dateRange() throws XMLStreamException {
    String location = location();
    Instant begin = null;
    Instant end = null;
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "begin" -> {
          if (begin != null) {
            once(begin, null);
            skip();
          } else {
            begin = seconds();
          }
        }
        case "end" -> {
          if (end != null) {
            once(end, null);
            skip();
          } else {
            end = seconds();
          }
        }
        default -> unknown();
      }
    }
    if (begin == null || end == null) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT,
          location,
          "the date_range lacks " + (begin == null ? "begin" : "end"));
    }
    if (end.isBefore(begin)) {
      throw new DmarcReportException(
          Reason.BAD_VALUE,
          location,
          "the date_range ends (" + end + ") before it begins (" + begin + ")");
    }
    return new Instant[] {begin, end};
  }

  private Instant seconds() throws XMLStreamException {
    String location = location();
    String t = text();
    Matcher m = SECONDS.matcher(t);
    if (m.matches()) {
      try {
        long s = Long.parseLong(m.group(1));
        if (s <= Instant.MAX.getEpochSecond()) {
          return Instant.ofEpochSecond(s);
        }
      } catch (NumberFormatException e) {
        // too large: refused below
      }
    }
    throw new DmarcReportException(
        Reason.BAD_VALUE, location, "not a time in seconds since the epoch: " + quote(t));
  }

  // RFC 9990 §3.1.5 PolicyPublishedType; RFC 7489 Appendix C
  private PublishedPolicy policy() throws XMLStreamException {
    String location = location();
    String domain = null;
    Optional<DmarcPolicy> p = null;
    Optional<DmarcPolicy> sp = null;
    Optional<DmarcPolicy> np = null;
    Optional<AlignmentMode> adkim = null;
    Optional<AlignmentMode> aspf = null;
    Optional<DiscoveryMethod> discovery = null;
    Optional<Boolean> testing = null;
    String fo = null;
    OptionalInt pct = null;
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "domain" -> domain = onceText(domain);
        case "p" -> p = onceToken(p, DmarcPolicy::fromToken);
        case "sp" -> sp = onceToken(sp, DmarcPolicy::fromToken);
        case "np" -> np = onceToken(np, DmarcPolicy::fromToken);
        case "adkim" -> adkim = onceToken(adkim, ReportXmlParser::alignment);
        case "aspf" -> aspf = onceToken(aspf, ReportXmlParser::alignment);
        case "discovery_method" -> discovery = onceToken(discovery, ReportXmlParser::discovery);
        case "testing" -> testing = onceToken(testing, ReportXmlParser::yesNo);
        case "fo" -> fo = onceText(fo);
        case "pct" -> {
          if (pct != null) {
            once(pct, null);
            skip();
          } else {
            pct = percent();
          }
        }
        default -> unknown();
      }
    }
    if (domain == null || domain.isEmpty()) {
      throw new DmarcReportException(
          Reason.MISSING_ELEMENT, location, "policy_published has no domain");
    }
    return PublishedPolicy.builder(intern(domain))
        .policy(orEmpty(p))
        .subdomainPolicy(orEmpty(sp))
        .nonexistentDomainPolicy(orEmpty(np))
        .dkimAlignment(orEmpty(adkim))
        .spfAlignment(orEmpty(aspf))
        .discoveryMethod(orEmpty(discovery))
        .testing(orEmpty(testing))
        .failureOptions(Optional.ofNullable(fo).filter(s -> !s.isEmpty()))
        .percent(pct == null ? OptionalInt.empty() : pct)
        .build();
  }

  private OptionalInt percent() throws XMLStreamException {
    String location = location();
    String t = text();
    if (DIGITS.matcher(t).matches() && t.length() <= 3 && Integer.parseInt(t) <= 100) {
      return OptionalInt.of(Integer.parseInt(t));
    }
    warnings.add(Kind.BAD_VALUE, location, "pct is not 0 to 100: " + quote(t));
    return OptionalInt.empty();
  }

  private static <T> Optional<T> orEmpty(Optional<T> v) {
    return v == null ? Optional.empty() : v;
  }

  // ---- records, RFC 9990 §3.1.5 RecordType

  /** The parts of a record as they are read, in any order. */
  private static final class RecordParts {
    String sourceIpText;
    InetAddress sourceIp;
    String count;
    Optional<Disposition> disposition;
    Optional<Boolean> dkim;
    Optional<Boolean> spf;
    final List<OverrideReason> reasons = new ArrayList<>();
    String headerFrom;
    String envelopeFrom;
    String envelopeTo;
    boolean row;
    boolean policyEvaluated;
    boolean identifiers;
    boolean authResults;
    final List<DkimAuthResult> dkimResults = new ArrayList<>();
    final List<SpfAuthResult> spfResults = new ArrayList<>();
    final List<ReportExtension> extensions = new ArrayList<>();
  }

  private Optional<ReportRecord> record() throws XMLStreamException {
    String location = location();
    RecordParts parts = new RecordParts();
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "row" -> {
          if (parts.row) {
            once(parts, null);
            skip();
          } else {
            parts.row = true;
            row(parts);
          }
        }
        case "identifiers" -> {
          if (parts.identifiers) {
            once(parts, null);
            skip();
          } else {
            parts.identifiers = true;
            identifiers(parts);
          }
        }
        case "auth_results" -> {
          parts.authResults = true; // a second is read too: its results are added
          authResults(parts);
        }
        case "extensions" -> extensions(parts.extensions);
        default -> parts.extensions.add(extension()); // RFC 9990 Appendix A: xs:any at the end
      }
    }
    return build(parts, location);
  }

  private Optional<ReportRecord> build(RecordParts parts, String location) {
    String why = null;
    if (parts.sourceIpText == null || parts.sourceIpText.isEmpty()) {
      why = "it has no row/source_ip";
    } else if (parts.sourceIp == null) {
      why = "its source_ip " + quote(parts.sourceIpText) + " is not an IP address";
    } else if (parts.count == null || parts.count.isEmpty()) {
      why = "it has no row/count";
    } else if (!DIGITS.matcher(parts.count).matches()) {
      why = "its count " + quote(parts.count) + " is not a number";
    } else if (parts.headerFrom == null || parts.headerFrom.isEmpty()) {
      why = "it has no identifiers/header_from";
    }
    long count = 0;
    if (why == null) {
      try {
        count = Long.parseLong(parts.count);
      } catch (NumberFormatException e) {
        why = "its count " + quote(parts.count) + " is too large";
      }
    }
    if (why != null) {
      warnings.add(Kind.DROPPED_RECORD, location, "the record was dropped: " + why);
      return Optional.empty();
    }
    if (!parts.policyEvaluated) {
      warnings.add(Kind.MISSING_ELEMENT, location, "the record has no row/policy_evaluated");
    }
    if (!parts.authResults) {
      warnings.add(Kind.MISSING_ELEMENT, location, "the record has no auth_results");
    }
    ReportRecord.Builder b =
        ReportRecord.builder(parts.sourceIp, intern(parts.headerFrom))
            .count(count)
            .disposition(orEmpty(parts.disposition))
            .dkimAligned(orEmpty(parts.dkim))
            .spfAligned(orEmpty(parts.spf))
            .envelopeFrom(Optional.ofNullable(parts.envelopeFrom).map(this::intern))
            .envelopeTo(Optional.ofNullable(parts.envelopeTo).map(this::intern));
    parts.reasons.forEach(b::addReason);
    parts.dkimResults.forEach(b::addDkim);
    parts.spfResults.forEach(b::addSpf);
    parts.extensions.forEach(b::addExtension);
    return Optional.of(b.build());
  }

  private void row(RecordParts parts) throws XMLStreamException {
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "source_ip" -> {
          String ip = onceText(parts.sourceIpText);
          if (parts.sourceIpText == null) {
            parts.sourceIpText = ip;
            parts.sourceIp = address(ip);
          }
        }
        case "count" -> parts.count = onceText(parts.count);
        case "policy_evaluated" -> {
          if (parts.policyEvaluated) {
            once(parts, null);
            skip();
          } else {
            parts.policyEvaluated = true;
            policyEvaluated(parts);
          }
        }
        default -> unknown();
      }
    }
  }

  /**
   * An IP address literal, never looked up: the XSDs' patterns for it are wrong (RFC 7489's refuses
   * valid IPv6 forms), so they are not used; Guava's parser is.
   */
  private static InetAddress address(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void policyEvaluated(RecordParts parts) throws XMLStreamException {
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "disposition" ->
            parts.disposition = onceToken(parts.disposition, Disposition::fromToken);
        case "dkim" -> parts.dkim = onceToken(parts.dkim, ReportXmlParser::passFail);
        case "spf" -> parts.spf = onceToken(parts.spf, ReportXmlParser::passFail);
        case "reason" -> reason(parts);
        default -> unknown();
      }
    }
    if (parts.disposition == null) {
      warn(Kind.MISSING_ELEMENT, "policy_evaluated has no disposition");
    }
  }

  private void reason(RecordParts parts) throws XMLStreamException {
    String location = location();
    Optional<OverrideType> type = null;
    String comment = null;
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "type" -> type = onceToken(type, OverrideType::fromToken);
        case "comment" -> comment = onceText(comment);
        default -> unknown();
      }
    }
    if (type == null) {
      warnings.add(Kind.MISSING_ELEMENT, location, "a reason without a type was left out");
    } else if (type.isPresent()) {
      parts.reasons.add(
          comment == null || comment.isEmpty()
              ? OverrideReason.of(type.get())
              : OverrideReason.of(type.get(), comment));
    }
  }

  private void identifiers(RecordParts parts) throws XMLStreamException {
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "header_from" -> parts.headerFrom = onceText(parts.headerFrom);
        case "envelope_from" -> parts.envelopeFrom = emptyToNull(onceText(parts.envelopeFrom));
        case "envelope_to" -> parts.envelopeTo = emptyToNull(onceText(parts.envelopeTo));
        default -> unknown();
      }
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private void authResults(RecordParts parts) throws XMLStreamException {
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "dkim" -> dkimResult().ifPresent(parts.dkimResults::add);
        case "spf" -> spfResult().ifPresent(parts.spfResults::add);
        default -> unknown();
      }
    }
  }

  private Optional<DkimAuthResult> dkimResult() throws XMLStreamException {
    String location = location();
    String domain = null;
    String selector = null;
    Optional<DkimResult> result = null;
    String human = null;
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "domain" -> domain = onceText(domain);
        case "selector" -> selector = onceText(selector);
        case "result" -> result = onceToken(result, ReportXmlParser::dkimToken);
        case "human_result" -> human = onceText(human);
        default -> unknown();
      }
    }
    if (domain == null || domain.isEmpty() || result == null) {
      warnings.add(
          Kind.MISSING_ELEMENT,
          location,
          "a DKIM result without " + (result == null ? "result" : "domain") + " was left out");
      return Optional.empty();
    }
    if (result.isEmpty()) {
      return Optional.empty(); // warned as an unknown value
    }
    return Optional.of(
        DkimAuthResult.of(
            intern(domain),
            Optional.ofNullable(selector).filter(s -> !s.isEmpty()).map(this::intern),
            result.get(),
            Optional.ofNullable(human).filter(s -> !s.isEmpty())));
  }

  private Optional<SpfAuthResult> spfResult() throws XMLStreamException {
    String location = location();
    String domain = null;
    Optional<SpfScope> scope = null;
    Optional<SpfReportResult> result = null;
    String human = null;
    String name;
    while ((name = child()) != null) {
      switch (name) {
        case "domain" -> domain = onceText(domain);
        case "scope" -> scope = onceToken(scope, SpfScope::fromToken);
        case "result" -> result = onceToken(result, SpfReportResult::fromToken);
        case "human_result" -> human = onceText(human);
        default -> unknown();
      }
    }
    if (domain == null || result == null) {
      warnings.add(
          Kind.MISSING_ELEMENT,
          location,
          "an SPF result without " + (result == null ? "result" : "domain") + " was left out");
      return Optional.empty();
    }
    if (result.isEmpty()) {
      return Optional.empty();
    }
    // An empty domain is kept: RFC 7489 reporters write <domain></domain> for a null MAIL FROM.
    return Optional.of(
        SpfAuthResult.of(
            intern(domain),
            orEmpty(scope),
            result.get(),
            Optional.ofNullable(human).filter(s -> !s.isEmpty())));
  }

  // ---- tokens, ignoring case

  private static Optional<AlignmentMode> alignment(String t) {
    String s = lower(t);
    if (s.equals("r") || s.equals("relaxed")) {
      return Optional.of(AlignmentMode.RELAXED);
    }
    if (s.equals("s") || s.equals("strict")) {
      return Optional.of(AlignmentMode.STRICT);
    }
    return Optional.empty();
  }

  private static Optional<DiscoveryMethod> discovery(String t) {
    for (DiscoveryMethod m : DiscoveryMethod.values()) {
      if (m.token().equalsIgnoreCase(t)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static Optional<Boolean> yesNo(String t) {
    String s = lower(t);
    if (s.equals("y") || s.equals("yes") || s.equals("true")) {
      return Optional.of(true);
    }
    if (s.equals("n") || s.equals("no") || s.equals("false")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  private static Optional<Boolean> passFail(String t) {
    String s = lower(t);
    if (s.equals("pass")) {
      return Optional.of(true);
    }
    if (s.equals("fail")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  private static Optional<DkimResult> dkimToken(String t) {
    for (DkimResult d : DkimResult.values()) {
      if (d.token().equalsIgnoreCase(t)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
