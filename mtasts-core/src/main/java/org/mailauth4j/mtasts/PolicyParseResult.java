package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.Severity;

/**
 * What reading a policy file found: the policy, unless there was an error, and every problem with
 * its line. Immutable.
 *
 * <p>The parser lists at most 100 problems, and a last warning counts those it left out. Errors are
 * listed in preference to warnings, so a result without a policy always lists the errors that
 * refused it, up to that limit.
 *
 * @param policy the policy; empty if any problem is an error
 * @param findings errors and warnings, in the order of the file
 */
public record PolicyParseResult(Optional<MtaStsPolicy> policy, List<PolicyFinding> findings) {

  /**
   * Creates a result.
   *
   * @param policy the policy, or empty
   * @param findings the problems
   */
  public PolicyParseResult {
    requireNonNull(policy, "policy");
    findings = List.copyOf(findings);
  }

  /**
   * Returns the problems that make the policy invalid.
   *
   * @return the errors, in the order of the file
   */
  public List<PolicyFinding> errors() {
    return findings.stream().filter(p -> p.severity() == Severity.ERROR).toList();
  }

  /**
   * Returns the deviations that were tolerated.
   *
   * @return the warnings, in the order of the file
   */
  public List<PolicyFinding> warnings() {
    return findings.stream().filter(p -> p.severity() == Severity.WARNING).toList();
  }
}
