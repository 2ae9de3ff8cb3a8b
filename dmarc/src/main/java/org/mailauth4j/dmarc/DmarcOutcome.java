package org.mailauth4j.dmarc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What DMARC concluded for a message: the result, the author domains from From and one {@link
 * DmarcEvaluation} per domain, the policy to apply, and the trace of every DNS lookup, so that an
 * operator can see why a message failed.
 *
 * <p>Most messages have one author domain, and the accessors that read from {@link #evaluation()}
 * ({@link #authorDomain()}, {@link #policyDomain()}, {@link #record()}, {@link #appliedPolicy()},
 * {@link #alignments()}) answer for it. A From field with several mailboxes is evaluated per
 * distinct domain (RFC 9989 §4.4, at most the verifier's limit): the message fails if any domain
 * fails, and the decisive evaluation is the failing one with the strictest policy (RFC 7489
 * §6.6.1).
 *
 * <p>Made by {@link DmarcVerifier}; immutable.
 */
public final class DmarcOutcome {
  private final DmarcResult result;
  private final DmarcProfile profile;
  private final AuthorDomains author;
  private final List<DmarcEvaluation> evaluations;
  private final Optional<DmarcEvaluation> decisive;
  private final List<DmarcLookup> trace;
  private final Instant evaluatedAt;
  private final String detail;

  DmarcOutcome(
      DmarcResult result,
      DmarcProfile profile,
      AuthorDomains author,
      List<DmarcEvaluation> evaluations,
      Optional<DmarcEvaluation> decisive,
      List<DmarcLookup> trace,
      Instant evaluatedAt,
      String detail) {
    this.result = requireNonNull(result, "result");
    this.profile = requireNonNull(profile, "profile");
    this.author = requireNonNull(author, "author");
    this.evaluations = List.copyOf(evaluations);
    this.decisive = requireNonNull(decisive, "decisive");
    this.trace = List.copyOf(trace);
    this.evaluatedAt = requireNonNull(evaluatedAt, "evaluatedAt");
    this.detail = requireNonNull(detail, "detail");
  }

  /**
   * Returns the result for the message.
   *
   * @return the result
   */
  public DmarcResult result() {
    return result;
  }

  /**
   * Tells whether the message passed DMARC.
   *
   * @return whether the result is {@code pass}
   */
  public boolean isPass() {
    return result == DmarcResult.PASS;
  }

  /**
   * Returns the profile the verifier followed.
   *
   * @return the profile
   */
  public DmarcProfile profile() {
    return profile;
  }

  /**
   * Returns what the From field gave: the author domains, or why there is none to evaluate.
   *
   * @return the author domains
   */
  public AuthorDomains author() {
    return author;
  }

  /**
   * Tells whether the From field had more distinct domains than the verifier evaluates, so that the
   * result covers only the first ones (RFC 9989 §11.5: a capped evaluation is incomplete).
   *
   * @return whether domains were left out
   */
  public boolean incomplete() {
    return author.truncated();
  }

  /**
   * Returns one evaluation per author domain, in the order of the From field.
   *
   * @return the evaluations, empty when From gave no author domain
   */
  public List<DmarcEvaluation> evaluations() {
    return evaluations;
  }

  /**
   * Returns the evaluation that decided the result: the only one for a single author domain; for
   * several, the failing one with the strictest applied policy, else the first temporary failure,
   * else the first pass, else the first.
   *
   * @return the decisive evaluation, or empty when From gave no author domain
   */
  public Optional<DmarcEvaluation> evaluation() {
    return decisive;
  }

  /**
   * Returns the decisive author domain.
   *
   * @return the author domain, or empty when From gave none
   */
  public Optional<DomainName> authorDomain() {
    return decisive.map(DmarcEvaluation::authorDomain);
  }

  /**
   * Returns the domain whose record decided.
   *
   * @return the policy domain, or empty when no record applied
   */
  public Optional<DomainName> policyDomain() {
    return decisive.flatMap(DmarcEvaluation::policyDomain);
  }

  /**
   * Returns the decisive author domain's organizational domain.
   *
   * @return the organizational domain, or empty when unknown
   */
  public Optional<DomainName> organizationalDomain() {
    return decisive.flatMap(DmarcEvaluation::organizationalDomain);
  }

  /**
   * Returns the record that decided.
   *
   * @return the record, or empty when none applied
   */
  public Optional<DmarcRecord> record() {
    return decisive.flatMap(DmarcEvaluation::record);
  }

  /**
   * Returns the policy to apply to the message ({@link DmarcEvaluation#appliedPolicy()} of the
   * decisive evaluation): {@code none} unless the message failed.
   *
   * @return the disposition
   */
  public DmarcPolicy appliedPolicy() {
    return decisive.map(DmarcEvaluation::appliedPolicy).orElse(DmarcPolicy.NONE);
  }

  /**
   * Returns the decisive evaluation's identifier alignments.
   *
   * @return the alignments, empty when no record applied
   */
  public List<IdentifierAlignment> alignments() {
    return decisive.map(DmarcEvaluation::alignments).orElse(List.of());
  }

  /**
   * Returns why the result is not an ordinary pass or fail.
   *
   * @return the problem, or empty
   */
  public Optional<DmarcProblem> problem() {
    if (evaluations.isEmpty()) {
      return Optional.of(DmarcProblem.NO_AUTHOR_DOMAIN);
    }
    if (result == DmarcResult.PERMERROR) {
      return Optional.of(DmarcProblem.TOO_MANY_AUTHOR_DOMAINS); // the only permerror with domains
    }
    return decisive.flatMap(DmarcEvaluation::problem);
  }

  /**
   * Returns every DNS lookup made, in the order they were started; each name once.
   *
   * @return the trace
   */
  public List<DmarcLookup> trace() {
    return trace;
  }

  /**
   * Returns when the evaluation started, by the verifier's clock; aggregate reports file the
   * message under this instant's UTC day.
   *
   * @return the evaluation time
   */
  public Instant evaluatedAt() {
    return evaluatedAt;
  }

  /**
   * Returns a human-readable account of the result.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the {@code dmarc} entry of an Authentication-Results field (RFC 9989 §9.2, RFC 8601):
   * the result, {@code header.from}, and under RFC 9989 {@code policy.dmarc}, the policy evaluated
   * after {@code t=y} and the fallbacks between {@code np}, {@code sp} and {@code p}.
   *
   * @return the entry
   */
  public AuthResult authResult() {
    AuthResult.Builder entry = AuthResult.builder("dmarc", result.token());
    if (result != DmarcResult.PASS && result != DmarcResult.FAIL) {
      entry.reason(detail);
    }
    authorDomain().ifPresent(d -> entry.property("header", "from", d.toString()));
    if (profile == DmarcProfile.RFC9989
        && (result == DmarcResult.PASS || result == DmarcResult.FAIL)) {
      decisive.ifPresent(
          e ->
              e.requestedPolicy()
                  .ifPresent(
                      requested -> {
                        DmarcPolicy evaluated =
                            e.result() == DmarcResult.FAIL
                                ? e.appliedPolicy()
                                : e.record().orElseThrow().testing()
                                    ? requested.relaxed()
                                    : requested;
                        entry.property("policy", "dmarc", evaluated.token());
                      }));
    }
    return entry.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DmarcOutcome d
        && d.result == result
        && d.profile == profile
        && d.author.equals(author)
        && d.evaluations.equals(evaluations)
        && d.decisive.equals(decisive)
        && d.trace.equals(trace)
        && d.evaluatedAt.equals(evaluatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(result, profile, evaluations, trace, evaluatedAt);
  }

  @Override
  public String toString() {
    return "dmarc="
        + result.token()
        + authorDomain().map(d -> " header.from=" + d).orElse("")
        + ": "
        + detail;
  }
}
