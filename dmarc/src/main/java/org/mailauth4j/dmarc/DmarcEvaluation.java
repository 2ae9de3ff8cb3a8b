package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * The DMARC evaluation of one author domain: the policy found for it, which of its tags applied,
 * what the message's identifiers aligned with, and what to do. A message has one per distinct
 * domain in its From field ({@link DmarcOutcome#evaluations()}), usually exactly one.
 *
 * <p>Made by {@link DmarcVerifier}; immutable.
 */
public final class DmarcEvaluation {
  /** Which tag of the record gave the requested policy (RFC 9989 §4.10.1). */
  public enum PolicyTag {
    /** {@code p}: the record is the author domain's own. */
    P,
    /** {@code sp}: the record is above an author domain that exists. */
    SP,
    /** {@code np}: the record is above an author domain that does not exist. */
    NP
  }

  private final DomainName authorDomain;
  private final DmarcResult result;
  private final Optional<DmarcProblem> problem;
  private final DiscoveryMethod discoveryMethod;
  private final Optional<DomainName> policyDomain;
  private final Optional<DomainName> organizationalDomain;
  private final Optional<DmarcRecord> record;
  private final Optional<DmarcPolicy> requestedPolicy;
  private final Optional<PolicyTag> policyTag;
  private final DmarcPolicy appliedPolicy;
  private final boolean testing;
  private final boolean sampledOut;
  private final List<IdentifierAlignment> alignments;
  private final String detail;

  DmarcEvaluation(
      DomainName authorDomain,
      DmarcResult result,
      Optional<DmarcProblem> problem,
      DiscoveryMethod discoveryMethod,
      Optional<DomainName> policyDomain,
      Optional<DomainName> organizationalDomain,
      Optional<DmarcRecord> record,
      Optional<DmarcPolicy> requestedPolicy,
      Optional<PolicyTag> policyTag,
      DmarcPolicy appliedPolicy,
      boolean testing,
      boolean sampledOut,
      List<IdentifierAlignment> alignments,
      String detail) {
    this.authorDomain = requireNonNull(authorDomain, "authorDomain");
    this.result = requireNonNull(result, "result");
    this.problem = requireNonNull(problem, "problem");
    this.discoveryMethod = requireNonNull(discoveryMethod, "discoveryMethod");
    this.policyDomain = requireNonNull(policyDomain, "policyDomain");
    this.organizationalDomain = requireNonNull(organizationalDomain, "organizationalDomain");
    this.record = requireNonNull(record, "record");
    this.requestedPolicy = requireNonNull(requestedPolicy, "requestedPolicy");
    this.policyTag = requireNonNull(policyTag, "policyTag");
    this.appliedPolicy = requireNonNull(appliedPolicy, "appliedPolicy");
    this.testing = testing;
    this.sampledOut = sampledOut;
    this.alignments = List.copyOf(alignments);
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * Returns the author domain evaluated, as an A-label name.
   *
   * @return the RFC5322.From domain
   */
  public DomainName authorDomain() {
    return authorDomain;
  }

  /**
   * Returns the result for this domain.
   *
   * @return the result
   */
  public DmarcResult result() {
    return result;
  }

  /**
   * Returns why the result is not an ordinary pass or fail, or what explains it.
   *
   * @return the problem, or empty
   */
  public Optional<DmarcProblem> problem() {
    return problem;
  }

  /**
   * Returns how the policy and organizational domains were found.
   *
   * @return the tree walk under RFC 9989, the public suffix list under RFC 7489
   */
  public DiscoveryMethod discoveryMethod() {
    return discoveryMethod;
  }

  /**
   * Returns the domain whose record applied: the author domain, its organizational domain, or a
   * public suffix domain above it.
   *
   * @return the policy domain, or empty when no record applied
   */
  public Optional<DomainName> policyDomain() {
    return policyDomain;
  }

  /**
   * Returns the author domain's organizational domain (RFC 9989 §4.10.2, RFC 7489 §3.2).
   *
   * @return the organizational domain, or empty when a temporary DNS failure kept it unknown or no
   *     record applied
   */
  public Optional<DomainName> organizationalDomain() {
    return organizationalDomain;
  }

  /**
   * Returns the record that applied.
   *
   * @return the record, or empty when none applied
   */
  public Optional<DmarcRecord> record() {
    return record;
  }

  /**
   * Returns the policy the domain owner asks for this message's author domain, before {@code t=y}
   * or sampling: the record's {@code p}, {@code sp} or {@code np} as {@link #policyTag()} says.
   *
   * @return the requested policy, or empty when no record applied
   */
  public Optional<DmarcPolicy> requestedPolicy() {
    return requestedPolicy;
  }

  /**
   * Returns which tag gave the requested policy; a missing {@code np} or {@code sp} falls back to
   * {@code sp} and then {@code p}, and this names the tag that was used.
   *
   * @return the tag, or empty when no record applied
   */
  public Optional<PolicyTag> policyTag() {
    return policyTag;
  }

  /**
   * Returns the policy to apply to the message: for a {@code fail}, the requested policy after
   * {@code t=y} (RFC 9989 §4.7) or RFC 7489's {@code pct} sampling; {@link DmarcPolicy#NONE} for
   * every other result. Receivers may still decide otherwise (RFC 9989 §5.4); {@code none} must not
   * change how the message is handled.
   *
   * @return the disposition
   */
  public DmarcPolicy appliedPolicy() {
    return appliedPolicy;
  }

  /**
   * Tells whether the record's {@code t=y} (testing) made the applied policy one step less strict.
   * Only under RFC 9989, and only for a failing message whose requested policy was stricter than
   * none.
   *
   * @return whether testing mode relaxed the policy
   */
  public boolean testing() {
    return testing;
  }

  /**
   * Tells whether RFC 7489's {@code pct} sampling left this failing message out of the policy, so
   * that the next less strict policy applied (RFC 7489 §6.6.4; reported as {@code sampled_out}).
   *
   * @return whether the message was sampled out
   */
  public boolean sampledOut() {
    return sampledOut;
  }

  /**
   * Returns the message's authenticated identifiers and whether each aligned: the SPF domain first,
   * then each DKIM signature from the top of the header.
   *
   * @return the alignments, empty when no record applied
   */
  public List<IdentifierAlignment> alignments() {
    return alignments;
  }

  /**
   * Returns a human-readable account of the evaluation.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmarcEvaluation e
        && e.authorDomain.equals(authorDomain)
        && e.result == result
        && e.problem.equals(problem)
        && e.discoveryMethod == discoveryMethod
        && e.policyDomain.equals(policyDomain)
        && e.organizationalDomain.equals(organizationalDomain)
        && e.record.equals(record)
        && e.requestedPolicy.equals(requestedPolicy)
        && e.policyTag.equals(policyTag)
        && e.appliedPolicy == appliedPolicy
        && e.testing == testing
        && e.sampledOut == sampledOut
        && e.alignments.equals(alignments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(authorDomain, result, policyDomain, record, appliedPolicy, alignments);
  }

  @Override
  public String toString() {
    return "dmarc="
        + result.token()
        + " header.from="
        + authorDomain
        + policyDomain.map(d -> " policy domain " + d).orElse("")
        + requestedPolicy.map(p -> " p=" + p.token()).orElse("")
        + " applied="
        + appliedPolicy.token()
        + problem.map(p -> " (" + p + ")").orElse("")
        + ": "
        + detail;
  }
}
