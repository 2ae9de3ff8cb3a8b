package org.mailauth4j.dmarc.report;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The StAX side of {@link AggregateReportXml}: one instance writes one document. The rules of each
 * form are in {@link AggregateReportXml}'s Javadoc; this class applies them in the XSDs' order.
 */
final class ReportXmlWriter {
  // The JDK's own factories, not whatever provider is on the class path: the bytes must not depend
  // on it (golden files), and the reader must be the one configured below. Shared: with
  // reuse-instance off (the default) each call makes a new reader or writer.
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();
  private static final XMLInputFactory INPUT = secureInput();

  // xs:decimal's lexical space (XML Schema 1.1 Part 2 §3.3.3)
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  private final XMLStreamWriter w;
  private final ReportFormat format;
  private final boolean rfc9990;
  private int depth;
  private boolean childless; // the element opened last has no child yet

  private ReportXmlWriter(XMLStreamWriter w, ReportFormat format) {
    this.w = w;
    this.format = format;
    this.rfc9990 = format == ReportFormat.RFC9990;
  }

  private static XMLInputFactory secureInput() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /**
   * Refuses a report that lacks what the form requires and has no default for, before a byte is
   * written, so that a caller's stream never receives half a document.
   */
  static void checkComplete(AggregateReport report, ReportFormat format) {
    String form = format == ReportFormat.RFC9990 ? "RFC 9990" : "RFC 7489";
    if (report.records().isEmpty()) {
      // both XSDs: record minOccurs=1
      throw missing(form, "record", "a report has at least one record");
    }
    report
        .version()
        .filter(v -> !DECIMAL.matcher(v).matches())
        .ifPresent(
            v -> {
              throw new IllegalArgumentException(
                  "version " + quote(v) + " is not an xs:decimal, as the " + form + " XSD wants");
            });
    if (report.policy().policy().isEmpty()) {
      throw missing(form, "policy_published/p", "the report has no published policy");
    }
    List<ReportRecord> records = report.records();
    for (int i = 0; i < records.size(); i++) {
      ReportRecord r = records.get(i);
      String where = "record " + i + " (" + r.sourceIp().getHostAddress() + ")";
      if (r.disposition().isEmpty()) {
        throw missing(form, "policy_evaluated/disposition", where);
      }
      if (r.dkimAligned().isEmpty()) {
        throw missing(form, "policy_evaluated/dkim", where);
      }
      if (r.spfAligned().isEmpty()) {
        throw missing(form, "policy_evaluated/spf", where);
      }
      if (format == ReportFormat.RFC9990) {
        for (DkimAuthResult d : r.dkim()) {
          if (d.selector().isEmpty()) {
            // RFC 9990 XSD DKIMAuthResultType: selector minOccurs=1
            throw missing(form, "auth_results/dkim/selector", where + ", d=" + d.domain());
          }
        }
      }
    }
  }

  private static IllegalArgumentException missing(String form, String element, String where) {
    return new IllegalArgumentException(
        "cannot write the " + form + " form: " + element + " is required (" + where + ")");
  }

  private static String quote(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return "\"" + xmlText(cut) + "\"";
  }

