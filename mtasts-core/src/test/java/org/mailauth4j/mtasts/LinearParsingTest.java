package org.mailauth4j.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every MTA-STS parser takes time linear in its input. A policy file of many lines without a colon
 * once took seconds, because the search for each line's colon ran on to the end of the file.
 *
 * <p>No absolute speed is asserted: the time for one input of 32,000 lines (or fields) is compared
 * with the time for eight inputs of 4,000 (three doublings of the size).
 */
class LinearParsingTest {
  private static final int SMALL = 4_000;
  private static final int LARGE = 8 * SMALL;

  /** Three times the ratio of a linear parser; a quadratic one has about eight. */
  private static final double MAX_RATIO = 3.0;

  private static final int MAX_RUNS = 25;

  private static final String HEAD = "version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n";

  @Test
  void policyOfManyLinesWithoutAColonParsesInLinearTime() {
    assertLinear(n -> HEAD + "this is no field\r\n".repeat(n), strict());
    assertLinear(n -> HEAD + "this is no field\n".repeat(n), lenient());
  }

  @Test
  void policyOfManyLinesWithAColonOnlyAtTheEndParsesInLinearTime() {
    assertLinear(n -> HEAD + "no field until the end\r\n".repeat(n) + "x: y\r\n", strict());
  }

  @Test
  void policyOfManyMxLinesParsesInLinearTime() {
    assertLinear(n -> HEAD + "mx: mail.example.com\r\n".repeat(n), strict());
    // Lenient: each pattern is refused, then read again without its trailing dot. That costs an
    // exception per line, so fewer lines keep the test short.
    assertLinear(n -> HEAD + "mx: mail.example.com.\n".repeat(n / 4), lenient());
  }

  @Test
  void policyOfManyBlankLinesParsesInLinearTime() {
    assertLinear(n -> HEAD + "\r\n".repeat(n) + "mx: mail.example.com\r\n", lenient());
  }

  @Test
  void policyOfManyExtensionFieldsParsesInLinearTime() {
    assertLinear(
        n -> {
          StringBuilder sb = new StringBuilder(HEAD).append("mx: mail.example.com\r\n");
          for (int k = 0; k < n; k++) {
            sb.append('x').append(Integer.toString(k, 36)).append(": v\r\n");
          }
          return sb.toString();
        },
        strict());
  }

  @Test
  void policyOfManyKeysInAnotherCaseParsesInLinearTime() {
    // Lenient: read once with keys as written (no mx field, so no policy), then once more with
    // "Mx" read as "mx".
    assertLinear(n -> HEAD + "Mx: mail.example.com\r\n".repeat(n), lenient());
  }

  @Test
  void policyOfManyWarningsThenManyErrorsParsesInLinearTime() {
    // Past the cap on problems listed, errors take the place of warnings.
    assertLinear(n -> HEAD + "\r\n".repeat(n / 2) + "J\r\n".repeat(n / 2), lenient());
  }

  @Test
  void mtaStsRecordOfManyFieldsParsesInLinearTime() {
    assertLinear(
        n -> {
          StringBuilder sb = new StringBuilder("v=STSv1; id=1");
          for (int k = 0; k < n; k++) {
            sb.append("; e").append(Integer.toString(k, 36)).append("=v");
          }
          return sb.toString();
        },
        MtaStsRecord::parse);
    assertLinear(n -> "v=STSv1; id=1" + "; x=v".repeat(n), MtaStsRecord::parse);
  }

  @Test
  void longMxPatternIsRefusedInLinearTime() {
    assertLinear(n -> "*." + "a.".repeat(n) + "com", MxPattern::parse);
  }

  private static Consumer<String> strict() {
    return text -> MtaStsPolicy.parseWithProblems(text, PolicyLeniency.STRICT);
  }

  private static Consumer<String> lenient() {
    return text -> MtaStsPolicy.parseWithProblems(text, PolicyLeniency.LENIENT);
  }

  /**
   * Asserts that parsing one input of 32,000 units takes about as long as parsing eight inputs of
   * 4,000: about the same time if parsing is linear, eight times as long if it is quadratic. The
   * two are measured in turn, so that both see the same machine load, and each is the best of five
   * runs. On a busy machine the JIT may not have settled after the warm-up, so up to {@value
   * #MAX_RUNS} runs are made until the bests are in a linear ratio: a quadratic parser stays near
   * eight however many runs it gets.
   */
  static void assertLinear(IntFunction<String> input, Consumer<String> parse) {
    String small = input.apply(SMALL);
    String large = input.apply(LARGE);
    for (int warmUp = 0; warmUp < 20; warmUp++) {
      eightTimes(parse, small); // let the JIT compile the parser first
      swallow(parse, large);
    }
    long smallNanos = Long.MAX_VALUE;
    long largeNanos = Long.MAX_VALUE;
    double ratio = Double.MAX_VALUE;
    for (int run = 0; run < MAX_RUNS && (run < 5 || ratio >= MAX_RATIO); run++) {
      long start = cpuNanos();
      eightTimes(parse, small);
      long middle = cpuNanos();
      swallow(parse, large);
      long end = cpuNanos();
      smallNanos = Math.min(smallNanos, middle - start);
      largeNanos = Math.min(largeNanos, end - middle);
      ratio = (double) largeNanos / Math.max(1, smallNanos);
    }
    assertThat(ratio)
        .as(
            "one input of %d vs eight of %d: %d ns vs %d ns (linear ~1, quadratic ~8)",
            LARGE, SMALL, largeNanos, smallNanos)
        .isLessThan(MAX_RATIO);
  }

  /**
   * The CPU time of this thread, which other processes on a busy machine do not inflate; the wall
   * clock where the JVM cannot tell.
   */
  private static long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported()
        ? threads.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  private static void eightTimes(Consumer<String> parse, String text) {
    for (int k = 0; k < LARGE / SMALL; k++) {
      swallow(parse, text);
    }
  }

  private static void swallow(Consumer<String> parse, String text) {
    try {
      parse.accept(text);
    } catch (MtaStsSyntaxException e) {
      // only the time matters here
    }
  }
}
