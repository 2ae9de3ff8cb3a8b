package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * An SPF result in a report record ({@code auth_results/spf}, RFC 9990 §3.1.5), uninterpreted by
 * DMARC: the domain checked, the scope when reported, the result and an optional human-readable
 * result. Domains are kept as reported. Immutable.
 */
public final class SpfAuthResult {
  private final String domain;
  private final Optional<SpfScope> scope;
  private final SpfReportResult result;
  private final Optional<String> humanResult;

  private SpfAuthResult(
      String domain,
      Optional<SpfScope> scope,
      SpfReportResult result,
      Optional<String> humanResult) {
    this.domain = requireNonNull(domain, "domain");
    this.scope = requireNonNull(scope, "scope");
    this.result = requireNonNull(result, "result");
    this.humanResult = requireNonNull(humanResult, "humanResult");
  }

  /**
   * Makes a result.
   *
   * @param domain the domain checked
   * @param scope the identity, or empty when not reported
   * @param result the result
   * @param humanResult extra text, or empty
   * @return the result
   */
  public static SpfAuthResult of(
      String domain,
      Optional<SpfScope> scope,
      SpfReportResult result,
      Optional<String> humanResult) {
    return new SpfAuthResult(domain, scope, result, humanResult);
  }

  /**
   * Makes a result with a scope and no human-readable text.
   *
   * @param domain the domain checked
   * @param scope the identity
   * @param result the result
   * @return the result
   */
  public static SpfAuthResult of(String domain, SpfScope scope, SpfReportResult result) {
    return new SpfAuthResult(domain, Optional.of(scope), result, Optional.empty());
  }

  /**
   * Returns the domain checked, as reported.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the scope.
   *
   * @return the scope, or empty when the report had none
   */
  public Optional<SpfScope> scope() {
    return scope;
  }

  /**
   * Returns the result.
   *
   * @return the result
   */
  public SpfReportResult result() {
    return result;
  }

  /**
   * Returns the human-readable result.
   *
   * @return the text, or empty
   */
  public Optional<String> humanResult() {
    return humanResult;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpfAuthResult r
        && r.domain.equals(domain)
        && r.scope.equals(scope)
        && r.result == result
        && r.humanResult.equals(humanResult);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, scope, result, humanResult);
  }

  @Override
  public String toString() {
    return "spf=" + result.token() + " " + scope.map(s -> s.token() + "=").orElse("") + domain;
  }
}
