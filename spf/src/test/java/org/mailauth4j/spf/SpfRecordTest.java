package org.mailauth4j.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.testkit.Cases;

/** Record parsing and canonical rendering, from {@code spf/record-syntax.cases}. */
class SpfRecordTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(SpfRecordTest.class, "/spf/record-syntax.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesOrReportsWhereItFails(Cases.Row row) {
    String text = row.get(0);
    String expected = row.get(1);
    if (!expected.startsWith("!")) {
      SpfRecord record = SpfRecord.parse(text);
      assertThat(record).hasToString(expected);
      // The canonical form is a fixed point, and parses to an equal value.
      assertThat(SpfRecord.parse(record.toString())).isEqualTo(record).hasToString(expected);
      return;
    }
    String[] error = expected.substring(1).strip().split(" ", 2);
    SpfSyntaxException e =
        catchThrowableOfType(SpfSyntaxException.class, () -> SpfRecord.parse(text));
    assertThat(e).as("a syntax error in %s", text).isNotNull();
    assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(Integer.parseInt(error[0]));
    assertThat(e.input()).isEqualTo(text);
    if (error.length > 1) {
      assertThat(e.reason()).contains(error[1]);
    }
    assertThat(e.getMessage()).contains("index " + e.errorIndex());
  }

  @Test
  void exposesTermsAsValues() {
    SpfRecord record =
        SpfRecord.parse("v=spf1 ip4:192.0.2.0/24 include:_spf.example.com ~all exp=e.%{d} x=y");
    assertThat(record.directives())
        .extracting(Directive::qualifier)
        .containsExactly(Qualifier.PASS, Qualifier.PASS, Qualifier.SOFTFAIL);
    assertThat(record.directives().get(1).mechanism())
        .isInstanceOf(Mechanism.Include.class)
        .hasToString("include:_spf.example.com");
    assertThat(record.explanation()).map(Object::toString).contains("exp=e.%{d}");
    assertThat(record.redirect()).isEmpty();
    assertThat(record.terms().get(4)).isInstanceOf(Modifier.Unknown.class);
    assertThat(record.dnsQueryingTerms()).isEqualTo(1);
    assertThatThrownBy(() -> record.terms().add(record.terms().get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void countsTheTermsThatQueryDns() {
    assertThat(
            SpfRecord.parse(
                    "v=spf1 a mx ptr exists:%{i}.x.example include:a.example "
                        + "ip4:192.0.2.1 ip6:2001:db8::1 all redirect=b.example exp=c.example")
                .dnsQueryingTerms())
        .isEqualTo(6);
  }

  @Test
  void recognisesSpfRecordsByTheirVersion() {
    assertThat(List.of("v=spf1", "v=spf1 -all", "V=SpF1 a")).allMatch(SpfRecord::isSpfRecord);
    assertThat(List.of("v=spf10", "v=spf1-all", "spf1", " v=spf1", "v=spf2.0/pra", ""))
        .noneMatch(SpfRecord::isSpfRecord);
  }

  @Test
  void parsesTenKilobyteRecordsInLinearTime() {
    StringBuilder text = new StringBuilder("v=spf1");
    while (text.length() < 10_000) {
      text.append(" ip4:192.0.2.").append(text.length() % 256).append("/32");
    }
    SpfRecord record = SpfRecord.parse(text);
    assertThat(record.directives()).hasSizeGreaterThan(400);
    // One bad character at the very end of a long record is reported where it is.
    String broken = text + " a:x%";
    SpfSyntaxException e =
        catchThrowableOfType(SpfSyntaxException.class, () -> SpfRecord.parse(broken));
    assertThat(e.errorIndex()).isEqualTo(broken.length() - 1);
    assertThat(e.getMessage()).hasSizeLessThan(400); // the input is quoted only in part
  }

  @Test
  void macroStringsRenderAsWritten() {
    assertThat(MacroString.parse("%{ir}.%{l1r+-}._spf.%{d}"))
        .hasToString("%{ir}.%{l1r+-}._spf.%{d}");
    assertThat(MacroString.parse("%{ir}.%{d}").uses('i')).isTrue();
    assertThat(MacroString.parse("%{ir}.%{d}").uses('p')).isFalse();
    assertThat(MacroString.parse("example.com").isLiteral()).isTrue();
    assertThat(MacroString.parseExplanation("%{c} at %{t} via %{r}").uses('c')).isTrue();
    assertThatThrownBy(() -> MacroString.parse("%{c}.example.com"))
        .isInstanceOf(SpfSyntaxException.class);
  }
}
