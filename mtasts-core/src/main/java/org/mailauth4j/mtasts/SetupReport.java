package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * The result of checking a domain's own MTA-STS set-up: the record and policy found, and the
 * findings in the order they were checked. Immutable.
 *
 * @param domain the domain checked
 * @param record its {@code _mta-sts} record, if valid
 * @param policy its policy, if it could be fetched and is valid
 * @param findings what was found
 */
public record SetupReport(
    DomainName domain,
    Optional<MtaStsRecord> record,
    Optional<MtaStsPolicy> policy,
    List<SetupFinding> findings) {

  /**
   * Creates a report.
   *
   * @param domain the domain
   * @param record the record, or empty
   * @param policy the policy, or empty
   * @param findings the findings
   */
  public SetupReport {
    requireNonNull(domain, "domain");
    requireNonNull(record, "record");
    requireNonNull(policy, "policy");
    findings = List.copyOf(findings);
  }

  /**
   * Returns the most serious finding's severity.
   *
   * @return {@link SetupFinding.Severity#OK} if all is well
   */
  public SetupFinding.Severity worst() {
    return findings.stream()
        .map(SetupFinding::severity)
        .max(Comparator.naturalOrder())
        .orElse(SetupFinding.Severity.OK);
  }

  /**
   * Returns the findings of a severity.
   *
   * @param severity the severity
   * @return those findings, in order
   */
  public List<SetupFinding> findings(SetupFinding.Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).toList();
  }
}
