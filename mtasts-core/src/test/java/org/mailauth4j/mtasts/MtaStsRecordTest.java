package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.TestEnvironment;

/** {@code _mta-sts} records, from {@code mtasts/record.cases} and the RFC 8461 example. */
class MtaStsRecordTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(MtaStsRecordTest.class, "/mtasts/record.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesOrSaysWhere(Cases.Row row) {
    String text = row.get(0);
    String expected = row.get(1);
    if (expected.startsWith("!")) {
      String[] error = expected.substring(1).strip().split(" ", 2);
      MtaStsSyntaxException e =
          catchThrowableOfType(MtaStsSyntaxException.class, () -> MtaStsRecord.parse(text));
      assertThat(e).as("an error in %s", text).isNotNull();
      assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(error[0]));
      assertThat(e.reason()).contains(error[1]);
      return;
    }
    String[] parts = expected.split(";");
    Map<String, String> extensions = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      extensions.put(
          parts[i].substring(0, parts[i].indexOf('=')),
          parts[i].substring(parts[i].indexOf('=') + 1));
    }
    MtaStsRecord record = MtaStsRecord.parse(text);
    assertThat(record.id()).isEqualTo(parts[0]);
    assertThat(record.extensions()).containsExactlyEntriesOf(extensions);
    assertThat(MtaStsRecord.isMtaStsRecord(text)).isTrue();
    // The written form parses back to the same record.
    assertThat(MtaStsRecord.parse(record.toRecordText())).isEqualTo(record);
  }

  @Test
  void theRfcExampleRecordParses() throws Exception {
    List<String> lines =
        Files.readAllLines(
            TestEnvironment.conformance("mta-sts/rfc8461-examples").resolve("dns-txt-records.txt"));
    String value = lines.stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    MtaStsRecord record = MtaStsRecord.parse(value.substring(value.indexOf('\t') + 1));
    assertThat(record.id()).isEqualTo("20160831085700Z");
    assertThat(record.toRecordText()).isEqualTo("v=STSv1; id=20160831085700Z;");
  }

  @Test
  void onlyRecordsBeginningWithTheVersionCount() {
    assertThat(List.of("v=STSv1; id=1", "v=STSv1;", "v=STSv1 ; id=1"))
        .allMatch(MtaStsRecord::isMtaStsRecord);
    assertThat(List.of("v=STSv1", "v=STSv10; id=1", "v=spf1 -all", " v=STSv1; id=1", ""))
        .noneMatch(MtaStsRecord::isMtaStsRecord);
  }

  @Test
  void recordsHoldOnlyFieldsThatCanBeWrittenAndReadBack() {
    // v= and id= are the record's own fields, not extensions: written twice, the second would be
    // ignored on reading (RFC 8461 §3.2), so the record would not read back as itself.
    for (Map<String, String> bad :
        List.of(
            Map.of("v", "STSv2"),
            Map.of("id", "2"),
            Map.of("", "x"),
            Map.of("-x", "y"),
            Map.of("a b", "c"),
            Map.of("x", ""),
            Map.of("x", "a b"),
            Map.of("x", "a;b"),
            Map.of("x", "a=b"),
            Map.of("x", "caf\u00e9"))) {
      assertThatThrownBy(() -> new MtaStsRecord("1", bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    MtaStsRecord record = new MtaStsRecord("1", Map.of("ext-field.x", "a:b/c"));
    assertThat(MtaStsRecord.parse(record.toRecordText())).isEqualTo(record);
  }
}
