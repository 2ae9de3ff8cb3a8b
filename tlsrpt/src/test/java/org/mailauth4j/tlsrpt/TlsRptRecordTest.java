package org.mailauth4j.tlsrpt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.InputSyntaxException;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;
import org.mailauth4j.testkit.TestEnvironment;

class TlsRptRecordTest {
  private static final String EXAMPLES = "tlsrpt/rfc8460-examples";

  static Stream<Arguments> syntax() {
    return Cases.arguments(TlsRptRecordTest.class, "/tlsrpt/record-syntax.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntax")
  void parsesRecordsAsTheTableSays(Cases.Row row) {
    String text = row.get(0);
    String result = row.get(1);
    TlsRptRecordParser.Result parsed = TlsRptRecordParser.parse(text);
    List<String> others = new ArrayList<>();
    for (TlsRptRecordFinding p : parsed.findings()) {
      if (p.severity() != Severity.ERROR) {
        others.add(p.problem() + "@" + p.position());
      }
    }
    assertThat(others).as("problems").isEqualTo(list(row.get(4)));
    assertThat(TlsRptRecord.isTlsRptRecord(text))
        .as("isTlsRptRecord")
        .isEqualTo(
            !result.startsWith(TlsRptRecordProblem.NOT_TLSRPT_RECORD.name())
                // RFC 8460 §3: records not beginning "v=TLSRPTv1;" are discarded before counting
                && DISCARD_TEST.matcher(text).lookingAt());
    if (!result.equals("valid")) {
      TlsRptSyntaxException e =
          catchThrowableOfType(TlsRptSyntaxException.class, () -> TlsRptRecord.parse(text));
      assertThat(e).as("refused").isNotNull();
      assertThat(e.problem() + "@" + e.errorIndex()).isEqualTo(result);
      assertThat(e.input()).isEqualTo(text);
      assertThat(e).isInstanceOf(InputSyntaxException.class);
      TlsRptRecordFinding last = parsed.findings().get(parsed.findings().size() - 1);
      assertThat(last.severity()).isEqualTo(Severity.ERROR);
      assertThat(last.problem()).isEqualTo(e.problem());
      assertThat(row.get(2)).as("a refused record has no URIs in the table").isEqualTo("-");
      return;
    }
    TlsRptRecord record = TlsRptRecord.parse(text);
    assertThat(record.reportUris()).extracting(TlsRptUri::text).isEqualTo(list(row.get(2)));
    Map<String, String> extensions = new LinkedHashMap<>();
    for (String e : list(row.get(3))) {
      int eq = e.indexOf('=');
      extensions.put(e.substring(0, eq), e.substring(eq + 1));
    }
    assertThat(record.extensions()).containsExactlyEntriesOf(extensions);
    assertThat(record.findings())
        .extracting(TlsRptRecordFinding::severity)
        .doesNotContain(Severity.ERROR);
    assertRoundTrip(record);
  }

  private static List<String> list(String column) {
    return column.equals("-") ? List.of() : Arrays.asList(column.split(" "));
  }

  private static void assertRoundTrip(TlsRptRecord record) {
    String written = record.toText();
    TlsRptRecord again = TlsRptRecord.parse(written);
    assertThat(again).isEqualTo(record).hasSameHashCodeAs(record);
    assertThat(again.toText()).isEqualTo(written);
    assertThat(again.reportUris()).isEqualTo(record.reportUris());
    assertThat(again.extensions().keySet()).containsExactlyElementsOf(record.extensions().keySet());
    assertThat(TlsRptRecord.isTlsRptRecord(written)).isTrue();
  }

  static Stream<Arguments> rfcExamples() throws IOException {
    return TestEnvironment.conformanceCases(EXAMPLES, 3, TlsRptRecordTest::loadExamples);
  }

  /** The lines of dns-txt-records.txt: name TAB value, after a comment line. */
  private static Stream<Arguments> loadExamples(Path dir) throws IOException {
    List<Arguments> cases = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(dir.resolve("dns-txt-records.txt"), UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t", 2);
      n++;
      cases.add(
          Arguments.of(
              Named.of("RFC 8460 §3.1 example " + n + ": " + parts[1], parts[1]), parts[0], n));
    }
    assertThat(cases).as("examples in the file").hasSize(2);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfcExamples")
  void readsTheExamplesOfTheRfc(String text, String name, Integer number) {
    TestEnvironment.conformance(EXAMPLES);
    assertThat(name).isEqualTo("_smtp._tls.example.com.");
    assertThat(TlsRptRecord.isTlsRptRecord(text)).isTrue();
    TlsRptRecord record = TlsRptRecord.parse(text);
    assertThat(record.findings()).isEmpty();
    assertThat(record.extensions()).isEmpty();
    assertThat(record.reportUris()).hasSize(1);
    TlsRptUri uri = record.reportUris().get(0);
    if (number == 1) {
      assertThat(uri.scheme()).isEqualTo(TlsRptUri.Scheme.MAILTO);
      assertThat(uri.mailbox()).hasValue("reports@example.com");
      assertThat(uri.host()).isEqualTo("example.com");
    } else {
      assertThat(uri.scheme()).isEqualTo(TlsRptUri.Scheme.HTTPS);
      assertThat(uri.text()).isEqualTo("https://reporting.example.com/v1/tlsrpt");
      assertThat(uri.host()).isEqualTo("reporting.example.com");
      assertThat(uri.mailbox()).isEmpty();
    }
    assertRoundTrip(record);
  }

  @Test
  void refusalSaysWhatAndWhereWithoutForgingLogLines() {
    String text = "v=TLSRPTv1; rua=mailto:a@example.com; x=\n\r";
    TlsRptSyntaxException e =
        catchThrowableOfType(TlsRptSyntaxException.class, () -> TlsRptRecord.parse(text));
    assertThat(e.problem()).isEqualTo(TlsRptRecordProblem.INVALID_FIELD_VALUE);
    assertThat(e.errorIndex()).isEqualTo(40);
    assertThat(e.reason()).contains("field x has no value");
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").contains("index 40");
  }

  @Test
  void aRecordWithoutRuaPointsAtAFieldOfTheWrongCase() {
    TlsRptSyntaxException e =
        catchThrowableOfType(
            TlsRptSyntaxException.class,
            () -> TlsRptRecord.parse("v=TLSRPTv1; Rua=mailto:a@example.com"));
    assertThat(e.problem()).isEqualTo(TlsRptRecordProblem.MISSING_RUA);
    assertThat(e.reason()).contains("case-sensitive");
  }

  @Test
  void readsAtMostTheUriLimitAndSaysSo() {
    StringBuilder sb = new StringBuilder("v=TLSRPTv1; rua=");
    for (int i = 0; i < TlsRptRecord.MAX_URIS + 5; i++) {
      sb.append(i == 0 ? "" : ",").append("mailto:r").append(i).append("@example.com");
    }
    TlsRptRecord record = TlsRptRecord.parse(sb);
    assertThat(record.reportUris()).hasSize(TlsRptRecord.MAX_URIS);
    assertThat(record.reportUris().get(0).mailbox()).hasValue("r0@example.com");
    assertThat(record.findings())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problem()).isEqualTo(TlsRptRecordProblem.TOO_MANY_URIS);
              assertThat(p.position()).isEqualTo(12);
              assertThat(p.message()).startsWith("5 more URIs");
            });
    assertRoundTrip(record);
  }

  @Test
  void keepsAtMostTheExtensionLimitAndListsAtMostTheProblemLimit() {
    StringBuilder sb = new StringBuilder("v=TLSRPTv1; rua=mailto:a@example.com");
    int fields = 3 * TlsRptRecord.MAX_EXTENSIONS;
    for (int i = 0; i < fields; i++) {
      sb.append("; x").append(i).append('=').append(i);
    }
    TlsRptRecord record = TlsRptRecord.parse(sb);
    assertThat(record.extensions()).hasSize(TlsRptRecord.MAX_EXTENSIONS).containsEntry("x0", "0");
    assertThat(record.findings()).hasSize(TlsRptRecord.MAX_FINDINGS + 1);
    TlsRptRecordFinding last = record.findings().get(TlsRptRecord.MAX_FINDINGS);
    assertThat(last.problem()).isEqualTo(TlsRptRecordProblem.TOO_MANY_PROBLEMS);
    assertThat(last.message()).startsWith("1 more problems"); // 100 unknown, 1 too many
    assertRoundTrip(record);
  }

  @Test
  void aMegabyteRecordOfBadUrisIsRefusedWithBoundedProblems() {
    StringBuilder sb = new StringBuilder("v=TLSRPTv1; rua=");
    while (sb.length() < 1 << 20) {
      sb.append("http://r.example.com/,");
    }
    TlsRptRecordParser.Result parsed = TlsRptRecordParser.parse(sb.toString());
    assertThat(parsed.record()).isNull();
    assertThat(parsed.error().problem()).isEqualTo(TlsRptRecordProblem.NO_USABLE_RUA);
    assertThat(parsed.findings()).hasSizeLessThanOrEqualTo(TlsRptRecord.MAX_FINDINGS + 2);
  }

  @Test
  void aMegabyteUriIsRead() {
    String path = "a".repeat(1 << 20);
    TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=https://r.example.com/" + path);
    assertThat(record.reportUris().get(0).uri().getPath()).hasSize(path.length() + 1);
  }

  @Test
  void takesLinearTimeOnManyExtensions() {
    LinearTime.assertLinear(
        n -> "v=TLSRPTv1; rua=mailto:a@example.com" + "; x=1".repeat(n), TlsRptRecord::parse);
  }

  @Test
  void takesLinearTimeOnManyUris() {
    LinearTime.assertLinear(
        n -> "v=TLSRPTv1; rua=" + "mailto:a@example.com,".repeat(n) + "https://r.example.com/",
        TlsRptRecord::parse);
  }

  @Test
  void takesLinearTimeOnManyBadUris() {
    LinearTime.assertLinear(
        n -> "v=TLSRPTv1; rua=" + "ftp:x, a!b ,".repeat(n) + "mailto:a@example.com",
        TlsRptRecord::parse);
  }

  @Test
  void takesLinearTimeOnOneLongUriAndOneLongValue() {
    LinearTime.assertLinear(
        n -> "v=TLSRPTv1; rua=mailto:" + "a%2C".repeat(n) + "a@example.com; x=" + "y".repeat(n),
        TlsRptRecord::parse);
  }

  @Test
  void takesLinearTimeOnWhitespace() {
    LinearTime.assertLinear(
        n -> "v=TLSRPTv1" + " ".repeat(n) + ";" + "\t".repeat(n) + "rua=mailto:a@example.com",
        TlsRptRecord::parse);
  }

  @Test
  void buildsARecordForADomainOwner() {
    TlsRptRecord record =
        TlsRptRecord.builder()
            .reportUri(TlsRptUri.mailto("tlsrpt+reports@example.com"))
            .reportUri(TlsRptUri.parse("https://reports.example.com/v1/tlsrpt"))
            .extension("x-note", "test")
            .build();
    assertThat(record.toText())
        .isEqualTo(
            "v=TLSRPTv1; rua=mailto:tlsrpt+reports@example.com,"
                + "https://reports.example.com/v1/tlsrpt; x-note=test");
    assertThat(record.findings())
        .extracting(TlsRptRecordFinding::problem)
        .containsExactly(TlsRptRecordProblem.UNKNOWN_FIELD);
    assertRoundTrip(record);
    TlsRptRecord variant =
        record
            .newBuilder()
            .removeExtension("x-note")
            .reportUris(List.of(TlsRptUri.mailto("\"a,b\"@example.com")))
            .build();
    assertThat(variant.toText()).isEqualTo("v=TLSRPTv1; rua=mailto:%22a%2Cb%22@example.com");
    assertThat(record.newBuilder().build()).isEqualTo(record);
  }

  @Test
  void builderRefusesWhatCannotBeWritten() {
    TlsRptRecord.Builder b = TlsRptRecord.builder();
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rua");
    for (String name :
        List.of("", "_x", "-x", "a b", "a=", "rua", "RUA", "v", "x".repeat(33), "\u00e9")) {
      assertThatThrownBy(() -> b.extension(name, "1"))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String value : List.of("", "a b", "a;b", "a=b", "\u00e9", "a\nb")) {
      assertThatThrownBy(() -> b.extension("x", value))
          .as(value)
          .isInstanceOf(IllegalArgumentException.class);
    }
    b.extension("x".repeat(32), "!");
    for (int i = 1; i < TlsRptRecord.MAX_EXTENSIONS; i++) {
      b.extension("x" + i, "1");
    }
    assertThatThrownBy(() -> b.extension("one-too-many", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    b.extension("x1", "replaced"); // replacing stays within the limit
    List<TlsRptUri> many = new ArrayList<>();
    for (int i = 0; i <= TlsRptRecord.MAX_URIS; i++) {
      many.add(TlsRptUri.mailto("r" + i + "@example.com"));
    }
    assertThatThrownBy(() -> b.reportUris(many)).isInstanceOf(IllegalArgumentException.class);
    b.reportUris(many.subList(0, TlsRptRecord.MAX_URIS));
    assertThatThrownBy(() -> b.reportUri(many.get(0))).isInstanceOf(IllegalArgumentException.class);
    TlsRptRecord full = b.build();
    assertThat(full.extensions())
        .hasSize(TlsRptRecord.MAX_EXTENSIONS)
        .containsEntry("x1", "replaced");
    assertRoundTrip(full);
  }

  @Test
  void equalityIgnoresSpacingSkippedPartsAndProblems() {
    TlsRptRecord a = TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@example.com;x=1;");
    TlsRptRecord b =
        TlsRptRecord.parse("v=TLSRPTv1 ;  rua=ftp://x , MAILTO:a@example.com\t;\tx=1; x=2");
    assertThat(b).isEqualTo(a).hasSameHashCodeAs(a).hasToString(a.toText());
    assertThat(b.findings()).isNotEqualTo(a.findings());
    assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:a@example.com;x=2")).isNotEqualTo(a);
    assertThat(TlsRptRecord.parse("v=TLSRPTv1;rua=mailto:b@example.com;x=1")).isNotEqualTo(a);
  }

  @Test
  void collectionsAreUnmodifiable() {
    TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:a@example.com; x=1");
    assertThatThrownBy(() -> r.reportUris().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.extensions().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.findings().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static final java.util.regex.Pattern DISCARD_TEST =
      java.util.regex.Pattern.compile("v=TLSRPTv1[ \t]*;");

  @Test
  void isTlsRptRecordReadsOnlyTheVersion() {
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1;")).isTrue();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1\tjunk")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1 \t;")).isTrue();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1;\u0000")).isTrue();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv1x")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord("v=TLSRPTv")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord("v=STSv1; id=1")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord("")).isFalse();
    assertThat(TlsRptRecord.isTlsRptRecord(new StringBuilder("v=TLSRPTv1 ;"))).isTrue();
  }

  @Test
  void problemsRenderForLogs() {
    TlsRptRecordFinding p =
        TlsRptRecord.parse("v=TLSRPTv1; rua=http://x/,mailto:a@example.com").findings().get(0);
    assertThat(p.toString()).startsWith("WARNING UNSUPPORTED_SCHEME at 16: scheme http");
    assertThatThrownBy(
            () ->
                new TlsRptRecordFinding(-1, Severity.INFO, TlsRptRecordProblem.UNKNOWN_FIELD, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
