package org.mailauth4j.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mailauth4j.dns.DnsAnswer;
import org.mailauth4j.dns.DnsQuery;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.TxtRecord;
import org.mailauth4j.dns.ZoneFileResolver;

/**
 * {@link TxtRecord} built from any character-strings (the input cut at each NUL): its views agree,
 * and its zone-file presentation ({@code toString()}) reads back, through {@link ZoneFileResolver},
 * as the same record.
 */
class TxtRecordFuzz {
  private static final DomainName OWNER = DomainName.parse("t.example");

  @FuzzTarget
  void ofBytes(byte[] input) {
    List<byte[]> strings = splitAtNul(input);
    Contract.timed(
        input.length,
        () -> {
          TxtRecord record;
          try {
            record = TxtRecord.ofBytes(strings);
          } catch (IllegalArgumentException e) {
            check(
                strings.stream().anyMatch(s -> s.length > TxtRecord.MAX_STRING_LENGTH),
                "refused strings of at most 255 octets: " + e);
            return;
          }
          ByteArrayOutputStream joined = new ByteArrayOutputStream();
          strings.forEach(joined::writeBytes);
          check(Arrays.equals(joined.toByteArray(), record.bytes()), "bytes() is not the join");
          assertEqual("length", joined.size(), record.length());
          assertEqual("stringCount", strings.size(), record.stringCount());
          assertEqual("text", new String(joined.toByteArray(), UTF_8), record.text());
          assertEqual("equal to itself rebuilt", record, TxtRecord.ofBytes(record.rawStrings()));
          check(
              record.isAscii()
                  == (new String(record.bytes(), UTF_8).chars().allMatch(c -> c < 0x80)),
              "isAscii");
          // The presentation form is zone-file text: it must read back as the same record.
          ZoneFileResolver zone =
              ZoneFileResolver.fromZoneText(OWNER.toAbsoluteString() + " TXT " + record + "\n");
          DnsAnswer<TxtRecord> answer = zone.lookup(DnsQuery.txt(OWNER));
          assertEqual("records read back from " + record, List.of(record), answer.records());
        });
  }

  @FuzzTarget
  void split(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          TxtRecord record = TxtRecord.split(text);
          assertEqual("text of split", text, record.text());
          for (byte[] s : record.rawStrings()) {
            check(s.length <= TxtRecord.MAX_STRING_LENGTH, "a string of " + s.length + " octets");
          }
        });
  }

  private static List<byte[]> splitAtNul(byte[] input) {
    List<byte[]> strings = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == 0) {
        strings.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
    return strings;
  }
}
