package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.mailauth4j.dane.DaneSyntaxException;
import org.mailauth4j.dane.TlsaRecord;
import org.mailauth4j.testkit.TestPki;

/**
 * {@link TlsaRecord#parse} on any presentation text, and {@link TlsaRecord#fromRdata} on any RDATA:
 * what they accept reads back equal through {@code toText()} and {@code toRdata()}, says
 * consistently whether SMTP uses it, and matches a certificate or not without throwing. The seeds
 * are hand-written files in the folders.
 */
class TlsaRecordFuzz {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final X509Certificate SERVER =
      new TestPki("Fuzz CA", NOW, NOW.plusSeconds(86400))
          .issue(List.of("mx.example.test"), NOW, NOW.plusSeconds(86400))
          .certificate();

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          TlsaRecord record =
              Contract.parseOrNull(DaneSyntaxException.class, () -> TlsaRecord.parse(text));
          if (record != null) {
            check(record.data().length > 0, "a record without data: " + text);
            checkRecord(record);
          }
        });
  }

  @FuzzTarget
  void fromRdata(byte[] input) {
    Contract.timed(
        input.length,
        () -> {
          TlsaRecord record;
          try {
            record = TlsaRecord.fromRdata(input);
          } catch (IllegalArgumentException e) {
            check(input.length < 4, "RDATA of " + input.length + " octets refused: " + e);
            return;
          }
          check(input.length >= 4, "RDATA of " + input.length + " octets accepted");
          check(Arrays.equals(record.toRdata(), input), "toRdata() is not the input");
          checkRecord(record);
        });
  }

  private static void checkRecord(TlsaRecord record) {
    String text = record.toText();
    assertEqual("parse(toText())", record, TlsaRecord.parse(text));
    assertEqual("toText() is stable", text, TlsaRecord.parse(text).toText());
    assertEqual("fromRdata(toRdata())", record, TlsaRecord.fromRdata(record.toRdata()));
    assertEqual(
        "of(fields, data)",
        record,
        TlsaRecord.of(record.usage(), record.selector(), record.matchingType(), record.data()));
    check(
        record.usable() == record.whyUnusable().isEmpty(),
        "usable() and whyUnusable() disagree: " + record);
    if (record.usable()) {
      check(
          record.knownUsage().isPresent()
              && record.knownSelector().isPresent()
              && record.knownMatchingType().isPresent(),
          "usable with an unassigned field: " + record);
      check(record.usage() == 2 || record.usage() == 3, "usable with usage " + record.usage());
    }
    boolean matches = record.matches(SERVER);
    check(!matches || record.knownSelector().isPresent(), "an unknown selector matched");
  }
}
