package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * The sending MTA's answer for one recipient domain (RFC 8461 §5): the policy to apply, or none,
 * where it came from, and what went wrong on the way, for logs and TLS-RPT. Immutable.
 *
 * @param domain the policy domain asked about
 * @param policy the policy to apply; empty means deliver as if the domain had no MTA-STS
 * @param source whether the policy was fetched now, taken from the cache, or there is none
 * @param record the {@code _mta-sts} record found now, if there was a valid one
 * @param fetchFailure why fetching a policy failed, if one was fetched and failed
 * @param problems what was wrong with the fetched policy or its response, by line
 * @param detail an account of the decision, for people
 */
public record PolicyLookup(
    DomainName domain,
    Optional<CachedPolicy> policy,
    Source source,
    Optional<MtaStsRecord> record,
    Optional<FetchFailure> fetchFailure,
    List<PolicyProblem> problems,
    String detail) {

  /** Where the policy to apply came from. */
  public enum Source {
    /** Fetched just now: the first time, or because the record's {@code id} changed. */
    FETCHED,
    /** The cached policy: the {@code id} is unchanged, or it could not be refreshed. */
    CACHED,
    /** There is no policy to apply. */
    NONE
  }

  /**
   * Creates a lookup result.
   *
   * @param domain the domain
   * @param policy the policy, or empty
   * @param source the source
   * @param record the record, or empty
   * @param fetchFailure the failure, or empty
   * @param problems the problems
   * @param detail the account
   */
  public PolicyLookup {
    requireNonNull(domain, "domain");
    requireNonNull(policy, "policy");
    requireNonNull(source, "source");
    requireNonNull(record, "record");
    requireNonNull(fetchFailure, "fetchFailure");
    problems = List.copyOf(problems);
    requireNonNull(detail, "detail");
    if (policy.isPresent() == (source == Source.NONE)) {
      throw new IllegalArgumentException(source + " does not fit the policy " + policy);
    }
  }

  /**
   * Returns the mode to apply.
   *
   * @return the policy's mode, or {@link MtaStsMode#NONE} without a policy
   */
  public MtaStsMode mode() {
    return policy.map(p -> p.policy().mode()).orElse(MtaStsMode.NONE);
  }

  /**
   * Tells whether an MX host may receive the mail under the policy. Without a policy, or in mode
   * {@code none}, every host may.
   *
   * @param mxHost the MX host name
   * @return {@code true} if delivery to it is allowed, given a valid certificate
   */
  public boolean permits(DomainName mxHost) {
    return mode() == MtaStsMode.NONE || policy.orElseThrow().policy().permits(mxHost);
  }

  /**
   * Returns the failure a TLS-RPT report should count (RFC 8461 §6, RFC 8460 §4.3.2.2): a failed
   * fetch while the domain publishes a record.
   *
   * @return the result type, if the lookup is to be reported
   */
  public Optional<TlsRptResultType> reportableFailure() {
    return fetchFailure.map(FetchFailure::resultType);
  }
}
