package org.mailauth4j.dmarc.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mailauth4j.dmarc.report.DmarcReportException.quote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import org.mailauth4j.dmarc.report.BoundedReportInput.Refused;
import org.mailauth4j.dmarc.report.BoundedReportInput.Source;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport.Packing;
import org.mailauth4j.dmarc.report.ReportWarning.Kind;

/**
 * Reads one report e-mail (RFC 9990 §3.5) with mime4j's token stream, streamed: the Subject, the
 * report part, and the comparison of the two with the report. Embedded messages ({@code
 * message/rfc822}) are not entered. One instance reads one message; not thread-safe.
 */
final class ReportMailParser {
  /**
   * The longest Subject decoded: RFC 5322 §2.1.1's 998-character line, twice over for folding.
   * Decoding encoded words costs more than linear time in mime4j, so only this much is decoded.
   */
  static final int MAX_SUBJECT_CHARS = 2 * 998;

  /** Header fields longer than this are refused by mime4j; report e-mails have short ones. */
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Header fields per entity. */
  private static final int MAX_HEADER_FIELDS = 1_000;

  private static final String[] SUBJECT_LABELS = {"report domain:", "submitter:", "report-id:"};

  private final AggregateReportReader reader;
  private final Source message;

  private Optional<String> subject = Optional.empty();
  private Optional<String> entityFilename = Optional.empty();
  private boolean topHeader = true;
  private final List<ReportWarning> findings = new ArrayList<>();

  ReportMailParser(AggregateReportReader reader, Source message) {
    this.reader = reader;
    this.message = message;
  }

  ReceivedAggregateReport read() {
    MimeConfig config =
        MimeConfig.custom()
            .setMaxLineLen(-1) // an XML part may be one long line; the message size bounds it
            .setMaxHeaderLen(MAX_HEADER_BYTES)
            .setMaxHeaderCount(MAX_HEADER_FIELDS)
            .setMaxContentLen(reader.maxMessageBytes())
            .build();
    MimeTokenStream stream = new MimeTokenStream(config);
    stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
    stream.parse(message);
    int depth = 0;
    int parts = 0;
    Part primary = null;
    Part fallback = null;
    DmarcReportException fallbackFailure = null;
    int reportParts = 0;
    try {
      for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
        switch (s) {
          case T_START_MULTIPART:
            if (++depth > reader.maxMessageDepth()) {
              throw new DmarcReportException(
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
              throw new DmarcReportException(
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
                primary = readPart(stream, type);
              }
            } else if (rank == 2 && primary == null && fallback == null) {
              try {
                fallback = readPart(stream, type);
              } catch (DmarcReportException e) {
                fallbackFailure = e; // perhaps some other attachment: look further
              }
            }
            break;
          default:
            break;
        }
      }
    } catch (MimeException e) {
      throw malformed(e);
    } catch (IOException e) {
      if (e instanceof Refused refused) {
        throw refused.refusal;
      }
      throw AggregateReportReader.translate(e, null);
    }
    Part part = primary != null ? primary : fallback;
    if (part == null) {
      if (fallbackFailure != null) {
        throw fallbackFailure;
      }
      throw new DmarcReportException(
          Reason.NO_REPORT_IN_MESSAGE,
          null,
          "no part of a report's media type (application/gzip, application/zip, text/xml, ...),"
              + " nor a .xml, .gz or .zip attachment");
    }
    if (reportParts > 1) {
      findings.add(
          finding(
              Kind.SEVERAL_REPORT_PARTS,
              "the message has " + reportParts + " report parts; the first was read"));
    }
    Optional<String> domain = subject.flatMap(s -> subjectValue(s, 0));
    Optional<String> submitter = subject.flatMap(s -> subjectValue(s, 1));
    Optional<String> id = subject.flatMap(s -> subjectValue(s, 2));
    AggregateReport report = part.read.report();
    // RFC 9990 §3.5.2: the subject names the policy domain and the report id; the XML wins.
    if (domain.isPresent() && !domain(domain.get()).equals(domain(report.policy().domain()))) {
      findings.add(
          finding(
              Kind.SUBJECT_MISMATCH,
              "the subject's report domain "
                  + quote(domain.get())
                  + " is not the report's policy domain "
                  + quote(report.policy().domain())));
    }
    if (id.isPresent()
        && !stripAngles(id.get()).equals(stripAngles(report.metadata().reportId()))) {
      findings.add(
          finding(
              Kind.SUBJECT_MISMATCH,
              "the subject's report id "
                  + quote(id.get())
                  + " is not the report's "
                  + quote(report.metadata().reportId())));
    }
    part.filename.ifPresent(f -> compareFilename(f, report));
    return part.read.inMessage(
        part.filename, part.mediaType, subject, domain, submitter, id, findings);
  }

  private static ReportWarning finding(Kind kind, String detail) {
    return ReportWarning.of(kind, Optional.empty(), detail);
  }

  private static DmarcReportException malformed(Exception e) {
    return new DmarcReportException(
        Reason.MALFORMED_MESSAGE,
        null,
        "the message is not MIME within the limits: " + quote(String.valueOf(e.getMessage())),
        e);
  }

  /** A report part that was read. */
  private static final class Part {
    final ReceivedAggregateReport read;
    final String mediaType;
    final Optional<String> filename;

    Part(ReceivedAggregateReport read, String mediaType, Optional<String> filename) {
      this.read = read;
      this.mediaType = mediaType;
      this.filename = filename;
    }
  }

