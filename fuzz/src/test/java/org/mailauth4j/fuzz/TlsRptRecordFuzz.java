package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.util.List;
import org.mailauth4j.tlsrpt.TlsRptRecord;
import org.mailauth4j.tlsrpt.TlsRptRecordFinding;
import org.mailauth4j.tlsrpt.TlsRptRecordProblem;
import org.mailauth4j.tlsrpt.TlsRptSyntaxException;
import org.mailauth4j.tlsrpt.TlsRptUri;

/**
 * {@link TlsRptRecord#parse} on any TXT text, and {@link TlsRptUri#parse} on any rua element: what
 * they accept reads back equal from its text, a record refused as no TLS-RPT record at all is one
 * that {@link TlsRptRecord#isTlsRptRecord} says is none, and the limits hold. The seeds are
 * hand-written files in the folders.
 */
class TlsRptRecordFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          boolean isRecord = TlsRptRecord.isTlsRptRecord(text);
          TlsRptRecord record;
          try {
            record = TlsRptRecord.parse(text);
          } catch (TlsRptSyntaxException e) {
            check(
                e.errorIndex() >= 0 && e.errorIndex() <= text.length(),
                "error index " + e.errorIndex() + " outside the input: " + text);
            check(!e.reason().isEmpty(), "a refusal without a reason");
            check(
                isRecord != (e.problem() == TlsRptRecordProblem.NOT_TLSRPT_RECORD),
                "refused with "
                    + e.problem()
                    + ", but isTlsRptRecord says "
                    + isRecord
                    + ": "
                    + text);
            return;
          }
          check(isRecord, "parsed, but isTlsRptRecord says no: " + text);
          check(!record.reportUris().isEmpty(), "a record without a report URI: " + text);
          check(record.reportUris().size() <= TlsRptRecord.MAX_URIS, "rua over the limit");
          check(record.extensions().size() <= TlsRptRecord.MAX_EXTENSIONS, "extensions over limit");
          check(
              record.findings().size() <= TlsRptRecord.MAX_FINDINGS + 1,
              "too many problems: " + record.findings().size());
          for (TlsRptRecordFinding p : record.findings()) {
            check(p.position() <= text.length(), "problem outside the text: " + p);
            check(p.severity() != org.mailauth4j.dns.Severity.ERROR, "an error in a record: " + p);
          }
          String written = record.toText();
          TlsRptRecord again = TlsRptRecord.parse(written);
          assertEqual("parse(toText())", record, again);
          assertEqual("toText() is stable", written, again.toText());
          assertEqual("the URIs in order", record.reportUris(), again.reportUris());
          assertEqual(
              "the extensions in order",
              List.copyOf(record.extensions().keySet()),
              List.copyOf(again.extensions().keySet()));
          assertEqual("a record rebuilt", record, record.newBuilder().build());
        });
  }

  @FuzzTarget
  void parseUri(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          TlsRptUri uri =
              Contract.parseOrNull(TlsRptSyntaxException.class, () -> TlsRptUri.parse(text));
          if (uri == null) {
            return;
          }
          TlsRptUri again = TlsRptUri.parse(uri.text());
          assertEqual("parse(text())", uri, again);
          assertEqual("mailbox", uri.mailbox(), again.mailbox());
          assertEqual("host", uri.host(), again.host());
          check(!uri.host().isEmpty(), "no host: " + text);
          check(
              uri.mailbox().isPresent() == (uri.scheme() == TlsRptUri.Scheme.MAILTO),
              "mailbox and scheme disagree: " + text);
          // As a record's one rua element, the URI reads back the same.
          TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=" + uri.text());
          assertEqual("rua of " + uri.text(), List.of(uri), record.reportUris());
        });
  }
}
