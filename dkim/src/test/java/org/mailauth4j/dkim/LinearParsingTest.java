package org.mailauth4j.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every DKIM parser takes time linear in its input. A tag-list of tens of thousands of short tags
 * once took seconds, because each tag was compared with every earlier one to find duplicates (RFC
 * 6376 §3.2).
 *
 * <p>No absolute speed is asserted: the time for one input of 32,000 tags is compared with the time
 * for eight inputs of 4,000 (three doublings of the size).
 */
class LinearParsingTest {
  private static final int SMALL = 4_000;
  private static final int LARGE = 8 * SMALL;

  /** Short, distinct, unknown tags ({@code x0=;x1=;...}), which RFC 6376 §3.2 says to ignore. */
  static String unknownTags(int count) {
    StringBuilder sb = new StringBuilder(count * 6);
    for (int k = 0; k < count; k++) {
      sb.append('x').append(Integer.toString(k, 36)).append("=;");
    }
    return sb.toString();
  }

  static String signatureWithTags(int count) {
    return "v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=AAAA; "
        + unknownTags(count)
        + " b=AAAA";
  }

  static String keyRecordWithTags(int count) {
    return "v=DKIM1; k=rsa; " + unknownTags(count) + " p=AAAA";
  }

  @Test
  void signatureWithThirtyTwoThousandTagsParsesInLinearTime() {
    assertThat(signatureWithTags(LARGE).length()).isGreaterThan(150_000);
    assertLinear(LinearParsingTest::signatureWithTags, DkimSignature::parse);
  }

  @Test
  void keyRecordWithThirtyTwoThousandTagsParsesInLinearTime() {
    assertLinear(LinearParsingTest::keyRecordWithTags, DkimKeyRecord::parse);
  }

  @Test
  void duplicateTagAfterThirtyTwoThousandOthersIsStillFound() {
    String duplicated = signatureWithTags(LARGE) + "; x0=again";
    assertThatThrownBy(() -> DkimSignature.parse(duplicated))
        .isInstanceOfSatisfying(
            DkimSyntaxException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(DkimProblem.SIGNATURE_SYNTAX);
              assertThat(e.reason()).isEqualTo("duplicate tag x0");
              assertThat(e.errorIndex()).isEqualTo(duplicated.lastIndexOf("x0=again"));
            });
  }

  @Test
  void evidenceOfThirtyTwoThousandBrokenTagSpecsIsReadInLinearTime() {
    // Every tag-spec is malformed ("1x" is no tag name) or repeated, so the lenient reader skips
    // or keeps each one: still one pass.
    assertLinear(
        n -> "d=example.com; s=s1; " + "1x=;d=a;".repeat(n / 2),
        text -> SignatureEvidence.read(text, TagList.UNLIMITED));
  }

  @Test
  void signedHeaderListOfThirtyTwoThousandNamesParsesInLinearTime() {
    assertLinear(
        n ->
            "v=1; a=rsa-sha256; d=example.com; s=s1; bh=AAAA; b=AAAA; h=from"
                + ":x".repeat(n)
                + ":y",
        DkimSignature::parse);
  }

  @Test
  void headerOfManyFieldsParsesInLinearTime() {
    assertLinear(
        n -> "X-A: 1\r\n".repeat(n) + "\r\nbody\r\n",
        text -> MessageHeader.parse(text.getBytes(ISO_8859_1)));
  }

  @Test
  void selectingThirtyTwoThousandSignedFieldsTakesLinearTime() {
    // RFC 6376 §5.4.2: each name in h= takes the next instance from the bottom up. Names of
    // fields that are there and of fields that are not, all distinct.
    assertLinear(
        n -> {
          StringBuilder header = new StringBuilder();
          for (int k = 0; k < n; k++) {
            header.append("X-").append(k).append(": v\r\n");
          }
          return header.append("\r\n").toString();
        },
        text -> {
          MessageHeader header = MessageHeader.parse(text.getBytes(ISO_8859_1));
          List<String> names = new ArrayList<>();
          for (int k = 0; k < header.fieldCount(); k++) {
            names.add("x-" + k);
            names.add("y-" + k);
          }
          HeaderCanonicalizer.appendSignedFields(
              Canonicalization.RELAXED, header, names, -1, new ByteSink(64));
        });
  }

  /**
   * Asserts that parsing one input of 32,000 units takes about as long as parsing eight inputs of
   * 4,000: about the same time if parsing is linear, eight times as long if it is quadratic. The
   * two are measured in turn, so that both see the same machine load, and each is the best of five.
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
    for (int run = 0; run < 5; run++) {
      long start = cpuNanos();
      eightTimes(parse, small);
      long middle = cpuNanos();
      swallow(parse, large);
      long end = cpuNanos();
      smallNanos = Math.min(smallNanos, middle - start);
      largeNanos = Math.min(largeNanos, end - middle);
    }
    double ratio = (double) largeNanos / Math.max(1, smallNanos);
    assertThat(ratio)
        .as(
            "one input of %d vs eight of %d: %d ns vs %d ns (linear ~1, quadratic ~8)",
            LARGE, SMALL, largeNanos, smallNanos)
        .isLessThan(3.0);
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
    } catch (DkimSyntaxException e) {
      // only the time matters here
    }
  }
}
