package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.spf.SpfOutcome;
import org.mailauth4j.spf.SpfResult;

/** What every SPF outcome must satisfy, whatever DNS held. */
final class SpfOutcomes {
  private SpfOutcomes() {}

  static void checkOutcome(SpfOutcome outcome) {
    check(outcome != null && outcome.result() != null, "no outcome");
    check(
        outcome.explanation().isEmpty() || outcome.result() == SpfResult.FAIL,
        "an explanation for " + outcome.result());
    String field = outcome.receivedSpf();
    // Received-SPF is a header field: nothing from DNS or the client may break it into lines.
    check(
        field.indexOf('\r') < 0 && field.indexOf('\n') < 0, "line break in Received-SPF: " + field);
    check(field.startsWith("Received-SPF: " + outcome.result().token()), "Received-SPF result");
  }
}