  static void write(AggregateReport report, ReportFormat format, OutputStream out) {
    try {
      XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
      new ReportXmlWriter(w, format).document(report);
      w.flush();
      w.close(); // StAX: does not close the underlying stream
      out.flush();
    } catch (XMLStreamException e) {
      throw unchecked(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RuntimeException unchecked(XMLStreamException e) {
    // the JDK's writer reports a failing stream as an XMLStreamException around the IOException
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return new UncheckedIOException(io);
      }
    }
    return new UncheckedIOException(new IOException("cannot write report XML", e));
  }

  private void document(AggregateReport report) throws XMLStreamException {
    w.writeStartDocument("UTF-8", "1.0");
    w.writeCharacters("\n");
    w.writeStartElement("", "feedback", format.namespace());
    w.writeDefaultNamespace(format.namespace());
    depth++;
    if (rfc9990) {
      // RFC 9990 XSD feedback: version? report_metadata policy_published extension? record+
      Optional<String> version = report.version();
      if (version.isPresent()) {
        leaf("version", version.get());
      }
    } else {
      // RFC 7489 Appendix C: version is required
      leaf("version", report.version().orElse("1.0"));
    }
    metadata(report.metadata());
    policy(report.policy());
    if (rfc9990 && !report.extensions().isEmpty()) {
      // RFC 9990 XSD ExtensionType: one extension element holds them all
      open("extension");
      for (ReportExtension e : report.extensions()) {
        extension(e);
      }
      close();
    }
    for (ReportRecord r : report.records()) {
      record(r);
    }
    close();
    w.writeCharacters("\n");
    w.writeEndDocument();
  }

  private void metadata(ReportMetadata m) throws XMLStreamException {
    open("report_metadata");
    leaf("org_name", m.organizationName());
    leaf("email", m.email());
    optional("extra_contact_info", m.extraContactInfo());
    leaf("report_id", m.reportId());
    open("date_range");
    leaf("begin", Long.toString(m.begin().getEpochSecond()));
    leaf("end", Long.toString(m.end().getEpochSecond()));
    close();
    if (rfc9990) {
      // RFC 9990 XSD ReportMetadataType: error maxOccurs=1
      if (!m.errors().isEmpty()) {
        leaf("error", String.join("; ", m.errors()));
      }
      optional("generator", m.generator());
    } else {
      for (String error : m.errors()) {
        leaf("error", error);
      }
    }
    close();
  }

  private void policy(PublishedPolicy p) throws XMLStreamException {
    open("policy_published");
    leaf("domain", p.domain());
    if (rfc9990) {
      leaf("p", p.policy().orElseThrow().token());
      optional("sp", p.subdomainPolicy().map(v -> v.token()));
      optional("np", p.nonexistentDomainPolicy().map(v -> v.token()));
      optional("adkim", p.dkimAlignment().map(v -> v.token()));
      optional("aspf", p.spfAlignment().map(v -> v.token()));
      optional("discovery_method", p.discoveryMethod().map(v -> v.token()));
      optional("fo", p.failureOptions());
      optional("testing", p.testing().map(t -> t ? "y" : "n"));
    } else {
      optional("adkim", p.dkimAlignment().map(v -> v.token()));
      optional("aspf", p.spfAlignment().map(v -> v.token()));
      leaf("p", p.policy().orElseThrow().token());
      optional("sp", p.subdomainPolicy().map(v -> v.token()));
      // RFC 7489 §6.3: pct defaults to 100; the Appendix C XSD requires the element
      leaf("pct", Integer.toString(p.percent().orElse(100)));
      optional("fo", p.failureOptions());
    }
    close();
  }

  private void record(ReportRecord r) throws XMLStreamException {
    open("record");
    open("row");
    leaf("source_ip", address(r.sourceIp()));
    leaf("count", Long.toString(r.count()));
    open("policy_evaluated");
    Disposition d = r.disposition().orElseThrow();
    // RFC 7489's DispositionType has no pass: RFC 9990's "pass" is "no action" as well
    leaf("disposition", !rfc9990 && d == Disposition.PASS ? "none" : d.token());
    leaf("dkim", r.dkimAligned().orElseThrow() ? "pass" : "fail");
    leaf("spf", r.spfAligned().orElseThrow() ? "pass" : "fail");
    for (OverrideReason reason : r.reasons()) {
      reason(reason);
    }
    close();
    close();
    open("identifiers");
    if (rfc9990) {
      leaf("header_from", r.headerFrom());
      optional("envelope_from", r.envelopeFrom());
      optional("envelope_to", r.envelopeTo());
    } else {
      optional("envelope_to", r.envelopeTo());
      // the Appendix C XSD requires envelope_from; without a MAIL FROM domain it is empty
      leaf("envelope_from", r.envelopeFrom().orElse(""));
      leaf("header_from", r.headerFrom());
    }
    close();
    open("auth_results");
    for (DkimAuthResult dkim : r.dkim()) {
      dkim(dkim);
    }
    spf(r);
    close();
    if (rfc9990) {
      // RFC 9990 XSD RecordType: record-level extensions follow auth_results
      for (ReportExtension e : r.extensions()) {
        extension(e);
      }
    }
    close();
  }

  private void reason(OverrideReason reason) throws XMLStreamException {
    OverrideType type = reason.type();
    boolean inForm = rfc9990 ? type.inRfc9990() : type.inRfc7489();
    open("reason");
    if (inForm) {
      leaf("type", type.token());
      optional("comment", reason.comment());
    } else {
      // a type the form lacks is "other", with the original type leading the comment
      leaf("type", OverrideType.OTHER.token());
      leaf("comment", type.token() + reason.comment().map(c -> ": " + c).orElse(""));
    }
    close();
  }

  private void dkim(DkimAuthResult dkim) throws XMLStreamException {
    open("dkim");
    leaf("domain", dkim.domain());
    optional("selector", dkim.selector()); // present in RFC 9990, see checkComplete
    leaf("result", dkim.result().token());
    optional("human_result", dkim.humanResult());
    close();
  }

  private void spf(ReportRecord r) throws XMLStreamException {
    List<SpfAuthResult> results = r.spf();
    if (rfc9990) {
      if (results.isEmpty()) {
        return;
      }
      // RFC 9990 XSD AuthResultType: spf maxOccurs=1, scope mfrom only
      SpfAuthResult spf =
          results.stream()
              .filter(s -> s.scope().isEmpty() || s.scope().get() == SpfScope.MFROM)
              .findFirst()
              .orElse(results.get(0));
      boolean helo = spf.scope().isPresent() && spf.scope().get() == SpfScope.HELO;
      open("spf");
      leaf("domain", spf.domain());
      if (!helo) {
        optional("scope", spf.scope().map(SpfScope::token));
      }
      leaf("result", spf.result().token());
      optional(
          "human_result",
          helo
              ? Optional.of("scope=helo" + spf.humanResult().map(h -> "; " + h).orElse(""))
              : spf.humanResult());
      close();
      return;
    }
    if (results.isEmpty()) {
      // RFC 7489 Appendix C: "There will always be at least one SPF result"; with none in the
      // model, SPF had no domain to check, which is RFC 7208's none
      open("spf");
      leaf("domain", r.envelopeFrom().orElse(""));
      leaf("scope", SpfScope.MFROM.token());
      leaf("result", SpfReportResult.NONE.token());
      close();
      return;
    }
    for (SpfAuthResult spf : results) {
      open("spf");
      leaf("domain", spf.domain());
      leaf("scope", spf.scope().orElse(SpfScope.MFROM).token());
      // RFC 7489's SPFResultType has no policy (RFC 8601 §2.7.2): the receiver did not accept it
      SpfReportResult result =
          spf.result() == SpfReportResult.POLICY ? SpfReportResult.FAIL : spf.result();
      leaf("result", result.token());
      close();
    }
  }

  /** RFC 9990: RFC 5952 text for IPv6; RFC 7489: all eight groups (errata 5221). */
  private String address(InetAddress ip) {
    if (ip instanceof Inet4Address) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    if (rfc9990) {
      try {
        // without the scope (a zone means nothing to the report's reader)
        return InetAddresses.toAddrString(InetAddress.getByAddress(b));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // 16 bytes always make an address
      }
    }
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        s.append(':');
      }
      s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
    }
    return s.toString();
  }

  // --- extensions ---

  /**
   * Copies one extension element event by event. Namespaces are declared as the extension declares
   * them; an element in no namespace gets {@code xmlns=""} where the report's namespace would
   * otherwise be the default.
   */
  private void extension(ReportExtension extension) throws XMLStreamException {
    indent();
    XMLStreamReader r = INPUT.createXMLStreamReader(new StringReader(extension.xml()));
    try {
      Deque<String> defaults = new ArrayDeque<>();
      defaults.push(format.namespace());
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.START_ELEMENT -> {
            String prefix = nonNull(r.getPrefix());
            String namespace = nonNull(r.getNamespaceURI());
            w.writeStartElement(prefix, r.getLocalName(), namespace);
            String inScope = defaults.peek();
            for (int i = 0; i < r.getNamespaceCount(); i++) {
              String p = nonNull(r.getNamespacePrefix(i));
              String uri = nonNull(r.getNamespaceURI(i));
              if (p.isEmpty()) {
                w.writeDefaultNamespace(uri);
                inScope = uri;
              } else {
                w.writeNamespace(p, uri);
              }
            }
            if (prefix.isEmpty() && namespace.isEmpty() && !inScope.isEmpty()) {
              w.writeDefaultNamespace("");
              inScope = "";
            }
            defaults.push(inScope);
            for (int i = 0; i < r.getAttributeCount(); i++) {
              String uri = nonNull(r.getAttributeNamespace(i));
              if (uri.isEmpty()) {
                w.writeAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
              } else {
                w.writeAttribute(
                    nonNull(r.getAttributePrefix(i)),
                    uri,
                    r.getAttributeLocalName(i),
                    r.getAttributeValue(i));
              }
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            defaults.pop();
            w.writeEndElement();
          }
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (defaults.size() > 1) {
              w.writeCharacters(r.getText());
            }
          }
          case XMLStreamConstants.COMMENT -> {
            if (defaults.size() > 1) {
              w.writeComment(r.getText());
            }
          }
          case XMLStreamConstants.PROCESSING_INSTRUCTION -> {
            if (defaults.size() > 1) {
              w.writeProcessingInstruction(r.getPITarget(), nonNull(r.getPIData()));
            }
          }
          case XMLStreamConstants.START_DOCUMENT, XMLStreamConstants.END_DOCUMENT -> {}
          default ->
              // ReportExtension.of refuses DTDs and entity references; nothing else can occur
              throw new IllegalStateException("unexpected event " + event + " in an extension");
        }
      }
    } finally {
      r.close();
    }
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  // --- layout ---

  private void indent() throws XMLStreamException {
    w.writeCharacters("\n" + "  ".repeat(depth));
    childless = false;
  }

  private void open(String name) throws XMLStreamException {
    indent();
    w.writeStartElement("", name, format.namespace());
    depth++;
    childless = true;
  }

  private void close() throws XMLStreamException {
    depth--;
    if (!childless) {
      indent();
    }
    childless = false;
    w.writeEndElement();
  }

  private void leaf(String name, String text) throws XMLStreamException {
    indent();
    w.writeStartElement("", name, format.namespace());
    w.writeCharacters(xmlText(text));
    w.writeEndElement();
  }

  private void optional(String name, Optional<String> text) throws XMLStreamException {
    if (text.isPresent()) {
      leaf(name, text.get());
    }
  }

  /**
   * Makes text XML 1.0 can carry (§2.2 Char): every other code point, and every lone surrogate,
   * becomes U+FFFD, and CR LF or a lone CR becomes LF (§2.11, what a reader would see). StAX
   * escapes {@code <}, {@code &} and {@code >}, so {@code ]]>} needs nothing here.
   */
  static String xmlText(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && plain(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder b = new StringBuilder(n).append(s, 0, i);
    while (i < n) {
      char c = s.charAt(i);
      if (plain(c)) {
        b.append(c);
        i++;
      } else if (c == '\r') {
        b.append('\n');
        i += i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(i + 1)); // U+10000 to U+10FFFF are Chars
        i += 2;
      } else {
        b.append('\uFFFD');
        i++;
      }
    }
    return b.toString();
  }

  /** A char that is an XML 1.0 Char on its own and needs no change. */
  private static boolean plain(char c) {
    return (c >= 0x20 && c < 0xD800) || c == '\n' || c == '\t' || (c >= 0xE000 && c <= 0xFFFD);
  }
}
