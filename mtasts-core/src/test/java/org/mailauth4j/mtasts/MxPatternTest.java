package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.testkit.Cases;

/** MX patterns and what they match, from {@code mtasts/mx-pattern.cases}. */
class MxPatternTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(MxPatternTest.class, "/mtasts/mx-pattern.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesOrRefuses(Cases.Row row) {
    String pattern = row.get(0);
    if (row.get(1).startsWith("!")) {
      String[] error = row.get(1).substring(1).strip().split(" ", 2);
      MtaStsSyntaxException e =
          catchThrowableOfType(MtaStsSyntaxException.class, () -> MxPattern.parse(pattern));
      assertThat(e).as("an error in %s", pattern).isNotNull();
      assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(error[0]));
      if (error.length > 1) {
        assertThat(e.reason()).contains(error[1]);
      }
      return;
    }
    MxPattern parsed = MxPattern.parse(pattern);
    assertThat(parsed.matches(DomainName.parse(row.get(1))))
        .as("%s matches %s", pattern, row.get(1))
        .isEqualTo(row.get(2).equals("yes"));
    assertThat(MxPattern.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Test
  void patternsAreMadeOfHostNamesOnly() {
    // RFC 8461 §3.2 / §4.1: "*." at most, then an RFC 5321 Domain.
    assertThatThrownBy(() -> new MxPattern(false, DomainName.parse("_mta-sts.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host name");
    assertThatThrownBy(() -> new MxPattern(true, DomainName.parse("mail_x.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host name");
    assertThat(new MxPattern(true, DomainName.parse("example.com")).toString())
        .isEqualTo("*.example.com");
  }
}
