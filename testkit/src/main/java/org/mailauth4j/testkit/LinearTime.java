package org.mailauth4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Proves that a parser takes time linear in its input without asserting any absolute speed: the
 * time for one input of {@value #LARGE} units (lines, fields, mailboxes) is compared with the time
 * for eight inputs of {@value #SMALL}, about the same for a linear parser and eight times as long
 * for a quadratic one. Times are this thread's CPU time, which other processes on a busy machine do
 * not inflate (the wall clock where the JVM cannot tell).
 */
public final class LinearTime {
  /** The units of each of the eight small inputs. */
  public static final int SMALL = 4_000;

  /** The units of the large input. */
  public static final int LARGE = 8 * SMALL;

  /** Three times the ratio of a linear parser; a quadratic one has about eight. */
  private static final double MAX_RATIO = 3.0;

  private static final int MAX_RUNS = 25;

  private LinearTime() {}

  /**
   * Asserts that {@code parse} is linear over inputs of the shape {@code input} makes. The two
   * sizes are measured in turn, so that both see the same machine load, each as the best of at
   * least five runs; on a busy machine the JIT may not have settled after the warm-up, so up to
   * {@value #MAX_RUNS} runs are made until the bests are in a linear ratio. A quadratic parser
   * stays near eight however many runs it gets. An {@link IllegalArgumentException} from {@code
   * parse} (a refused input) counts like a result: only the time matters.
   *
   * @param input makes an input of {@code n} units
   * @param parse the work to time
   */
  public static void assertLinear(IntFunction<String> input, Consumer<String> parse) {
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
      System.gc(); // so that the garbage of one run is not collected, in part, in the next
      long start = cpuNanos();
      eightTimes(parse, small);
      long middle = cpuNanos();
      swallow(parse, large);
      long end = cpuNanos();
      smallNanos = Math.min(smallNanos, middle - start);
      largeNanos = Math.min(largeNanos, end - middle);
      ratio = (double) largeNanos / Math.max(1, smallNanos);
    }
    double measured = ratio;
    long smallBest = smallNanos;
    long largeBest = largeNanos;
    assertTrue(
        measured < MAX_RATIO,
        () ->
            String.format(
                "one input of %d vs eight of %d: %d ns vs %d ns, ratio %.2f (linear ~1,"
                    + " quadratic ~8)",
                LARGE, SMALL, largeBest, smallBest, measured));
  }

  /** This thread's CPU time, or the wall clock where the JVM cannot tell. */
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
    } catch (IllegalArgumentException e) {
      // a refused input: only the time matters here
    }
  }
}
