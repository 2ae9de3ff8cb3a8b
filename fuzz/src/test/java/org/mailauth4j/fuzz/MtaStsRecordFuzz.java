package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.mtasts.MtaStsRecord;
import org.mailauth4j.mtasts.MtaStsSyntaxException;

/** {@link MtaStsRecord#parse} on any TXT text; what it accepts reads back from its record text. */
class MtaStsRecordFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          MtaStsRecord record =
              Contract.parseOrNull(MtaStsSyntaxException.class, () -> MtaStsRecord.parse(text));
          if (record == null) {
            return;
          }
          check(MtaStsRecord.isMtaStsRecord(text), "parsed, but isMtaStsRecord says no: " + text);
          String written = record.toRecordText();
          assertEqual("parse(toRecordText())", record, MtaStsRecord.parse(written));
          check(MtaStsRecord.isMtaStsRecord(written), "toRecordText() is not an MTA-STS record");
        });
  }
}
