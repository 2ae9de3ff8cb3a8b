package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What fetching a policy came to: the policy, or why there is none, and every problem found on the
 * way, warnings of a usable policy included. Exactly one of {@code policy} and {@code failure} is
 * present. Immutable.
 *
 * @param uri the address fetched
 * @param policy the policy, if it was fetched and valid
 * @param failure why there is no policy
 * @param findings what was wrong with the response or the file, by line
 */
public record PolicyFetchResult(
    URI uri,
    Optional<MtaStsPolicy> policy,
    Optional<FetchFailure> failure,
    List<PolicyFinding> findings) {

  /**
   * Creates a result.
   *
   * @param uri the address
   * @param policy the policy, or empty
   * @param failure the failure, or empty
   * @param findings the problems
   */
  public PolicyFetchResult {
    requireNonNull(uri, "uri");
    requireNonNull(policy, "policy");
    requireNonNull(failure, "failure");
    findings = List.copyOf(findings);
    if (policy.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("a fetch has either a policy or a failure");
    }
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
}
