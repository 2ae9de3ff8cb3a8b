package org.mailauth4j.dmarc.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.mailauth4j.dmarc.report.BoundedReportInput.CorruptData;
import org.mailauth4j.dmarc.report.BoundedReportInput.Expansion;
import org.mailauth4j.dmarc.report.BoundedReportInput.Inflated;
import org.mailauth4j.dmarc.report.BoundedReportInput.Refused;
import org.mailauth4j.dmarc.report.BoundedReportInput.Source;
import org.mailauth4j.dmarc.report.DmarcReportException.Reason;
import org.mailauth4j.dmarc.report.ReceivedAggregateReport.Packing;
import org.mailauth4j.dmarc.report.ReportWarning.Kind;

/**
 * Reads the report out of a zip archive, streamed entry by entry from the local headers (the
 * central directory at the end is never needed, so the archive is not held). The first entry named
 * {@code *.xml}, or failing a name, whose data starts as XML does, is the report; other entries are
 * read through and skipped with a warning, their bytes counted with the report's against the
 * decompressed size and ratio limits. Every entry is checked: at most {@code maxZipEntries}, no
 * unsafe name (zip slip: {@code ..}, absolute, a drive, a backslash), no archive inside. One
 * instance reads one archive.
 */
final class ReportInputZip {
  private static final String[] ARCHIVE_SUFFIXES = {
    ".zip", ".gz", ".gzip", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".z", ".zst"
  };

  private final AggregateReportReader reader;
  private final Source source;

  ReportInputZip(AggregateReportReader reader, Source source) {
    this.reader = reader;
    this.source = source;
  }

  ReceivedAggregateReport read() throws IOException {
    ZipInputStream zip = new ZipInputStream(source);
    Expansion expansion =
        new Expansion(source, reader.maxXmlBytes(), reader.maxCompressionRatio(), "the zip data");
    ReportXmlParser.Warnings warnings = new ReportXmlParser.Warnings(reader.maxWarnings());
    ReportXmlParser.Parsed parsed = null;
    String reportEntry = null;
    int entries = 0;
    byte[] drain = new byte[8192];
    while (true) {
      ZipEntry entry;
      try {
        entry = zip.getNextEntry();
      } catch (IOException e) {
        throw BoundedReportInput.ours(e) ? e : new CorruptData(e);
      } catch (IllegalArgumentException e) {
        // ZipInputStream's way of saying an entry name flagged UTF-8 is not UTF-8
        throw new CorruptData(new java.util.zip.ZipException("an entry name: " + e.getMessage()));
      }
      if (entry == null) {
        break;
      }
      if (++entries > reader.maxZipEntries()) {
        throw new DmarcReportException(
            Reason.TOO_MANY_ITEMS,
            null,
            "the zip archive has more entries than the limit of " + reader.maxZipEntries());
      }
      String name = entry.getName();
      checkName(name);
      if (entry.isDirectory()) {
        continue;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      for (String suffix : ARCHIVE_SUFFIXES) {
        if (lower.endsWith(suffix)) {
          throw nested("the zip entry " + DmarcReportException.quote(name) + " is an archive");
        }
      }
      PushbackInputStream data = new PushbackInputStream(new Inflated(zip, expansion), 8);
      byte[] head = data.readNBytes(8);
      data.unread(head);
      if (AggregateReportReader.isGzip(head) || AggregateReportReader.isZip(head)) {
        throw nested("the zip entry " + DmarcReportException.quote(name) + " holds an archive");
      }
      if (parsed == null && (lower.endsWith(".xml") || looksLikeXml(head))) {
        parsed = reader.parseXml(data, warnings);
        reportEntry = name;
      } else {
        warnings.add(
            Kind.IGNORED_ENTRY,
            null,
            "the zip entry "
                + DmarcReportException.quote(name)
                + (parsed == null ? " holds no report" : " was not read: the report was read from ")
                + (parsed == null ? "" : DmarcReportException.quote(reportEntry)));
      }
      // Read the rest through the counter: ZipInputStream would inflate it uncounted.
      InputStream rest = new Inflated(zip, expansion);
      while (rest.read(drain) >= 0) {
        // counted and discarded
      }
    }
    if (parsed == null) {
      throw new DmarcReportException(
          Reason.NOT_A_REPORT,
          null,
          entries == 0 ? "the zip archive is empty" : "the zip archive has no XML entry");
    }
    return new ReceivedAggregateReport(
        parsed.report, parsed.namespace, Packing.ZIP, Optional.of(reportEntry), warnings.list());
  }

  /** Zip slip and the like: a name that would leave the folder it is extracted to. */
  private static void checkName(String name) throws Refused {
    boolean unsafe =
        name.isEmpty()
            || name.startsWith("/")
            || name.contains("\\")
            || name.contains("\0")
            || (name.length() >= 2 && name.charAt(1) == ':')
            || ("/" + name + "/").contains("/../");
    if (unsafe) {
      throw nested("the zip entry name " + DmarcReportException.quote(name) + " is unsafe");
    }
  }

  /** Starts, after an optional byte order mark and white space, with {@code <}. */
  private static boolean looksLikeXml(byte[] head) {
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB) {
      i = 3;
    }
    while (i < head.length
        && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
      i++;
    }
    return i < head.length && head[i] == '<';
  }

  private static Refused nested(String detail) {
    return new Refused(new DmarcReportException(Reason.NESTED_ARCHIVE, null, detail));
  }
}
