package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dkim.DkimResult;

/**
 * One DKIM signature's result in a report record ({@code auth_results/dkim}, RFC 9990 §3.1.5),
 * uninterpreted by DMARC: the signing domain ({@code d=}), the selector ({@code s=}; required by
 * RFC 9990, often missing from RFC 7489 reports), the result and an optional human-readable result.
 * Domains are kept as reported. Immutable.
 */
public final class DkimAuthResult {
  private final String domain;
  private final Optional<String> selector;
  private final DkimResult result;
  private final Optional<String> humanResult;

  private DkimAuthResult(
      String domain, Optional<String> selector, DkimResult result, Optional<String> humanResult) {
    this.domain = requireNonNull(domain, "domain");
    this.selector = requireNonNull(selector, "selector");
    this.result = requireNonNull(result, "result");
    this.humanResult = requireNonNull(humanResult, "humanResult");
  }

  /**
   * Makes a result.
   *
   * @param domain the signing domain
   * @param selector the selector, or empty when not reported
   * @param result the result
   * @param humanResult extra text, or empty
   * @return the result
   */
  public static DkimAuthResult of(
      String domain, Optional<String> selector, DkimResult result, Optional<String> humanResult) {
    return new DkimAuthResult(domain, selector, result, humanResult);
  }

  /**
   * Makes a result with a selector and no human-readable text.
   *
   * @param domain the signing domain
   * @param selector the selector
   * @param result the result
   * @return the result
   */
  public static DkimAuthResult of(String domain, String selector, DkimResult result) {
    return new DkimAuthResult(domain, Optional.of(selector), result, Optional.empty());
  }

  /**
   * Returns the signing domain ({@code d=}), as reported.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the selector ({@code s=}).
   *
   * @return the selector, or empty when the report had none
   */
  public Optional<String> selector() {
    return selector;
  }

  /**
   * Returns the result.
   *
   * @return the result
   */
  public DkimResult result() {
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
    return o instanceof DkimAuthResult r
        && r.domain.equals(domain)
        && r.selector.equals(selector)
        && r.result == result
        && r.humanResult.equals(humanResult);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, selector, result, humanResult);
  }

  @Override
  public String toString() {
    return "dkim=" + result.token() + " d=" + domain + selector.map(s -> " s=" + s).orElse("");
  }
}
