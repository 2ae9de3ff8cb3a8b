package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What fetching a policy came to: the policy, or why there is none, and every problem found on the
 * way, warnings of a usable policy included. Exactly one of {@code policy} and {@code failure} is
 * present. It has no public constructor, so that later versions can add fields without breaking
 * callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class PolicyFetchResult {

  private final URI uri;
  private final Optional<MtaStsPolicy> policy;
  private final Optional<FetchFailure> failure;
  private final List<PolicyFinding> findings;

  PolicyFetchResult(
      URI uri,
      Optional<MtaStsPolicy> policy,
      Optional<FetchFailure> failure,
      List<PolicyFinding> findings) {
    requireNonNull(uri, "uri");
    requireNonNull(policy, "policy");
    requireNonNull(failure, "failure");
    findings = List.copyOf(findings);
    if (policy.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("a fetch has either a policy or a failure");
    }
    this.uri = uri;
    this.policy = policy;
    this.failure = failure;
    this.findings = findings;
  }

  /**
   * Returns the address fetched.
   *
   * @return the URI
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns the policy, if it was fetched and valid.
   *
   * @return the policy
   */
  public Optional<MtaStsPolicy> policy() {
    return policy;
  }

  /**
   * Returns why there is no policy.
   *
   * @return the failure
   */
  public Optional<FetchFailure> failure() {
    return failure;
  }

  /**
   * Returns what was wrong with the response or the file, by line.
   *
   * @return the findings
   */
  public List<PolicyFinding> findings() {
    return findings;
  }

  static PolicyFetchResult failed(URI uri, FetchFailure.Kind kind, String detail) {
    return new PolicyFetchResult(
        uri, Optional.empty(), Optional.of(new FetchFailure(kind, detail)), List.of());
  }

  /**
   * Tells whether a policy came back.
   *
   * @return {@code true} if {@link #policy()} is present
   */
  public boolean isSuccess() {
    return policy.isPresent();
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code PolicyFetchResult} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof PolicyFetchResult o
        && uri.equals(o.uri)
        && policy.equals(o.policy)
        && failure.equals(o.failure)
        && findings.equals(o.findings);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(uri, policy, failure, findings);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "PolicyFetchResult[uri="
        + uri
        + ", policy="
        + policy
        + ", failure="
        + failure
        + ", findings="
        + findings
        + "]";
  }
}
