package org.mailauth4j.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

class DkimKeyRecordTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(DkimKeyRecordTest.class, "/dkim/key-records.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesOrRejectsWithProblemAndPosition(Cases.Row c) {
    String text = c.get(0);
    String expected = c.get(1);
    if (expected.startsWith("error ")) {
      String[] parts = expected.split(" ");
      assertThatThrownBy(() -> DkimKeyRecord.parse(text))
          .isInstanceOfSatisfying(
              DkimSyntaxException.class,
              e -> {
                assertThat(e.problem()).as(e.getMessage()).hasToString(parts[1]);
                assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(parts[2]));
              });
      return;
    }
    DkimKeyRecord record = DkimKeyRecord.parse(text);
    Map<String, String> actual = new LinkedHashMap<>();
    actual.put("k", record.keyType());
    actual.put(
        "h", record.hashAlgorithms().isEmpty() ? "any" : String.join(",", record.hashAlgorithms()));
    actual.put("s", String.join(",", record.serviceTypes()));
    actual.put("testing", String.valueOf(record.testing()));
    actual.put("strict", String.valueOf(record.strictIdentity()));
    actual.put("revoked", String.valueOf(record.isRevoked()));
    actual.put("email", String.valueOf(record.isForEmail()));
    actual.put("tlsrpt", String.valueOf(record.allowsService("tlsrpt")));
    for (String assertion : expected.split(" ")) {
      int eq = assertion.indexOf('=');
      assertThat(actual.get(assertion.substring(0, eq)))
          .as(assertion.substring(0, eq))
          .isEqualTo(assertion.substring(eq + 1));
    }
  }
}
