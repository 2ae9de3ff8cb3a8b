package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.DmarcRecordFinding;
import org.mailauth4j.dmarc.DmarcSyntaxException;
import org.mailauth4j.dmarc.ReportUri;

/**
 * {@link DmarcRecord#parse} on any TXT text, and {@link ReportUri#parse} on any rua element: what
 * they accept reads back equal from its text, and a record is refused exactly when {@link
 * DmarcRecord#isDmarcRecord} says it is none.
 */
class DmarcRecordFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          DmarcRecord record =
              Contract.parseOrNull(DmarcSyntaxException.class, () -> DmarcRecord.parse(text));
          boolean isRecord = DmarcRecord.isDmarcRecord(text);
          if (record == null) {
            check(!isRecord, "isDmarcRecord says yes, but parse refused: " + text);
            return;
          }
          check(isRecord, "parsed, but isDmarcRecord says no: " + text);
          String written = record.text();
          DmarcRecord again = DmarcRecord.parse(written);
          assertEqual("parse(text())", record, again);
          assertEqual("text() is stable", written, again.text());
          check(again.hasUsablePolicy() == record.hasUsablePolicy(), "hasUsablePolicy changed");
          check(
              record.findings().size() <= 2 * DmarcRecord.MAX_FINDINGS_PER_KIND + 1,
              "too many problems: " + record.findings().size());
          for (DmarcRecordFinding p : record.findings()) {
            check(p.position() <= text.length(), "problem outside the text: " + p);
          }
          check(record.aggregateReportUris().size() <= DmarcRecord.MAX_URIS, "rua over limit");
          check(!record.failureOptions().isEmpty(), "no failure options");
          check(record.percent() >= 0 && record.percent() <= 100, "pct " + record.percent());
          for (DmarcProfile profile : DmarcProfile.values()) {
            check(record.lint(profile).size() >= record.findings().size(), "lint lost problems");
          }
        });
  }

  @FuzzTarget
  void parseReportUri(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          ReportUri uri =
              Contract.parseOrNull(DmarcSyntaxException.class, () -> ReportUri.parse(text));
          if (uri == null) {
            return;
          }
          ReportUri again = ReportUri.parse(uri.text());
          assertEqual("parse(text())", uri, again);
          assertEqual("sizeLimit", uri.sizeLimit(), again.sizeLimit());
          assertEqual("mailbox", uri.mailbox(), again.mailbox());
          check(
              !uri.scheme().equals("mailto") || uri.mailbox().isPresent() && uri.host().isPresent(),
              "mailto without an address: " + text);
          // As a record's rua, the URI reads back the same.
          DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=none; rua=" + uri.text());
          check(
              record.aggregateReportUris().equals(java.util.List.of(uri)),
              "rua of " + uri.text() + " read as " + record.aggregateReportUris());
        });
  }
}
