package org.mailauth4j.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dns.Severity;
import org.mailauth4j.testkit.Cases;
import org.mailauth4j.testkit.LinearTime;

/**
 * Record parsing, writing and linting, from {@code dmarc/record-parse.cases} and {@code
 * dmarc/record-lint.cases}, plus round trips over random records and linear time on huge ones.
 */
class DmarcRecordTest {

  static Stream<Arguments> parseCases() {
    return Cases.arguments(DmarcRecordTest.class, "/dmarc/record-parse.cases");
  }

  static Stream<Arguments> lintCases() {
    return Cases.arguments(DmarcRecordTest.class, "/dmarc/record-lint.cases");
  }

  private static String codes(List<DmarcRecordFinding> problems) {
    if (problems.isEmpty()) {
      return "-";
    }
    return problems.stream()
        .map(p -> p.problem() + (p.position() >= 0 ? "@" + p.position() : ""))
        .collect(Collectors.joining(" "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parseCases")
  void parsesWritesAndReportsProblems(Cases.Row row) {
    String text = row.get(0);
    String expected = row.get(1);
    if (expected.startsWith("!")) {
      int index = Integer.parseInt(expected.substring(1).strip());
      DmarcSyntaxException e =
          catchThrowableOfType(DmarcSyntaxException.class, () -> DmarcRecord.parse(text));
      assertThat(e).as("refused: %s", text).isNotNull();
      assertThat(e.errorIndex()).as(e.getMessage()).isEqualTo(index);
      assertThat(e.input()).isEqualTo(text);
      assertThat(e.reason()).contains("v=DMARC1");
      assertThat(DmarcRecord.isDmarcRecord(text)).isFalse();
      return;
    }
    assertThat(DmarcRecord.isDmarcRecord(text)).isTrue();
    DmarcRecord record = DmarcRecord.parse(text);
    assertThat(record.text()).isEqualTo(expected);
    assertThat(codes(record.findings())).as("%s", record.findings()).isEqualTo(row.get(2));
    for (DmarcRecordFinding p : record.findings()) {
      assertThat(p.position()).isBetween(0, text.length());
      assertThat(p.message()).isNotBlank();
      p.tag().ifPresent(t -> assertThat(record.tags()).containsKey(t));
    }
    // The written text is a fixed point and reads back as an equal record.
    DmarcRecord again = DmarcRecord.parse(record.text());
    assertThat(again).isEqualTo(record).hasSameHashCodeAs(record);
    assertThat(again.text()).isEqualTo(expected);
    assertThat(again.hasUsablePolicy()).isEqualTo(record.hasUsablePolicy());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lintCases")
  void lintAddsPostureFindings(Cases.Row row) {
    DmarcProfile profile = DmarcProfile.valueOf(row.get(0));
    DmarcRecord record = DmarcRecord.parse(row.get(1));
    List<DmarcRecordFinding> lint = record.lint(profile);
    assertThat(lint.subList(0, record.findings().size())).isEqualTo(record.findings());
    List<DmarcRecordFinding> findings = lint.subList(record.findings().size(), lint.size());
    assertThat(codes(findings)).as("%s", findings).isEqualTo(row.get(2));
    for (DmarcRecordFinding f : findings) {
      assertThat(f.message()).isNotBlank();
      if (f.severity() == Severity.WARNING) {
        assertThat(f.message()).contains("Fix:");
      }
    }
  }

  @Test
  void appliesTheDefaults() {
    DmarcRecord record = DmarcRecord.parse("v=DMARC1");
    assertThat(record.policy()).isEmpty();
    assertThat(record.subdomainPolicy()).isEmpty();
    assertThat(record.nonexistentDomainPolicy()).isEmpty();
    assertThat(record.hasUsablePolicy()).isFalse();
    assertThat(record.psd()).isEqualTo(PsdFlag.UNSPECIFIED);
    assertThat(record.testing()).isFalse();
    assertThat(record.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(record.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(record.aggregateReportUris()).isEmpty();
    assertThat(record.failureReportUris()).isEmpty();
    assertThat(record.failureOptions()).containsExactly(FailureOption.ALL);
    assertThat(record.percent()).isEqualTo(100);
    assertThat(record.failureReportFormats()).containsExactly("afrf");
    assertThat(record.reportInterval()).isEqualTo(86_400);
    assertThat(record.tags()).containsExactly(Map.entry("v", "DMARC1"));
    assertThat(record.findings()).isEmpty();
  }

  @Test
  void readsEveryTag() {
    DmarcRecord record =
        DmarcRecord.parse(
            "v=DMARC1; p=Reject; sp=quarantine; np=none; psd=n; t=y; adkim=s; aspf=S; fo=s:1;"
                + " rua=mailto:a@example.com,https://r.example.net/x; ruf=mailto:f@example.com!1m;"
                + " pct=25; rf=iodef:afrf; ri=3600; ext=value with spaces");
    assertThat(record.policy()).contains(DmarcPolicy.REJECT);
    assertThat(record.subdomainPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(record.nonexistentDomainPolicy()).contains(DmarcPolicy.NONE);
    assertThat(record.hasUsablePolicy()).isTrue();
    assertThat(record.psd()).isEqualTo(PsdFlag.NO);
    assertThat(record.testing()).isTrue();
    assertThat(record.dkimAlignment()).isEqualTo(AlignmentMode.STRICT);
    assertThat(record.spfAlignment()).isEqualTo(AlignmentMode.STRICT);
    assertThat(record.aggregateReportUris())
        .extracting(ReportUri::text)
        .containsExactly("mailto:a@example.com", "https://r.example.net/x");
    assertThat(record.failureReportUris().get(0).sizeLimit()).hasValue(1 << 20);
    assertThat(record.failureOptions()).containsExactly(FailureOption.ANY, FailureOption.SPF);
    assertThat(record.percent()).isEqualTo(25);
    assertThat(record.failureReportFormats()).containsExactly("iodef", "afrf");
    assertThat(record.reportInterval()).isEqualTo(3600);
    assertThat(record.tags().keySet())
        .containsExactly(
            "v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf",
            "ri", "ext");
    assertThat(record.tags())
        .containsEntry("p", "Reject")
        .containsEntry("ext", "value with spaces");
    assertThat(record.findings())
        .extracting(DmarcRecordFinding::problem)
        .containsExactly(DmarcRecordProblem.UNKNOWN_TAG);
    assertThatThrownBy(() -> record.failureOptions().add(FailureOption.ALL))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> record.tags().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> record.aggregateReportUris().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anInvalidSubdomainPolicyMakesThePolicyUnusable() {
    // RFC 9989 §4.10.1: p present and valid, and sp and np valid where present.
    assertThat(DmarcRecord.parse("v=DMARC1; p=reject").hasUsablePolicy()).isTrue();
    assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus").hasUsablePolicy()).isFalse();
    assertThat(DmarcRecord.parse("v=DMARC1; p=reject; np=").hasUsablePolicy()).isFalse();
    assertThat(DmarcRecord.parse("v=DMARC1; p=rejected").hasUsablePolicy()).isFalse();
    assertThat(DmarcRecord.parse("v=DMARC1; sp=reject").hasUsablePolicy()).isFalse();
    DmarcRecord invalid = DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus");
    assertThat(invalid.subdomainPolicy()).isEmpty();
    // The invalid value survives writing, so the written record is unusable too.
    assertThat(DmarcRecord.parse(invalid.text()).hasUsablePolicy()).isFalse();
    assertThat(invalid).isNotEqualTo(DmarcRecord.parse("v=DMARC1; p=reject"));
  }

  @Test
  void equalityIgnoresOrderSpellingAndDuplicates() {
    DmarcRecord a = DmarcRecord.parse("v=DMARC1; p=reject; adkim=s; rua=MAILTO:d@example.com");
    DmarcRecord b =
        DmarcRecord.parse("v = DMARC1;rua=mailto:d@example.com ;ADKIM=S;p=REJECT;p=none;");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).hasToString(b.text());
    assertThat(a).isNotEqualTo(DmarcRecord.parse("v=DMARC1; p=reject; rua=mailto:d@example.com"));
    // An explicit default is a tag the record states.
    assertThat(DmarcRecord.parse("v=DMARC1; p=none; adkim=r"))
        .isNotEqualTo(DmarcRecord.parse("v=DMARC1; p=none"));
  }

  @Test
  void recognisesRecordsByTheirVersionTag() {
    assertThat(
            List.of(
                "v=DMARC1",
                "v=DMARC1;",
                "v=DMARC1; p=none",
                "v = DMARC1 ;p=none",
                "v=DMARC1 ",
                "v=DMARC1\tp=none",
                " v=DMARC1",
                "V=DMARC1"))
        .allMatch(DmarcRecord::isDmarcRecord);
    assertThat(
            List.of(
                "",
                "v=",
                "v=DMARC",
                "v=dmarc1",
                "v=DMARC10",
                "v=DMARC1,",
                "p=none; v=DMARC1",
                "v=spf1 -all",
                "x v=DMARC1",
                "v=DMARC2"))
        .noneMatch(DmarcRecord::isDmarcRecord);
  }

  @Test
  void buildsRecordsThatReadBack() {
    DmarcRecord record =
        DmarcRecord.builder()
            .policy(DmarcPolicy.REJECT)
            .subdomainPolicy(DmarcPolicy.QUARANTINE)
            .nonexistentDomainPolicy(DmarcPolicy.REJECT)
            .psd(PsdFlag.NO)
            .testing(false)
            .dkimAlignment(AlignmentMode.STRICT)
            .spfAlignment(AlignmentMode.RELAXED)
            .failureOptions(EnumSet.of(FailureOption.SPF, FailureOption.DKIM))
            .aggregateReportUris(
                List.of(
                    ReportUri.mailto("dmarc+agg@example.com"), ReportUri.mailto("\"a,b\"@x.org")))
            .failureReportUris(List.of(ReportUri.parse("mailto:f@example.com!10m")))
            .percent(100)
            .failureReportFormats(List.of("AFRF"))
            .reportInterval(3600)
            .tag("Ext_1", " an extension ")
            .build();
    assertThat(record.text())
        .isEqualTo(
            "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=n; adkim=s; aspf=r; fo=d:s;"
                + " rua=mailto:dmarc+agg@example.com,mailto:%22a%2Cb%22@x.org;"
                + " ruf=mailto:f@example.com!10m; pct=100; rf=afrf; ri=3600; ext_1=an extension");
    assertThat(DmarcRecord.parse(record.text())).isEqualTo(record);
    assertThat(record.findings())
        .extracting(DmarcRecordFinding::problem)
        .containsExactly(DmarcRecordProblem.UNKNOWN_TAG);
    assertThat(record.aggregateReportUris().get(1).mailbox()).contains("\"a,b\"@x.org");
    DmarcRecord variant = record.newBuilder().policy(DmarcPolicy.NONE).remove("ext_1").build();
    assertThat(variant.policy()).contains(DmarcPolicy.NONE);
    assertThat(variant.tags()).doesNotContainKey("ext_1");
    assertThat(record.newBuilder().build()).isEqualTo(record);
    assertThat(DmarcRecord.builder().aggregateReportUris(List.of()).build().text())
        .isEqualTo("v=DMARC1");
  }

  @Test
  void refusesWhatABuilderCannotWrite() {
    DmarcRecord.Builder b = DmarcRecord.builder();
    assertThatThrownBy(() -> b.percent(101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.percent(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reportInterval(1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.failureOptions(Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.failureReportFormats(List.of("a f")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.failureReportFormats(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tag("p", "reject")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tag("1x", "y")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tag("x", "a;b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tag("x", "\u00e9")).isInstanceOf(IllegalArgumentException.class);
    List<ReportUri> many =
        IntStream.rangeClosed(0, DmarcRecord.MAX_URIS)
            .mapToObj(k -> ReportUri.mailto("d" + k + "@example.com"))
            .toList();
    assertThatThrownBy(() -> b.aggregateReportUris(many))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.policy(null)).isInstanceOf(NullPointerException.class);
  }

  /** Random records, built from random tags and parsed from random orders, read back equal. */
  @Test
  void randomRecordsRoundTrip() {
    Random random = new Random(9989);
    for (int k = 0; k < 2_000; k++) {
      DmarcRecord built = randomBuilder(random).build();
      assertThat(DmarcRecord.parse(built.text())).as(built.text()).isEqualTo(built);
      assertThat(built.findings()).as(built.text()).isEmpty();

      // The same tags written in a random order, with random spacing and case, read back equal.
      List<Map.Entry<String, String>> entries = new ArrayList<>(built.tags().entrySet());
      entries.remove(0); // v stays first
      Collections.shuffle(entries, random);
      StringBuilder text = new StringBuilder("v=DMARC1");
      for (Map.Entry<String, String> e : entries) {
        String value = e.getValue();
        if (!e.getKey().startsWith("ru") && random.nextBoolean()) {
          value = value.toUpperCase(java.util.Locale.ROOT);
        }
        text.append(random.nextBoolean() ? "; " : " ;\t")
            .append(e.getKey())
            .append(random.nextBoolean() ? "=" : " = ")
            .append(value);
      }
      if (random.nextBoolean()) {
        text.append(';');
      }
      DmarcRecord shuffled = DmarcRecord.parse(text);
      assertThat(shuffled).as(text.toString()).isEqualTo(built);
      assertThat(shuffled.findings()).as(text.toString()).isEmpty();
      assertThat(DmarcRecord.parse(shuffled.text())).isEqualTo(shuffled);
    }
  }

  /** Random mutations of valid records: whatever parses, reads back equal from its text. */
  @Test
  void mutatedRecordsRoundTrip() {
    Random random = new Random(7489);
    String alphabet = "v=DMARC1;p=rejct, :!%2C0123456789kmgtaxyn@.\t\r\n\u00e9\u0000";
    int parsed = 0;
    for (int k = 0; k < 5_000; k++) {
      StringBuilder text = new StringBuilder(randomBuilder(random).build().text());
      for (int m = random.nextInt(4); m >= 0; m--) {
        int at = random.nextInt(text.length() + 1);
        if (random.nextBoolean() && at < text.length()) {
          text.deleteCharAt(at);
        } else {
          text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      DmarcRecord record;
      try {
        record = DmarcRecord.parse(text);
      } catch (DmarcSyntaxException e) {
        assertThat(DmarcRecord.isDmarcRecord(text)).as(text.toString()).isFalse();
        continue;
      }
      parsed++;
      assertThat(DmarcRecord.isDmarcRecord(text)).isTrue();
      DmarcRecord again = DmarcRecord.parse(record.text());
      assertThat(again).as(text.toString()).isEqualTo(record);
      assertThat(again.text()).isEqualTo(record.text());
      assertThat(again.hasUsablePolicy()).isEqualTo(record.hasUsablePolicy());
    }
    assertThat(parsed).isGreaterThan(2_500);
  }

  private static DmarcRecord.Builder randomBuilder(Random random) {
    DmarcRecord.Builder b = DmarcRecord.builder();
    DmarcPolicy[] policies = DmarcPolicy.values();
    if (random.nextInt(10) > 0) {
      b.policy(policies[random.nextInt(3)]);
    }
    if (random.nextBoolean()) {
      b.subdomainPolicy(policies[random.nextInt(3)]);
    }
    if (random.nextBoolean()) {
      b.nonexistentDomainPolicy(policies[random.nextInt(3)]);
    }
    if (random.nextBoolean()) {
      b.psd(PsdFlag.values()[random.nextInt(3)]);
    }
    if (random.nextBoolean()) {
      b.testing(random.nextBoolean());
    }
    if (random.nextBoolean()) {
      b.dkimAlignment(AlignmentMode.values()[random.nextInt(2)]);
    }
    if (random.nextBoolean()) {
      b.spfAlignment(AlignmentMode.values()[random.nextInt(2)]);
    }
    if (random.nextBoolean()) {
      EnumSet<FailureOption> options = EnumSet.noneOf(FailureOption.class);
      for (FailureOption o : FailureOption.values()) {
        if (random.nextBoolean()) {
          options.add(o);
        }
      }
      if (!options.isEmpty()) {
        b.failureOptions(options);
      }
    }
    if (random.nextBoolean()) {
      b.aggregateReportUris(randomUris(random));
    }
    if (random.nextBoolean()) {
      b.failureReportUris(randomUris(random));
    }
    if (random.nextBoolean()) {
      b.percent(random.nextInt(101));
    }
    if (random.nextBoolean()) {
      b.failureReportFormats(random.nextBoolean() ? List.of("afrf") : List.of("iodef", "afrf"));
    }
    if (random.nextBoolean()) {
      b.reportInterval(random.nextLong() >>> 32);
    }
    return b;
  }

  private static List<ReportUri> randomUris(Random random) {
    List<ReportUri> uris = new ArrayList<>();
    for (int k = random.nextInt(4); k >= 0; k--) {
      String local = List.of("dmarc", "d+r", "\"a,b\"", "r!x", "ré").get(random.nextInt(5));
      String text = ReportUri.mailto(local + k + "@example.com").text();
      switch (random.nextInt(4)) {
        case 0 -> uris.add(ReportUri.parse(text + "!" + random.nextInt(100_000)));
        case 1 -> uris.add(ReportUri.parse(text + "!" + random.nextInt(100) + "kmgt".charAt(k)));
        case 2 -> uris.add(ReportUri.parse("https://r" + k + ".example.net/dmarc"));
        default -> uris.add(ReportUri.parse(text));
      }
    }
    return uris;
  }

  // --- Hostile input ---

  @Test
  void capsTheProblemsOfAMegabyteOfJunk() {
    String junk = "v=DMARC1; p=reject; " + "x=1; =; p=none; ".repeat(70_000);
    assertThat(junk.length()).isGreaterThan(1_000_000);
    DmarcRecord record = DmarcRecord.parse(junk);
    assertThat(record.policy()).contains(DmarcPolicy.REJECT);
    assertThat(record.findings())
        .hasSizeLessThanOrEqualTo(2 * DmarcRecord.MAX_FINDINGS_PER_KIND + 1);
    assertThat(record.findings().get(record.findings().size() - 1).problem())
        .isEqualTo(DmarcRecordProblem.TOO_MANY_PROBLEMS);
    assertThat(record.findings().get(record.findings().size() - 1).position()).isEqualTo(-1);
    // Errors are kept apart from the rest, so that unknown tags cannot crowd them out.
    assertThat(record.findings()).filteredOn(p -> p.severity() == Severity.ERROR).hasSize(50);
  }

  @Test
  void anInvalidPolicyAfterThousandsOfUnknownTagsIsStillReported() {
    StringBuilder text = new StringBuilder("v=DMARC1; ");
    for (int k = 0; k < 20_000; k++) {
      text.append('x').append(k).append("=; ");
    }
    int at = text.length();
    text.append("p=rejected");
    DmarcRecord record = DmarcRecord.parse(text);
    assertThat(record.tags()).hasSize(20_002);
    assertThat(record.findings())
        .filteredOn(p -> p.problem() == DmarcRecordProblem.INVALID_VALUE)
        .singleElement()
        .satisfies(p -> assertThat(p.position()).isEqualTo(at + 2));
    assertThat(DmarcRecord.parse(record.text())).isEqualTo(record);
  }

  @Test
  void readsAtMostTheUriLimit() {
    String uris =
        IntStream.range(0, 5_000)
            .mapToObj(k -> "mailto:d" + k + "@example.com")
            .collect(Collectors.joining(","));
    DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=none; rua=" + uris + "; ruf=" + uris);
    assertThat(record.aggregateReportUris()).hasSize(DmarcRecord.MAX_URIS);
    assertThat(record.failureReportUris()).hasSize(DmarcRecord.MAX_URIS);
    assertThat(record.findings())
        .extracting(DmarcRecordFinding::problem)
        .containsExactly(DmarcRecordProblem.TOO_MANY_URIS, DmarcRecordProblem.TOO_MANY_URIS);
    assertThat(DmarcRecord.parse(record.text())).isEqualTo(record);
  }

  @Test
  void hugeValuesNeverThrow() {
    List<String> hostile =
        List.of(
            "v=DMARC1; pct=" + "9".repeat(1_000_000),
            "v=DMARC1; ri=" + "0".repeat(1_000_000) + "1",
            "v=DMARC1; rua=mailto:" + "%25".repeat(300_000) + "@example.com",
            "v=DMARC1; rua=mailto:d@example.com!" + "9".repeat(1_000_000) + "k",
            "v=DMARC1; rua=" + ",".repeat(1_000_000),
            "v=DMARC1; fo=" + ":".repeat(1_000_000),
            "v=DMARC1; rf=" + "a:".repeat(500_000),
            "v=DMARC1; " + "a".repeat(1_000_000) + "=x",
            "v=DMARC1" + " ".repeat(1_000_000) + ";p=none",
            "v=DMARC1; p=" + "\u0000".repeat(1_000_000),
            "v=DMARC1; " + ";".repeat(1_000_000),
            "v=DMARC1; " + "é=".repeat(500_000));
    for (String text : hostile) {
      DmarcRecord record = DmarcRecord.parse(text);
      assertThat(record.findings()).hasSizeLessThanOrEqualTo(101);
      assertThat(DmarcRecord.parse(record.text())).isEqualTo(record);
      record.lint(DmarcProfile.RFC9989);
    }
  }

  @Test
  void refusalOfAHugeRecordQuotesOnlyItsStart() {
    String text = "p=none; " + "x=y; ".repeat(100_000);
    DmarcSyntaxException e =
        catchThrowableOfType(DmarcSyntaxException.class, () -> DmarcRecord.parse(text));
    assertThat(e.errorIndex()).isZero();
    assertThat(e.getMessage()).hasSizeLessThan(300).contains("index 0");
  }

  @Test
  void tenKilobyteRecordOfUnknownTagsParsesInLinearTime() {
    LinearTime.assertLinear(n -> "v=DMARC1; p=reject; " + unknownTags(n), DmarcRecord::parse);
  }

  @Test
  void duplicateTagsParseInLinearTime() {
    LinearTime.assertLinear(
        n -> "v=DMARC1; p=reject; " + "p=none; sp=x; ".repeat(n / 2), DmarcRecord::parse);
  }

  @Test
  void uriListsParseInLinearTime() {
    // Past the URI limit the rest is skipped; within it, bad URIs and long ones stay linear.
    LinearTime.assertLinear(
        n -> "v=DMARC1; rua=" + "mailto:x%41".repeat(n) + "@example.com", DmarcRecord::parse);
    LinearTime.assertLinear(n -> "v=DMARC1; rua=" + "x,".repeat(n), DmarcRecord::parse);
  }

  @Test
  void longValuesParseInLinearTime() {
    LinearTime.assertLinear(n -> "v=DMARC1; fo=" + "0:x:".repeat(n), DmarcRecord::parse);
    LinearTime.assertLinear(n -> "v=DMARC1; pct=" + "0".repeat(8 * n) + "5", DmarcRecord::parse);
    LinearTime.assertLinear(n -> "v=DMARC1; rf=" + "afrf:".repeat(n), DmarcRecord::parse);
    LinearTime.assertLinear(
        n -> "v=DMARC1; x=" + "a b ".repeat(n), text -> DmarcRecord.parse(text).text());
  }

  @Test
  void lintTakesLinearTime() {
    LinearTime.assertLinear(
        n -> "v=DMARC1; " + unknownTags(n) + "p=none",
        text -> DmarcRecord.parse(text).lint(DmarcProfile.RFC7489));
  }

  private static String unknownTags(int count) {
    StringBuilder sb = new StringBuilder(count * 6);
    for (int k = 0; k < count; k++) {
      sb.append('x').append(Integer.toString(k, 36)).append("=; ");
    }
    return sb.toString();
  }
}
