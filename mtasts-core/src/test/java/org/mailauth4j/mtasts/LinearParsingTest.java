package org.mailauth4j.mtasts;

import static org.mailauth4j.testkit.LinearTime.assertLinear;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every MTA-STS parser takes time linear in its input. A policy file of many lines without a colon
 * once took seconds, because the search for each line's colon ran on to the end of the file.
 *
 * <p>No absolute speed is asserted: the time for one input of 32,000 lines (or fields) is compared
 * with the time for eight inputs of 4,000 (three doublings of the size).
 */
class LinearParsingTest {

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
    return text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.STRICT);
  }

  private static Consumer<String> lenient() {
    return text -> MtaStsPolicy.parseWithFindings(text, PolicyLeniency.LENIENT);
  }
}
