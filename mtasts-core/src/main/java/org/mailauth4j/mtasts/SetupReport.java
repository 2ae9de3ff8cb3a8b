package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;
import org.mailauth4j.dns.Severity;

/**
 * The result of checking a domain's own MTA-STS set-up: the record and policy found, and the
 * findings in the order they were checked.
 *
 * <p>Made by {@link MtaStsSetupCheck}; it has no public constructor, so that later versions can add
 * evidence without breaking callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class SetupReport {
  private final DomainName domain;
  private final Optional<MtaStsRecord> record;
  private final Optional<MtaStsPolicy> policy;
  private final List<SetupFinding> findings;

  SetupReport(
      DomainName domain,
      Optional<MtaStsRecord> record,
      Optional<MtaStsPolicy> policy,
      List<SetupFinding> findings) {
    this.domain = requireNonNull(domain, "domain");
    this.record = requireNonNull(record, "record");
    this.policy = requireNonNull(policy, "policy");
    this.findings = List.copyOf(findings);
  }

  /**
   * Returns the domain checked.
   *
   * @return the domain
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the domain's {@code _mta-sts} record.
   *
   * @return the record, if valid
   */
  public Optional<MtaStsRecord> record() {
    return record;
  }

  /**
   * Returns the domain's policy.
   *
   * @return the policy, if it could be fetched and is valid
   */
  public Optional<MtaStsPolicy> policy() {
    return policy;
  }

  /**
   * Returns what was found, in the order it was checked.
   *
   * @return the findings
   */
  public List<SetupFinding> findings() {
    return findings;
  }

  /**
   * Returns the most serious finding's severity.
   *
   * @return {@link Severity#OK} if all is well
   */
  public Severity worst() {
    return findings.stream()
        .map(SetupFinding::severity)
        .max(Comparator.naturalOrder())
        .orElse(Severity.OK);
  }

  /**
   * Returns the findings of a severity.
   *
   * @param severity the severity
   * @return those findings, in order
   */
  public List<SetupFinding> findings(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).toList();
  }

  /**
   * Compares all fields.
   *
   * @param o the other object
   * @return {@code true} if {@code o} is a report with equal fields
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof SetupReport r
        && domain.equals(r.domain)
        && record.equals(r.record)
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
    return Objects.hash(domain, record, policy, findings);
  }

  /**
   * Describes the report as {@code SetupReport[domain=…, record=…, policy=…, findings=…]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SetupReport[domain="
        + domain
        + ", record="
        + record
        + ", policy="
        + policy
        + ", findings="
        + findings
        + "]";
  }
}
