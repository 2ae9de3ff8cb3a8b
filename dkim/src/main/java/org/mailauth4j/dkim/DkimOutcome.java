package org.mailauth4j.dkim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * What verifying one DKIM signature concluded, and the evidence: the parsed signature (when it
 * could be parsed), the key record used, a machine-readable problem, and a sentence for people.
 * This is what DMARC (the passing {@code d=} domains) and Authentication-Results ({@code header.d},
 * {@code header.s}, {@code header.i}, {@code header.a}, {@code header.b}) need. Immutable.
 *
 * @param result the result, in RFC 8601 words
 * @param problem why it did not pass; empty exactly when the result is {@link DkimResult#PASS}
 * @param detail a human-readable explanation, naming the domain, selector or value involved
 * @param signature the parsed DKIM-Signature, if it could be parsed
 * @param key the key record that was used, if one was found
 * @param testing whether the key record says {@code t=y}: RFC 6376 §3.6.1 asks verifiers to treat
 *     such messages as unsigned, whatever the result
 */
public record DkimOutcome(
    DkimResult result,
    Optional<DkimProblem> problem,
    String detail,
    Optional<DkimSignature> signature,
    Optional<DkimKeyRecord> key,
    boolean testing) {

  /**
   * Creates an outcome, checking that result and problem agree.
   *
   * @param result the result
   * @param problem the problem, empty for a pass
   * @param detail the explanation
   * @param signature the parsed signature
   * @param key the key record
   * @param testing the key's testing flag
   */
  public DkimOutcome {
    requireNonNull(result, "result");
    requireNonNull(problem, "problem");
    requireNonNull(detail, "detail");
    requireNonNull(signature, "signature");
    requireNonNull(key, "key");
    if ((result == DkimResult.PASS) != problem.isEmpty()) {
      throw new IllegalArgumentException(result + " with problem " + problem);
    }
    problem.ifPresent(
        p -> {
          if (p.result() != result) {
            throw new IllegalArgumentException(p + " is a " + p.result() + ", not " + result);
          }
        });
  }

  static DkimOutcome pass(DkimSignature signature, DkimKeyRecord key) {
    return new DkimOutcome(
        DkimResult.PASS,
        Optional.empty(),
        "signature by " + signature.domain() + " (s=" + signature.selector() + ") verified",
        Optional.of(signature),
        Optional.of(key),
        key.testing());
  }

  static DkimOutcome problem(
      DkimProblem problem, String detail, DkimSignature signature, DkimKeyRecord key) {
    return new DkimOutcome(
        problem.result(),
        Optional.of(problem),
        detail,
        Optional.ofNullable(signature),
        Optional.ofNullable(key),
        key != null && key.testing());
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
   * @return the domain, or empty if the signature could not be parsed
   */
  public Optional<DomainName> domain() {
    return signature.map(DkimSignature::domain);
  }

  /**
   * Returns the selector, {@code s=} ({@code header.s}).
   *
   * @return the selector, or empty if the signature could not be parsed
   */
  public Optional<String> selector() {
    return signature.map(DkimSignature::selector);
  }

  /**
   * Returns the identity, {@code i=} ({@code header.i}).
   *
   * @return the AUID, or empty if the signature could not be parsed
   */
  public Optional<String> identity() {
    return signature.map(DkimSignature::identity);
  }

  /**
   * Returns the algorithm, {@code a=} ({@code header.a}).
   *
   * @return the algorithm, or empty if the signature could not be parsed
   */
  public Optional<DkimAlgorithm> algorithm() {
    return signature.map(DkimSignature::algorithm);
  }

  /**
   * Returns the start of {@code b=} that Authentication-Results reports as {@code header.b}.
   *
   * @return eight base64 characters, or empty if the signature could not be parsed
   */
  public Optional<String> signaturePrefix() {
    return signature.map(DkimSignature::signaturePrefix);
  }
}
