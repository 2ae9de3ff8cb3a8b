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
 * @param recordStatus what the {@code _mta-sts} lookup found, which says why there is no policy
 *     when the record is not {@link RecordStatus#VALID}
 * @param record the {@code _mta-sts} record found now, if there was a valid one
 * @param fetchFailure why fetching a policy failed, if one was fetched and failed
 * @param findings what was wrong with the fetched policy or its response, by line
 * @param detail an account of the decision, for people
 */
public record PolicyLookup(
    DomainName domain,
    Optional<CachedPolicy> policy,
    Source source,
    RecordStatus recordStatus,
    Optional<MtaStsRecord> record,
    Optional<FetchFailure> fetchFailure,
    List<PolicyFinding> findings,
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

  /** What the lookup of the {@code _mta-sts} TXT record found (RFC 8461 §3.1). */
  public enum RecordStatus {
    /** Exactly one valid {@code v=STSv1} record. */
    VALID,
    /** No name, no TXT record, or no TXT record starting {@code v=STSv1}. */
    NOT_FOUND,
    /** One {@code v=STSv1} record, and it is not valid. */
    INVALID,
    /** More than one {@code v=STSv1} record, which counts as none. */
    MULTIPLE,
    /** The DNS lookup failed temporarily: a timeout, SERVFAIL or a network error. */
    DNS_TEMPORARY_FAILURE
  }

  /** Why no policy applies; see {@link #noPolicyReason()}. */
  public enum NoPolicyReason {
    /** The domain publishes no MTA-STS record (or several, which count as none). */
    NO_RECORD,
    /** The domain's MTA-STS record is not valid. */
    INVALID_RECORD,
    /** The record could not be looked up, and no policy is cached. */
    DNS_TEMPORARY_FAILURE,
    /** The record is valid and the policy fetch failed; {@link #fetchFailure()} says how. */
    FETCH_FAILED
  }

  /**
   * Creates a lookup result.
   *
   * @param domain the domain
   * @param policy the policy, or empty
   * @param source the source
   * @param recordStatus what the record lookup found
   * @param record the record, or empty
   * @param fetchFailure the failure, or empty
   * @param findings the problems
   * @param detail the account
   */
  public PolicyLookup {
    requireNonNull(domain, "domain");
    requireNonNull(policy, "policy");
    requireNonNull(source, "source");
    requireNonNull(recordStatus, "recordStatus");
    requireNonNull(record, "record");
    requireNonNull(fetchFailure, "fetchFailure");
    findings = List.copyOf(findings);
    requireNonNull(detail, "detail");
    if (policy.isPresent() == (source == Source.NONE)) {
      throw new IllegalArgumentException(source + " does not fit the policy " + policy);
    }
    if (record.isPresent() != (recordStatus == RecordStatus.VALID)) {
      throw new IllegalArgumentException(recordStatus + " does not fit the record " + record);
    }
  }

  /**
   * Says why no policy applies, as a value a program can act on.
   *
   * @return the reason, or empty if a policy applies
   */
  public Optional<NoPolicyReason> noPolicyReason() {
    if (policy.isPresent()) {
      return Optional.empty();
    }
    switch (recordStatus) {
      case VALID:
        return Optional.of(NoPolicyReason.FETCH_FAILED);
      case INVALID:
        return Optional.of(NoPolicyReason.INVALID_RECORD);
      case DNS_TEMPORARY_FAILURE:
        return Optional.of(NoPolicyReason.DNS_TEMPORARY_FAILURE);
      default:
        return Optional.of(NoPolicyReason.NO_RECORD);
    }
  }

  /**
   * Describes, for a TLS-RPT report, the policy that sessions to the domain are judged under: the
   * policy that applies; {@code sts} without policy strings when the domain publishes a record but
   * the fetch failed; else {@code no-policy-found}.
   *
   * @return the description
   */
  public TlsRptPolicy reportPolicy() {
    if (policy.isPresent()) {
      return TlsRptPolicy.sts(domain, policy.get().policy());
    }
    return fetchFailure.isPresent()
        ? TlsRptPolicy.stsUnavailable(domain)
        : TlsRptPolicy.noPolicyFound(domain);
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
