package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.spf.SpfRecord;
import org.mailauth4j.spf.SpfSyntaxException;

/** {@link SpfRecord#parse} on any TXT text; what it accepts reads back from its canonical form. */
class SpfRecordFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          SpfRecord record =
              Contract.parseOrNull(SpfSyntaxException.class, () -> SpfRecord.parse(text));
          if (record == null) {
            return;
          }
          check(SpfRecord.isSpfRecord(text), "parsed, but isSpfRecord says no: " + text);
          String canonical = record.toString();
          SpfRecord again = SpfRecord.parse(canonical);
          assertEqual("parse(toString())", record, again);
          assertEqual("toString() is stable", canonical, again.toString());
          check(record.directives().size() <= record.terms().size(), "directives");
          check(record.dnsQueryingTerms() <= record.terms().size(), "dnsQueryingTerms");
          record.redirect();
          record.explanation();
        });
  }
}
