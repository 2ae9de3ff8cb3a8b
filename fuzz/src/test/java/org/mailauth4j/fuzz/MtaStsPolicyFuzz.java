package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.mtasts.MtaStsPolicy;
import org.mailauth4j.mtasts.MtaStsSyntaxException;
import org.mailauth4j.mtasts.PolicyFinding;
import org.mailauth4j.mtasts.PolicyLeniency;
import org.mailauth4j.mtasts.PolicyParseResult;

/**
 * MTA-STS policy files (RFC 8461 §3.2) in both modes: {@link MtaStsPolicy#parseWithFindings}
 * reports and never throws, {@link MtaStsPolicy#parse} agrees with its strict result, lenient
 * reading never refuses what strict reading accepts, and every policy read writes back ({@link
 * MtaStsPolicy#toPolicyText()}) as a file that reads strictly, without an error, as the same
 * policy.
 */
class MtaStsPolicyFuzz {

  @FuzzTarget
  void parseStrict(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          PolicyParseResult strict = parse(text, PolicyLeniency.STRICT);
          MtaStsPolicy parsed =
              Contract.parseOrNull(MtaStsSyntaxException.class, () -> MtaStsPolicy.parse(text));
          assertEqual(
              "parse() and the strict result", strict.policy(), Optional.ofNullable(parsed));
        });
  }

  @FuzzTarget
  void parseLenient(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          PolicyParseResult lenient = parse(text, PolicyLeniency.LENIENT);
          PolicyParseResult strict = parse(text, PolicyLeniency.STRICT);
          if (strict.policy().isPresent()) {
            assertEqual(
                "lenient reading of a strictly valid file", strict.policy(), lenient.policy());
          }
        });
  }

  private static PolicyParseResult parse(String text, PolicyLeniency leniency) {
    PolicyParseResult result = MtaStsPolicy.parseWithFindings(text, leniency);
    check(
        result.policy().isPresent() == result.errors().isEmpty(),
        leniency + ": a policy exactly when there is no error, but " + result);
    for (PolicyFinding problem : result.findings()) {
      check(problem.line() >= 0 && problem.message() != null, "problem " + problem);
    }
    result
        .policy()
        .ifPresent(
            policy -> {
              String written = policy.toPolicyText();
              PolicyParseResult again =
                  MtaStsPolicy.parseWithFindings(written, PolicyLeniency.STRICT);
              // Documented: parse() reads it back as an equal policy. Warnings may remain: an
              // extension named "Mode" is kept, and written, as it was read.
              assertEqual("errors of toPolicyText()", List.of(), again.errors());
              assertEqual(
                  "policy read back from toPolicyText()", Optional.of(policy), again.policy());
            });
    return result;
  }
}
