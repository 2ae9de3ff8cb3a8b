package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What reading a policy file found: the policy, unless there was an error, and every problem with
 * its line. Immutable.
 *
 * <p>The parser lists at most 100 problems, and a last warning counts those it left out. Errors are
 * listed in preference to warnings, so a result without a policy always lists the errors that
 * refused it, up to that limit.
 *
 * @param policy the policy; empty if any problem is an error
 * @param problems errors and warnings, in the order of the file
 */
public record PolicyParseResult(Optional<MtaStsPolicy> policy, List<PolicyProblem> problems) {

  /**
   * Creates a result.
   *
   * @param policy the policy, or empty
   * @param problems the problems
   */
  public PolicyParseResult {
    requireNonNull(policy, "policy");
    problems = List.copyOf(problems);
  }

  /**
   * Returns the problems that make the policy invalid.
   *
   * @return the errors, in the order of the file
   */
  public List<PolicyProblem> errors() {
    return problems.stream().filter(p -> p.severity() == PolicyProblem.Severity.ERROR).toList();
  }

  /**
   * Returns the deviations that were tolerated.
   *
   * @return the warnings, in the order of the file
   */
  public List<PolicyProblem> warnings() {
    return problems.stream().filter(p -> p.severity() == PolicyProblem.Severity.WARNING).toList();
  }
}
