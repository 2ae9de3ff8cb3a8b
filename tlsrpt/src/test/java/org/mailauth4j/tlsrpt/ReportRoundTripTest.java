package org.mailauth4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.mtasts.TlsRptResultType;

/**
 * What {@link TlsReportJson} writes, {@link TlsReportReader} reads back equal: reports generated
 * from fixed seeds, with every optional field present or not, strings of any Unicode (control
 * characters, quotes, astral planes), instants with and without fractions, counts up to 2^53 − 1.
 */
class ReportRoundTripTest {
  private static final TlsReportReader READER = TlsReportReader.builder().build();

  static Stream<Arguments> seeds() {
    return IntStream.range(0, 40).mapToObj(seed -> Arguments.of(Named.of("seed " + seed, seed)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void readsBackWhatTheWriterWrote(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 25; i++) {
      TlsReport report = new Generator(random).report();
      byte[] json = TlsReportJson.toJson(report);
      assertThat(READER.read(json)).isEqualTo(report);
      assertThat(READER.read(TlsReportJson.toGzip(report))).isEqualTo(report);
      assertThat(READER.read(new ByteArrayInputStream(TlsReportJson.toGzip(report))))
          .isEqualTo(report);
      assertThat(READER.read(new ByteArrayInputStream(json))).isEqualTo(report);
    }
  }

  /** Random reports, within what the RFC's JSON can hold. */
  static final class Generator {
    private static final String[] POLICY_TYPES = {"sts", "tlsa", "no-policy-found", "x-new-type"};
    private final SplittableRandom random;

    Generator(SplittableRandom random) {
      this.random = random;
    }

    TlsReport report() {
      Instant start = instant();
      Instant end = random.nextInt(4) == 0 ? start : start.plusSeconds(random.nextInt(864_000));
      List<PolicyResult> policies = new ArrayList<>();
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        policies.add(policyResult());
      }
      return new TlsReport(text(), new DateRange(start, end), maybe(), text(), policies);
    }

    private PolicyResult policyResult() {
      ReportedPolicy policy =
          new ReportedPolicy(
              random.nextInt(5) == 0 ? text() : POLICY_TYPES[random.nextInt(POLICY_TYPES.length)],
              texts(),
              maybe(),
              texts());
      List<FailureDetail> details = new ArrayList<>();
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        TlsRptResultType[] types = TlsRptResultType.values();
        details.add(
            new FailureDetail(
                random.nextInt(6) == 0 ? text() : types[random.nextInt(types.length)].token(),
                maybe(),
                maybe(),
                maybe(),
                maybe(),
                count(),
                maybe(),
                maybe()));
      }
      return new PolicyResult(policy, count(), count(), details);
    }

    private long count() {
      switch (random.nextInt(4)) {
        case 0:
          return 0;
        case 1:
          return ReportJsonParser.MAX_COUNT - random.nextInt(2);
        default:
          return random.nextLong(1L << random.nextInt(1, 53));
      }
    }

    /** An instant of RFC 3339's years, with a fraction of a second or none. */
    private Instant instant() {
      long seconds = random.nextLong(-62_167_219_200L, 253_402_300_799L); // 0000 to 9999
      int nanos =
          random.nextBoolean()
              ? 0
              : random.nextBoolean()
                  ? random.nextInt(1000) * 1_000_000
                  : random.nextInt(1_000_000_000);
      return Instant.ofEpochSecond(seconds, nanos);
    }

    private Optional<String> maybe() {
      return random.nextBoolean() ? Optional.of(text()) : Optional.empty();
    }

    private List<String> texts() {
      List<String> list = new ArrayList<>();
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        list.add(text());
      }
      return list;
    }

    /** Any Unicode text without lone surrogates, which I-JSON forbids (RFC 7493 §2.1). */
    private String text() {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(12);
      for (int i = 0; i < n; i++) {
        int cp;
        switch (random.nextInt(5)) {
          case 0:
            cp = random.nextInt(0x20); // control characters, escaped in JSON
            break;
          case 1:
            cp = "\"\\/!@.:-".charAt(random.nextInt(8));
            break;
          case 2:
            cp = random.nextInt(0x80, 0xD800);
            break;
          case 3:
            cp = random.nextInt(0x10000, 0x110000); // surrogate pairs
            break;
          default:
            cp = random.nextInt(0x20, 0x7F);
        }
        sb.appendCodePoint(cp);
      }
      return sb.toString();
    }
  }
}