  private Part readPart(MimeTokenStream stream, String type) throws IOException {
    ReceivedAggregateReport read =
        reader.readStream(new PartStream(stream.getDecodedInputStream()));
    String name = lower(entityFilename.orElse(""));
    Packing says = null;
    if (type.contains("gzip") || name.endsWith(".gz")) {
      says = Packing.GZIP;
    } else if (type.contains("zip") || name.endsWith(".zip")) {
      says = Packing.ZIP;
    } else if (type.endsWith("xml") || name.endsWith(".xml")) {
      says = Packing.XML;
    }
    if (says != null && says != read.packing()) {
      findings.add(
          finding(
              Kind.MEDIA_TYPE_MISMATCH,
              "the part is declared "
                  + quote(type)
                  + entityFilename.map(f -> " named " + quote(f)).orElse("")
                  + " but holds "
                  + read.packing().name().toLowerCase(Locale.ROOT)));
    }
    return new Part(read, type, entityFilename);
  }

  /**
   * A part's decoded bytes: mime4j's own failures inside it (a limit, a broken encoding) are the
   * message's fault, not the report's, and the caller's stream's failures stay theirs.
   */
  private static final class PartStream extends FilterInputStream {
    PartStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return super.available();
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    @Override
    public void close() {
      // mime4j moves past the rest of the part itself
    }

    private static IOException wrap(IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof IOException io && BoundedReportInput.ours(io)) {
          return io;
        }
        if (t.getCause() == t) {
          break;
        }
      }
      return new Refused(malformed(e));
    }
  }

  /**
   * 1 for the media types reports are sent as, 2 for another type with a report's file name, 0 for
   * the rest.
   */
  private static int rank(String type, Optional<String> filename) {
    switch (type) {
      case "application/gzip":
      case "application/x-gzip":
      case "application/zip":
      case "application/x-zip-compressed":
      case "application/x-zip":
      case "text/xml":
      case "application/xml":
        return 1;
      default:
        if (type.startsWith("multipart/") || type.startsWith("message/")) {
          return 0;
        }
        String name = lower(filename.orElse(""));
        return name.endsWith(".xml") || name.endsWith(".gz") || name.endsWith(".zip") ? 2 : 0;
    }
  }

  private void field(Field field) throws MimeException {
    String name = lower(field.getName());
    if (topHeader && name.equals("subject")) {
      // RFC 5322 §3.6 allows one Subject: later ones are ignored. Only a bounded prefix is
      // decoded, once, since mime4j's encoded-word decoding is superlinear.
      if (subject.isEmpty()) {
        String raw = unfold(text(field)).trim();
        if (raw.length() > MAX_SUBJECT_CHARS) {
          raw = raw.substring(0, MAX_SUBJECT_CHARS);
        }
        subject = Optional.of(DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT).trim());
      }
      return;
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

  /**
   * A field of the subject (RFC 9990 §3.5.2: {@code Report Domain: <d> Submitter: <s> Report-ID:
   * <id>}): the text after its label up to the next label, trimmed, without the separators and
   * brackets reporters add ({@code ;}, {@code {}}, {@code <>}).
   */
  static Optional<String> subjectValue(String subject, int label) {
    String lower = lower(subject);
    int at = lower.indexOf(SUBJECT_LABELS[label]);
    if (at < 0) {
      return Optional.empty();
    }
    int start = at + SUBJECT_LABELS[label].length();
    int end = subject.length();
    for (String other : SUBJECT_LABELS) {
      int next = lower.indexOf(other, start);
      if (next >= 0 && next < end) {
        end = next;
      }
    }
    String v = subject.substring(start, end).trim();
    if (v.startsWith("{") && v.indexOf('}') > 0) {
      v =
          v.substring(
              0, v.indexOf('}') + 1); // Amazon SES: {stalw.art} ... {Amazon SES} Date: {...}
    }
    while (!v.isEmpty() && (v.endsWith(";") || v.endsWith(","))) {
      v = v.substring(0, v.length() - 1).trim();
    }
    if (v.length() >= 2
        && (v.startsWith("{") && v.endsWith("}") || v.startsWith("<") && v.endsWith(">"))) {
      v = v.substring(1, v.length() - 1).trim();
    }
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** RFC 9990 §3.5.1: {@code receiver!policy-domain!begin!end[!unique-id].xml[.gz]}. */
  private void compareFilename(String filename, AggregateReport report) {
    String base = filename;
    boolean cut = true;
    while (cut) {
      cut = false;
      for (String suffix : new String[] {".gz", ".zip", ".xml"}) {
        if (lower(base).endsWith(suffix)) {
          base = base.substring(0, base.length() - suffix.length());
          cut = true;
        }
      }
    }
    String[] fields = base.split("!", -1);
    if (fields.length < 4) {
      return; // not the recommended form: nothing to compare
    }
    if (!domain(fields[1]).equals(domain(report.policy().domain()))) {
      mismatch("policy domain", fields[1], report.policy().domain());
    }
    String begin = Long.toString(report.metadata().begin().getEpochSecond());
    String end = Long.toString(report.metadata().end().getEpochSecond());
    if (!fields[2].equals(begin)) {
      mismatch("begin time", fields[2], begin);
    }
    if (!fields[3].equals(end)) {
      mismatch("end time", fields[3], end);
    }
  }

  private void mismatch(String what, String value, String report) {
    findings.add(
        finding(
            Kind.FILENAME_MISMATCH,
            "the file name's "
                + what
                + " "
                + quote(value)
                + " is not the report's "
                + quote(report)));
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
