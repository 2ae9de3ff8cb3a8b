package org.mailauth4j.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailauth4j.dmarc.FailureOption.ALL;
import static org.mailauth4j.dmarc.FailureOption.ANY;
import static org.mailauth4j.dmarc.FailureOption.DKIM;
import static org.mailauth4j.dmarc.FailureOption.SPF;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailauth4j.dmarc.DmarcResult;
import org.mailauth4j.dmarc.FailureOption;
import org.mailauth4j.dmarc.report.FailureReportComposer.Mechanism;

/**
 * When the record's {@code fo} asks for a failure report (RFC 9991 §3 and RFC 9989's {@code fo}
 * tag; RFC 7489 §6.3): {@code 0} when no mechanism gave an aligned pass, {@code 1} when any did
 * not, {@code d} when a signature failed evaluation whatever its alignment, {@code s} when SPF
 * failed whatever its alignment; nothing when DMARC itself reached neither pass nor fail.
 */
class FailureOptionsTableTest {
  private static final Optional<Mechanism> NO_SPF = Optional.empty();
  private static final List<Mechanism> NO_DKIM = List.of();

  private static Optional<Mechanism> spf(String result, boolean alignedPass) {
    return Optional.of(new Mechanism(result, alignedPass));
  }

  private static List<Mechanism> dkim(Mechanism... m) {
    return List.of(m);
  }

  private static Mechanism sig(String result, boolean alignedPass) {
    return new Mechanism(result, alignedPass);
  }

  private static Arguments row(
      String name,
      Set<FailureOption> fo,
      DmarcResult result,
      Optional<Mechanism> spf,
      List<Mechanism> dkim,
      Set<FailureOption> due) {
    return Arguments.of(name, fo, result, spf, dkim, due);
  }

  static Stream<Arguments> table() {
    Set<FailureOption> none = EnumSet.noneOf(FailureOption.class);
    Set<FailureOption> every = new LinkedHashSet<>(List.of(ALL, ANY, DKIM, SPF));
    return Stream.of(
        row(
            "fo=0, nothing aligned passes",
            Set.of(ALL),
            DmarcResult.FAIL,
            spf("fail", false),
            NO_DKIM,
            Set.of(ALL)),
        row(
            "fo=0, unsigned and no SPF result",
            Set.of(ALL),
            DmarcResult.FAIL,
            NO_SPF,
            NO_DKIM,
            Set.of(ALL)),
        row(
            "fo=0, SPF passes aligned",
            Set.of(ALL),
            DmarcResult.PASS,
            spf("pass", true),
            dkim(sig("fail", false)),
            none),
        row(
            "fo=0, DKIM passes aligned",
            Set.of(ALL),
            DmarcResult.PASS,
            spf("softfail", false),
            dkim(sig("pass", true)),
            none),
        row(
            "fo=1, SPF aligned, no signature",
            Set.of(ANY),
            DmarcResult.PASS,
            spf("pass", true),
            NO_DKIM,
            Set.of(ANY)),
        row(
            "fo=1, DKIM aligned, SPF passes unaligned",
            Set.of(ANY),
            DmarcResult.PASS,
            spf("pass", false),
            dkim(sig("pass", true)),
            Set.of(ANY)),
        row(
            "fo=1, both aligned",
            Set.of(ANY),
            DmarcResult.PASS,
            spf("pass", true),
            dkim(sig("pass", true)),
            none),
        row(
            "fo=1, both fail",
            Set.of(ANY),
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("fail", false)),
            Set.of(ANY)),
        row(
            "fo=d, an unaligned signature fails, SPF aligns",
            Set.of(DKIM),
            DmarcResult.PASS,
            spf("pass", true),
            dkim(sig("fail", false)),
            Set.of(DKIM)),
        row(
            "fo=d, one of two signatures fails",
            Set.of(DKIM),
            DmarcResult.PASS,
            NO_SPF,
            dkim(sig("pass", true), sig("fail", false)),
            Set.of(DKIM)),
        row(
            "fo=d, a signature with a permanent error",
            Set.of(DKIM),
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("permerror", false)),
            Set.of(DKIM)),
        row(
            "fo=d, a temporary error is no failure",
            Set.of(DKIM),
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("temperror", false)),
            none),
        row("fo=d, unsigned", Set.of(DKIM), DmarcResult.FAIL, spf("fail", false), NO_DKIM, none),
        row(
            "fo=d, the signature passes unaligned",
            Set.of(DKIM),
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("pass", false)),
            none),
        row(
            "fo=s, SPF fails, DKIM aligns",
            Set.of(SPF),
            DmarcResult.PASS,
            spf("fail", false),
            dkim(sig("pass", true)),
            Set.of(SPF)),
        row(
            "fo=s, softfail",
            Set.of(SPF),
            DmarcResult.FAIL,
            spf("softfail", false),
            NO_DKIM,
            Set.of(SPF)),
        row(
            "fo=s, permerror",
            Set.of(SPF),
            DmarcResult.FAIL,
            spf("permerror", false),
            NO_DKIM,
            Set.of(SPF)),
        row(
            "fo=s, neutral is no failure",
            Set.of(SPF),
            DmarcResult.FAIL,
            spf("neutral", false),
            NO_DKIM,
            none),
        row(
            "fo=s, none is no failure",
            Set.of(SPF),
            DmarcResult.FAIL,
            spf("none", false),
            NO_DKIM,
            none),
        row(
            "fo=s, passes unaligned",
            Set.of(SPF),
            DmarcResult.FAIL,
            spf("pass", false),
            NO_DKIM,
            none),
        row(
            "fo=0:1:d:s, everything fails",
            every,
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("fail", false)),
            every),
        row(
            "fo=0:1:d:s, DMARC temperror",
            every,
            DmarcResult.TEMPERROR,
            spf("fail", false),
            dkim(sig("fail", false)),
            none),
        row(
            "fo=0:1:d:s, DMARC permerror",
            every,
            DmarcResult.PERMERROR,
            spf("fail", false),
            dkim(sig("fail", false)),
            none),
        row(
            "fo=0:1:d:s, no DMARC record",
            every,
            DmarcResult.NONE,
            spf("fail", false),
            dkim(sig("fail", false)),
            none),
        row(
            "no fo options",
            none,
            DmarcResult.FAIL,
            spf("fail", false),
            dkim(sig("fail", false)),
            none));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsWhenTheOptionsAsk(
      String name,
      Set<FailureOption> fo,
      DmarcResult result,
      Optional<Mechanism> spf,
      List<Mechanism> dkim,
      Set<FailureOption> due) {
    assertThat(FailureReportComposer.due(fo, result, spf, dkim)).isEqualTo(due);
  }
}
