package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.Severity;

/**
 * What reading a policy file found: the policy, unless there was an error, and every finding with
 * its line.
 *
 * <p>The parser lists at most 100 findings, and a last warning counts those it left out. Errors are
 * listed in preference to warnings, so a result without a policy always lists the errors that
 * refused it, up to that limit.
 *
 * <p>Made by {@link MtaStsPolicy#parseWithFindings(CharSequence, PolicyLeniency)}; it has no public
 * constructor, so that later versions can add evidence without breaking callers. Immutable and
 * thread-safe; equal when all their fields are.
 */
public final class PolicyParseResult {
  private final Optional<MtaStsPolicy> policy;
  private final List<PolicyFinding> findings;

  PolicyParseResult(Optional<MtaStsPolicy> policy, List<PolicyFinding> findings) {
    this.policy = requireNonNull(policy, "policy");
    this.findings = List.copyOf(findings);
  }

  /**
   * Returns the policy.
   *
   * @return the policy; empty if any finding is an error
   */
  public Optional<MtaStsPolicy> policy() {
    return policy;
  }

  /**
   * Returns what was found.
   *
   * @return errors and warnings, in the order of the file
   */
  public List<PolicyFinding> findings() {
    return findings;
  }

  /**
   * Returns the findings that make the policy invalid.
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

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is a result with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyParseResult r
        && policy.equals(r.policy)
        && findings.equals(r.findings);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(policy, findings);
  }

  /**
   * Describes the result as {@code PolicyParseResult[policy=…, findings=…]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "PolicyParseResult[policy=" + policy + ", findings=" + findings + "]";
  }
}
