package org.mailauth4j.mtasts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.TestEnvironment;

/** Policy files, from {@code mtasts/policy.cases} and the RFC 8461 examples, and the writer. */
class MtaStsPolicyTest {

  static Stream<Arguments> cases() {
    return Cases.arguments(MtaStsPolicyTest.class, "/mtasts/policy.cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsEveryProblemByLine(Cases.Row row) {
    PolicyLeniency leniency = PolicyLeniency.valueOf(row.get(0).toUpperCase(Locale.ROOT));
    String text = row.get(1);
    PolicyParseResult result = MtaStsPolicy.parseWithFindings(text, leniency);
    String expected = row.get(2);
    if (expected.equals("invalid")) {
      assertThat(result.policy()).as("%s", result.findings()).isEmpty();
      assertThat(result.errors()).isNotEmpty();
    } else {
      assertThat(result.policy()).as("%s", result.findings()).isPresent();
      assertThat(describe(result.policy().get())).isEqualTo(expected);
    }
    List<String> problems = row.get(3).equals("-") ? List.of() : List.of(row.get(3).split(" ; "));
    assertThat(result.findings()).as("%s", result.findings()).hasSameSizeAs(problems);
    for (int i = 0; i < problems.size(); i++) {
      String p = problems.get(i);
      PolicyFinding actual = result.findings().get(i);
      assertThat(actual.severity())
          .as("%s", actual)
          .isEqualTo(p.charAt(0) == 'E' ? Severity.ERROR : Severity.WARNING);
      assertThat(actual.line())
          .as("%s", actual)
          .isEqualTo(Integer.parseInt(p.substring(1, p.indexOf(' '))));
      assertThat(actual.message()).contains(p.substring(p.indexOf(' ') + 1));
    }
    // The strict parse agrees, and points into the text.
    if (leniency == PolicyLeniency.STRICT) {
      if (result.policy().isPresent()) {
        assertThat(MtaStsPolicy.parse(text)).isEqualTo(result.policy().get());
      } else {
        MtaStsSyntaxException e =
            catchThrowableOfType(MtaStsSyntaxException.class, () -> MtaStsPolicy.parse(text));
        assertThat(e.reason()).isEqualTo(result.errors().get(0).message());
        assertThat(e.errorIndex()).isBetween(0, text.length());
      }
    }
  }

  /** PolicyLeniency.LENIENT tolerates more, never less: it reads a strictly valid file alike. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lenientReadingAcceptsWhatStrictReadingAcceptsAsAnEqualPolicy(Cases.Row row) {
    String text = row.get(1);
    PolicyParseResult strict = MtaStsPolicy.parseWithFindings(text, PolicyLeniency.STRICT);
    PolicyParseResult lenient = MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT);
    if (strict.policy().isPresent()) {
      assertThat(lenient.policy()).as("%s", lenient.findings()).isEqualTo(strict.policy());
    }
  }

  private static String describe(MtaStsPolicy p) {
    String s =
        "mode="
            + p.mode().token()
            + " mx="
            + p.mx().stream().map(MxPattern::toString).collect(Collectors.joining(","))
            + " max_age="
            + p.maxAge().getSeconds();
    for (Map.Entry<String, String> e : p.extensions().entrySet()) {
      s += " ext=" + e.getKey() + ":" + e.getValue();
    }
    return s;
  }

  @Test
  void theRfcExamplesAreValid() throws Exception {
    Path dir = TestEnvironment.conformance("mta-sts/rfc8461-examples");
    MtaStsPolicy section32 =
        MtaStsPolicy.parse(Files.readString(dir.resolve("policy-section3.2.txt"), UTF_8));
    assertThat(section32.mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(section32.mx())
        .extracting(MxPattern::toString)
        .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
    assertThat(section32.maxAge()).isEqualTo(Duration.ofSeconds(604800));
    assertThat(section32.permits(DomainName.parse("mx1.example.net"))).isTrue();
    assertThat(section32.permits(DomainName.parse("example.net"))).isFalse();
    MtaStsPolicy appendixA =
        MtaStsPolicy.parse(Files.readString(dir.resolve("policy-appendixA.txt"), UTF_8));
    assertThat(appendixA.mode()).isEqualTo(MtaStsMode.TESTING);
    assertThat(appendixA.maxAge()).isEqualTo(Duration.ofSeconds(1296000));
    assertThat(appendixA.mx()).hasSize(3);
    // Both are CRLF and in the canonical order, so writing them gives the files back.
    assertThat(section32.toPolicyText())
        .isEqualTo(Files.readString(dir.resolve("policy-section3.2.txt"), UTF_8));
    assertThat(appendixA.toPolicyText())
        .isEqualTo(Files.readString(dir.resolve("policy-appendixA.txt"), UTF_8));
  }

  @Test
  void writesFilesThatReadBack() {
    MtaStsPolicy policy =
        new MtaStsPolicy(
            MtaStsMode.TESTING,
            List.of(MxPattern.parse("mx1.example.org"), MxPattern.parse("*.mail.example.org")),
            Duration.ofDays(14),
            Map.of("x-owner", "postmaster@example.org"));
    String text = policy.toPolicyText();
    assertThat(text)
        .isEqualTo(
            "version: STSv1\r\nmode: testing\r\nmx: mx1.example.org\r\n"
                + "mx: *.mail.example.org\r\nmax_age: 1209600\r\nx-owner: postmaster@example.org\r\n");
    assertThat(MtaStsPolicy.parse(text)).isEqualTo(policy);
    assertThat(MtaStsPolicy.parseWithFindings(text, PolicyLeniency.STRICT).findings()).isEmpty();
  }

  @Test
  void refusesPoliciesThatCannotBeWritten() {
    List<MxPattern> mx = List.of(MxPattern.parse("mx.example.org"));
    assertThatThrownBy(
            () -> new MtaStsPolicy(MtaStsMode.ENFORCE, List.of(), Duration.ofDays(1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new MtaStsPolicy(MtaStsMode.ENFORCE, mx, Duration.ofSeconds(31557601), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new MtaStsPolicy(MtaStsMode.ENFORCE, mx, Duration.ofMillis(1500), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new MtaStsPolicy(MtaStsMode.ENFORCE, mx, Duration.ofDays(1), Map.of("mode", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new MtaStsPolicy(
                    MtaStsMode.ENFORCE, mx, Duration.ofDays(1), Map.of("x", "a\r\nmode: none")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusedPolicyListsItsErrorAfterAHundredWarnings() {
    // Found by fuzzing: 100 blank lines (warnings when lenient) filled the list, and the error
    // that refused the policy was among the problems only counted.
    String text = "\n".repeat(100) + "J\n";
    PolicyParseResult result = MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT);
    assertThat(result.policy()).isEmpty();
    assertThat(result.errors())
        .extracting(PolicyFinding::toString)
        .containsExactly(
            "line 101: error: expected \"key: value\"",
            "error: no version field; a policy needs \"version: STSv1\"",
            "error: no mode field; a policy needs mode enforce, testing or none",
            "error: no max_age field");
    assertThat(result.findings()).hasSize(101);
    assertThat(result.findings().get(100).message())
        .isEqualTo("5 more problems are not listed: 0 errors, 5 warnings");
  }

  @Test
  void strictParseNamesTheErrorAfterAHundredWarnings() {
    // "Mode" is not "mode" (RFC 8461 §3.2: keys are case-sensitive): a warning for each line.
    String text = "Mode: enforce\r\n".repeat(100) + "version: STSv1\r\nmx: m.example.com\r\n";
    assertThatThrownBy(() -> MtaStsPolicy.parse(text))
        .isInstanceOfSatisfying(
            MtaStsSyntaxException.class,
            e -> {
              assertThat(e.reason()).startsWith("no mode field");
              assertThat(e.errorIndex()).isEqualTo(text.length());
            });
  }

  @Test
  void errorsAreNeverLeftOutInFavourOfWarnings() {
    String text = "\r\n".repeat(50) + "J\r\n".repeat(200);
    PolicyParseResult result = MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT);
    assertThat(result.findings()).hasSize(101);
    // The first 100 errors, those of lines 51 to 150, have taken the place of every warning.
    assertThat(result.errors())
        .extracting(PolicyFinding::line)
        .containsExactlyElementsOf(IntStream.rangeClosed(51, 150).boxed().toList());
    assertThat(result.findings().get(100).message())
        .isEqualTo("153 more problems are not listed: 103 errors, 50 warnings");
  }

  @Test
  void hostileFilesGetAnAnswerAndABoundedReport() {
    String manyBadLines = "nonsense\r\n".repeat(10_000);
    PolicyParseResult result = MtaStsPolicy.parseWithFindings(manyBadLines, PolicyLeniency.LENIENT);
    assertThat(result.policy()).isEmpty();
    assertThat(result.findings()).hasSizeLessThanOrEqualTo(101);
    assertThat(result.findings().get(result.findings().size() - 1).message())
        .contains("more problems");
    String manyMx =
        "version: STSv1\r\nmode: enforce\r\nmax_age: 60\r\n"
            + "mx: a.example.com\r\n".repeat(5_000);
    assertThat(MtaStsPolicy.parse(manyMx).mx()).hasSize(5_000);
    String longLine =
        "version: STSv1\r\nmode: enforce\r\nmx: m.example.com\r\nmax_age: 60\r\nx: "
            + "y".repeat(1_000_000)
            + "\r\n";
    assertThat(MtaStsPolicy.parse(longLine).extensions().get("x")).hasSize(1_000_000);
  }

  @Test
  void everyFindingNamesItsProblem() {
    PolicyParseResult strict =
        MtaStsPolicy.parseWithFindings(
            "version: STSv1\nmode: Enforce\nMode: testing\nmx: bad..name\nmax_age: x\n",
            PolicyLeniency.STRICT);
    assertThat(strict.findings())
        .extracting(PolicyFinding::problem)
        .containsExactly(
            PolicyProblem.MODE_CASE,
            PolicyProblem.KEY_CASE,
            PolicyProblem.INVALID_MX,
            PolicyProblem.INVALID_MAX_AGE,
            PolicyProblem.LF_LINE_ENDINGS);
    assertThat(
            MtaStsPolicy.parseWithFindings("version: STSv1\r\n", PolicyLeniency.STRICT).findings())
        .extracting(PolicyFinding::problem)
        .containsExactly(PolicyProblem.MISSING_MODE, PolicyProblem.MISSING_MAX_AGE);
    PolicyFinding modeCase = strict.findings().get(0);
    assertThat(modeCase.severity()).isEqualTo(Severity.ERROR);
    assertThat(modeCase.line()).isEqualTo(2);
    assertThat(modeCase.toString()).isEqualTo("line 2: error: " + modeCase.message());
    PolicyParseResult lenient =
        MtaStsPolicy.parseWithFindings(
            "version: STSv1\r\nmode: Enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n",
            PolicyLeniency.LENIENT);
    assertThat(lenient.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.problem()).isEqualTo(PolicyProblem.MODE_CASE))
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
  }
}
