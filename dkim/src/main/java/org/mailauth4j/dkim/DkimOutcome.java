package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What verifying one DKIM signature concluded, and the evidence: the result, a machine-readable
 * problem, a sentence for people, the parsed signature and key record when there were any, and the
 * signature's {@code d=}, {@code s=}, {@code i=}, {@code a=} and {@code b=} prefix. This is what
 * DMARC (the passing {@code d=} domains, and every {@code d=} and {@code s=} for aggregate reports)
 * and Authentication-Results ({@code header.d}, {@code header.s}, {@code header.i}, {@code
 * header.a}, {@code header.b}; RFC 8601 §2.7.1) need.
 *
 * <p>The tags are reported whenever they parse on their own, also when the signature as a whole
 * does not: a signature with a malformed {@code b=} or an unknown {@code c=} still has its {@code
 * d=} and {@code s=}. A tag is absent when the signature lacks it, when its value is not valid for
 * it, or when it appears twice.
 *
 * <p>Outcomes are made by {@link DkimVerifier}; they have no public constructor, so that later
 * versions can add evidence without breaking callers. Immutable and thread-safe; equal when all
 * their fields are.
 */
public final class DkimOutcome {
  private final DkimResult result;
  private final DkimProblem problem;
  private final String detail;
  private final DkimSignature signature;
  private final SignatureEvidence evidence;
  private final DkimKeyRecord key;

  private DkimOutcome(
      DkimResult result,
      DkimProblem problem,
      String detail,
      DkimSignature signature,
      SignatureEvidence evidence,
      DkimKeyRecord key) {
    this.result = requireNonNull(result, "result");
    this.problem = problem;
    this.detail = requireNonNull(detail, "detail");
    this.signature = signature;
    this.evidence = requireNonNull(evidence, "evidence");
    this.key = key;
    if ((result == DkimResult.PASS) != (problem == null)) {
      throw new IllegalArgumentException(result + " with problem " + problem);
    }
    if (problem != null && problem.result() != result) {
      throw new IllegalArgumentException(problem + " is a " + problem.result() + ", not " + result);
    }
  }

  static DkimOutcome pass(DkimSignature signature, DkimKeyRecord key) {
    return new DkimOutcome(
        DkimResult.PASS,
        null,
        "signature by " + signature.domain() + " (s=" + signature.selector() + ") verified",
        signature,
        SignatureEvidence.of(signature),
        key);
  }

  /** A signature that parsed, with the key record if one was found. */
  static DkimOutcome problem(
      DkimProblem problem, String detail, DkimSignature signature, DkimKeyRecord key) {
    return new DkimOutcome(
        problem.result(), problem, detail, signature, SignatureEvidence.of(signature), key);
  }

  /** A signature that did not parse: only what could be read of its tags. */
  static DkimOutcome unparsed(DkimProblem problem, String detail, SignatureEvidence evidence) {
    return new DkimOutcome(problem.result(), problem, detail, null, evidence, null);
  }

  /** A message refused or unreadable before its signatures were looked at. */
  static DkimOutcome message(DkimProblem problem, String detail) {
    return new DkimOutcome(problem.result(), problem, detail, null, SignatureEvidence.NONE, null);
  }

  /**
   * Returns the result, in the words of RFC 8601 §2.7.1.
   *
   * @return the result; never {@link DkimResult#NONE}, which stands for a message without
   *     signatures ({@link DkimVerification#result()})
   */
  public DkimResult result() {
    return result;
  }

  /**
   * Returns why the signature did not pass.
   *
   * @return the problem; empty exactly when the result is {@link DkimResult#PASS}
   */
  public Optional<DkimProblem> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Returns a human-readable explanation, naming the domain, selector or value involved. It may
   * quote the start of a malformed signature; do not log it where message contents must not go.
   *
   * @return the explanation
   */
  public String detail() {
    return detail;
  }

  /**
   * Returns the parsed DKIM-Signature.
   *
   * @return the signature, or empty if it could not be parsed (see {@link #domain()} and the other
   *     tag accessors for what could be read of it)
   */
  public Optional<DkimSignature> signature() {
    return Optional.ofNullable(signature);
  }

  /**
   * Returns the key record that was used.
   *
   * @return the record, or empty if none was found or the signature was decided without one
   */
  public Optional<DkimKeyRecord> key() {
    return Optional.ofNullable(key);
  }

  /**
   * Tells whether the key record says {@code t=y}: RFC 6376 §3.6.1 asks verifiers to treat such
   * messages as unsigned, whatever the result.
   *
   * @return {@code true} if the key is in testing mode
   */
  public boolean testing() {
    return key != null && key.testing();
  }

  /**
   * Tells whether the signature verified.
   *
   * @return {@code true} for {@link DkimResult#PASS}
   */
  public boolean isPass() {
    return result == DkimResult.PASS;
  }

  /**
   * Returns the signing domain, {@code d=}: what DMARC aligns and Authentication-Results reports as
   * {@code header.d}.
   *
   * @return the domain, or empty if the signature has no valid, single {@code d=}
   */
  public Optional<DomainName> domain() {
    return Optional.ofNullable(evidence.domain());
  }

  /**
   * Returns the selector, {@code s=} ({@code header.s}).
   *
   * @return the selector as written, or empty if the signature has no valid, single {@code s=}
   */
  public Optional<String> selector() {
    return Optional.ofNullable(evidence.selector());
  }

  /**
   * Returns the identity, {@code i=} ({@code header.i}), decoded; {@code @} and {@code d=} when
   * {@code i=} is absent (RFC 6376 §3.5). An {@code i=} outside {@code d=} is reported as claimed.
   *
   * @return the AUID, or empty if {@code i=} is not valid or appears twice, or it is absent and
   *     {@code d=} is not valid
   */
  public Optional<String> identity() {
    return Optional.ofNullable(evidence.identity());
  }

  /**
   * Returns the algorithm, {@code a=} ({@code header.a}).
   *
   * @return the algorithm, or empty if {@code a=} is absent, unknown or appears twice
   */
  public Optional<DkimAlgorithm> algorithm() {
    return Optional.ofNullable(evidence.algorithm());
  }

  /**
   * Returns the start of {@code b=} that Authentication-Results reports as {@code header.b} (RFC
   * 6008), to tell signatures apart.
   *
   * @return up to eight base64 characters, or empty if {@code b=} is absent, not base64 or appears
   *     twice
   */
  public Optional<String> signaturePrefix() {
    return Optional.ofNullable(evidence.signaturePrefix());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DkimOutcome)) {
      return false;
    }
    DkimOutcome other = (DkimOutcome) o;
    return result == other.result
        && problem == other.problem
        && detail.equals(other.detail)
        && Objects.equals(signature, other.signature)
        && evidence.equals(other.evidence)
        && Objects.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(result, problem, detail, signature, evidence, key);
  }

  /**
   * Returns the result, problem, domain, selector and detail, for debugging and test failures; like
   * {@link #detail()}, it may quote message contents.
   */
  @Override
  public String toString() {
    return "DkimOutcome["
        + result.token()
        + (problem == null ? "" : " " + problem)
        + (evidence.domain() == null ? "" : " d=" + evidence.domain())
        + (evidence.selector() == null ? "" : " s=" + evidence.selector())
        + (testing() ? " testing" : "")
        + ": "
        + detail
        + "]";
  }
}
