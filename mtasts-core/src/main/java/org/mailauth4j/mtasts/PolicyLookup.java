package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.dns.DomainName;

/**
 * The sending MTA's answer for one recipient domain (RFC 8461 §5): the policy to apply, or none,
 * where it came from, and what went wrong on the way, for logs and TLS-RPT. It has no public
 * constructor, so that later versions can add fields without breaking callers; {@link #builder()}
 * makes one. Immutable and thread-safe; equal when all their fields are.
 */
public final class PolicyLookup {

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

  private final DomainName domain;
  private final Optional<CachedPolicy> policy;
  private final Source source;
  private final RecordStatus recordStatus;
  private final Optional<MtaStsRecord> record;
  private final Optional<FetchFailure> fetchFailure;
  private final List<PolicyFinding> findings;
  private final String detail;

  PolicyLookup(
      DomainName domain,
      Optional<CachedPolicy> policy,
      Source source,
      RecordStatus recordStatus,
      Optional<MtaStsRecord> record,
      Optional<FetchFailure> fetchFailure,
      List<PolicyFinding> findings,
      String detail) {
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
    this.domain = domain;
    this.policy = policy;
    this.source = source;
    this.recordStatus = recordStatus;
    this.record = record;
    this.fetchFailure = fetchFailure;
    this.findings = findings;
    this.detail = detail;
  }

  /**
   * Returns a new builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the policy domain asked about.
   *
   * @return the domain
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the policy to apply; empty means deliver as if the domain had no MTA-STS.
   *
   * @return the policy
   */
  public Optional<CachedPolicy> policy() {
    return policy;
  }

  /**
   * Returns whether the policy was fetched now, taken from the cache, or there is none.
   *
   * @return the source
   */
  public Source source() {
    return source;
  }

  /**
   * Returns what the {@code _mta-sts} lookup found, which says why there is no policy when the
   * record is not {@link RecordStatus#VALID}.
   *
   * @return the record status
   */
  public RecordStatus recordStatus() {
    return recordStatus;
  }

  /**
   * Returns the {@code _mta-sts} record found now, if there was a valid one.
   *
   * @return the record
   */
  public Optional<MtaStsRecord> record() {
    return record;
  }

  /**
   * Returns why fetching a policy failed, if one was fetched and failed.
   *
   * @return the fetch failure
   */
  public Optional<FetchFailure> fetchFailure() {
    return fetchFailure;
  }

  /**
   * Returns what was wrong with the fetched policy or its response, by line.
   *
   * @return the findings
   */
  public List<PolicyFinding> findings() {
    return findings;
  }

  /**
   * Returns an account of the decision, for people.
   *
   * @return the detail
   */
  public String detail() {
    return detail;
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

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code PolicyLookup} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof PolicyLookup o
        && domain.equals(o.domain)
        && policy.equals(o.policy)
        && source == o.source
        && recordStatus == o.recordStatus
        && record.equals(o.record)
        && fetchFailure.equals(o.fetchFailure)
        && findings.equals(o.findings)
        && detail.equals(o.detail);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(
        domain, policy, source, recordStatus, record, fetchFailure, findings, detail);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "PolicyLookup[domain="
        + domain
        + ", policy="
        + policy
        + ", source="
        + source
        + ", recordStatus="
        + recordStatus
        + ", record="
        + record
        + ", fetchFailure="
        + fetchFailure
        + ", findings="
        + findings
        + ", detail="
        + detail
        + "]";
  }

  /** Builds {@link PolicyLookup} values; not thread-safe. */
  public static final class Builder {
    private DomainName domain;
    private Optional<CachedPolicy> policy = Optional.empty();
    private Source source;
    private RecordStatus recordStatus;
    private Optional<MtaStsRecord> record = Optional.empty();
    private Optional<FetchFailure> fetchFailure = Optional.empty();
    private List<PolicyFinding> findings = List.of();
    private String detail;

    private Builder() {}

    /**
     * Sets the policy domain asked about. Required.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder domain(DomainName domain) {
      this.domain = domain;
      return this;
    }

    /**
     * Sets the policy to apply; empty means deliver as if the domain had no MTA-STS. Empty by
     * default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(Optional<CachedPolicy> policy) {
      this.policy = policy;
      return this;
    }

    /**
     * Sets whether the policy was fetched now, taken from the cache, or there is none. Required.
     *
     * @param source the source
     * @return this builder
     */
    public Builder source(Source source) {
      this.source = source;
      return this;
    }

    /**
     * Sets what the {@code _mta-sts} lookup found, which says why there is no policy when the
     * record is not {@link RecordStatus#VALID}. Required.
     *
     * @param recordStatus the record status
     * @return this builder
     */
    public Builder recordStatus(RecordStatus recordStatus) {
      this.recordStatus = recordStatus;
      return this;
    }

    /**
     * Sets the {@code _mta-sts} record found now, if there was a valid one. Empty by default.
     *
     * @param record the record
     * @return this builder
     */
    public Builder record(Optional<MtaStsRecord> record) {
      this.record = record;
      return this;
    }

    /**
     * Sets why fetching a policy failed, if one was fetched and failed. Empty by default.
     *
     * @param fetchFailure the fetch failure
     * @return this builder
     */
    public Builder fetchFailure(Optional<FetchFailure> fetchFailure) {
      this.fetchFailure = fetchFailure;
      return this;
    }

    /**
     * Sets what was wrong with the fetched policy or its response, by line. Empty by default.
     *
     * @param findings the findings
     * @return this builder
     */
    public Builder findings(List<PolicyFinding> findings) {
      this.findings = findings;
      return this;
    }

    /**
     * Sets an account of the decision, for people. Required.
     *
     * @param detail the detail
     * @return this builder
     */
    public Builder detail(String detail) {
      this.detail = detail;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if domain, source, recordStatus, detail is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public PolicyLookup build() {
      return new PolicyLookup(
          domain, policy, source, recordStatus, record, fetchFailure, findings, detail);
    }
  }
}
