package org.mailauth4j.dmarc.report;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.mailauth4j.dmarc.AlignmentMode;
import org.mailauth4j.dmarc.DiscoveryMethod;
import org.mailauth4j.dmarc.DmarcPolicy;
import org.mailauth4j.dmarc.DmarcProfile;
import org.mailauth4j.dmarc.DmarcRecord;
import org.mailauth4j.dmarc.FailureOption;
import org.mailauth4j.dns.DomainName;

/**
 * The DMARC record a report's messages were evaluated against ({@code policy_published}, RFC 9990
 * §3.1.5; RFC 7489 Appendix C): the domain where it was found and its policy configuration. RFC
 * 9990 sends one report per policy domain and per configuration, so a record changed during the day
 * gives a second report. Every value but the domain is optional because received reports often
 * leave them out; {@link #of(DomainName, DmarcRecord, DmarcProfile)} fills them with the record's
 * effective values, as RFC 9990 asks. Immutable; made with {@link #builder(String)}.
 */
public final class PublishedPolicy {
  private final String domain;
  private final Optional<DmarcPolicy> policy;
  private final Optional<DmarcPolicy> subdomainPolicy;
  private final Optional<DmarcPolicy> nonexistentDomainPolicy;
  private final Optional<AlignmentMode> dkimAlignment;
  private final Optional<AlignmentMode> spfAlignment;
  private final Optional<DiscoveryMethod> discoveryMethod;
  private final Optional<String> failureOptions;
  private final Optional<Boolean> testing;
  private final OptionalInt percent;

  private PublishedPolicy(Builder b) {
    this.domain = b.domain;
    this.policy = b.policy;
    this.subdomainPolicy = b.subdomainPolicy;
    this.nonexistentDomainPolicy = b.nonexistentDomainPolicy;
    this.dkimAlignment = b.dkimAlignment;
    this.spfAlignment = b.spfAlignment;
    this.discoveryMethod = b.discoveryMethod;
    this.failureOptions = b.failureOptions;
    this.testing = b.testing;
    this.percent = b.percent;
  }

  /**
   * Describes a record as a receiver following a profile reports it: {@code p}, {@code sp} (or
   * {@code p}), {@code adkim}, {@code aspf}, {@code fo}, and under RFC 9989 {@code np} (or {@code
   * sp}, {@code p}), {@code testing} and {@code discovery_method=treewalk}; under RFC 7489 {@code
   * pct} and {@code discovery_method=psl}.
   *
   * @param domain the domain where the record was found
   * @param record the record
   * @param profile the receiver's profile
   * @return the policy
   */
  public static PublishedPolicy of(DomainName domain, DmarcRecord record, DmarcProfile profile) {
    DmarcPolicy p = record.policy().orElse(DmarcPolicy.NONE); // RFC 9989 §4.10.1
    DmarcPolicy sp = record.subdomainPolicy().orElse(p);
    Builder b =
        builder(domain.toString())
            .policy(Optional.of(p))
            .subdomainPolicy(Optional.of(sp))
            .dkimAlignment(Optional.of(record.dkimAlignment()))
            .spfAlignment(Optional.of(record.spfAlignment()))
            .failureOptions(
                Optional.of(
                    record.failureOptions().stream()
                        .map(FailureOption::token)
                        .collect(Collectors.joining(":"))));
    if (profile == DmarcProfile.RFC9989) {
      b.nonexistentDomainPolicy(Optional.of(record.nonexistentDomainPolicy().orElse(sp)))
          .testing(Optional.of(record.testing()))
          .discoveryMethod(Optional.of(DiscoveryMethod.TREEWALK));
    } else {
      b.percent(OptionalInt.of(record.percent())).discoveryMethod(Optional.of(DiscoveryMethod.PSL));
    }
    return b.build();
  }

  /**
   * Starts a builder.
   *
   * @param domain the domain where the record was found, as reported
   * @return a builder with nothing but the domain set
   */
  public static Builder builder(String domain) {
    return new Builder(requireNonNull(domain, "domain"));
  }

  /**
   * Starts a builder with this policy's values.
   *
   * @return a builder
   */
  public Builder newBuilder() {
    Builder b = new Builder(domain);
    b.policy = policy;
    b.subdomainPolicy = subdomainPolicy;
    b.nonexistentDomainPolicy = nonexistentDomainPolicy;
    b.dkimAlignment = dkimAlignment;
    b.spfAlignment = spfAlignment;
    b.discoveryMethod = discoveryMethod;
    b.failureOptions = failureOptions;
    b.testing = testing;
    b.percent = percent;
    return b;
  }

  /**
   * Returns the domain where the record was found ({@code domain}), as reported.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the policy for the domain ({@code p}).
   *
   * @return the policy, or empty when not reported or unknown
   */
  public Optional<DmarcPolicy> policy() {
    return policy;
  }

  /**
   * Returns the policy for subdomains ({@code sp}).
   *
   * @return the policy, or empty
   */
  public Optional<DmarcPolicy> subdomainPolicy() {
    return subdomainPolicy;
  }

  /**
   * Returns the policy for non-existent subdomains ({@code np}, RFC 9990).
   *
   * @return the policy, or empty
   */
  public Optional<DmarcPolicy> nonexistentDomainPolicy() {
    return nonexistentDomainPolicy;
  }

  /**
   * Returns the DKIM alignment mode ({@code adkim}).
   *
   * @return the mode, or empty
   */
  public Optional<AlignmentMode> dkimAlignment() {
    return dkimAlignment;
  }

  /**
   * Returns the SPF alignment mode ({@code aspf}).
   *
   * @return the mode, or empty
   */
  public Optional<AlignmentMode> spfAlignment() {
    return spfAlignment;
  }

  /**
   * Returns how the record was found ({@code discovery_method}, RFC 9990).
   *
   * @return the method, or empty
   */
  public Optional<DiscoveryMethod> discoveryMethod() {
    return discoveryMethod;
  }

  /**
   * Returns the failure reporting options ({@code fo}), as written, such as {@code 0} or {@code
   * d:s}.
   *
   * @return the options, or empty
   */
  public Optional<String> failureOptions() {
    return failureOptions;
  }

  /**
   * Returns whether the record declared testing mode ({@code testing}, RFC 9990).
   *
   * @return the flag, or empty
   */
  public Optional<Boolean> testing() {
    return testing;
  }

  /**
   * Returns the sampling percentage ({@code pct}, RFC 7489 only).
   *
   * @return 0 to 100, or empty
   */
  public OptionalInt percent() {
    return percent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishedPolicy p
        && p.domain.equals(domain)
        && p.policy.equals(policy)
        && p.subdomainPolicy.equals(subdomainPolicy)
        && p.nonexistentDomainPolicy.equals(nonexistentDomainPolicy)
        && p.dkimAlignment.equals(dkimAlignment)
        && p.spfAlignment.equals(spfAlignment)
        && p.discoveryMethod.equals(discoveryMethod)
        && p.failureOptions.equals(failureOptions)
        && p.testing.equals(testing)
        && p.percent.equals(percent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        domain,
        policy,
        subdomainPolicy,
        nonexistentDomainPolicy,
        dkimAlignment,
        spfAlignment,
        discoveryMethod,
        failureOptions,
        testing,
        percent);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(domain);
    policy.ifPresent(v -> s.append(" p=").append(v.token()));
    subdomainPolicy.ifPresent(v -> s.append(" sp=").append(v.token()));
    nonexistentDomainPolicy.ifPresent(v -> s.append(" np=").append(v.token()));
    dkimAlignment.ifPresent(v -> s.append(" adkim=").append(v.token()));
    spfAlignment.ifPresent(v -> s.append(" aspf=").append(v.token()));
    failureOptions.ifPresent(v -> s.append(" fo=").append(v));
    testing.ifPresent(v -> s.append(" t=").append(v ? "y" : "n"));
    percent.ifPresent(v -> s.append(" pct=").append(v));
    discoveryMethod.ifPresent(v -> s.append(" (").append(v.token()).append(')'));
    return s.toString();
  }

  /** Builds {@link PublishedPolicy}; not thread-safe. */
  public static final class Builder {
    private final String domain;
    private Optional<DmarcPolicy> policy = Optional.empty();
    private Optional<DmarcPolicy> subdomainPolicy = Optional.empty();
    private Optional<DmarcPolicy> nonexistentDomainPolicy = Optional.empty();
    private Optional<AlignmentMode> dkimAlignment = Optional.empty();
    private Optional<AlignmentMode> spfAlignment = Optional.empty();
    private Optional<DiscoveryMethod> discoveryMethod = Optional.empty();
    private Optional<String> failureOptions = Optional.empty();
    private Optional<Boolean> testing = Optional.empty();
    private OptionalInt percent = OptionalInt.empty();

    private Builder(String domain) {
      this.domain = domain;
    }

    /**
     * Sets {@code p}.
     *
     * @param policy the policy, or empty
     * @return this builder
     */
    public Builder policy(Optional<DmarcPolicy> policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets {@code sp}.
     *
     * @param policy the policy, or empty
     * @return this builder
     */
    public Builder subdomainPolicy(Optional<DmarcPolicy> policy) {
      this.subdomainPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets {@code np}.
     *
     * @param policy the policy, or empty
     * @return this builder
     */
    public Builder nonexistentDomainPolicy(Optional<DmarcPolicy> policy) {
      this.nonexistentDomainPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets {@code adkim}.
     *
     * @param mode the mode, or empty
     * @return this builder
     */
    public Builder dkimAlignment(Optional<AlignmentMode> mode) {
      this.dkimAlignment = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets {@code aspf}.
     *
     * @param mode the mode, or empty
     * @return this builder
     */
    public Builder spfAlignment(Optional<AlignmentMode> mode) {
      this.spfAlignment = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets {@code discovery_method}.
     *
     * @param method the method, or empty
     * @return this builder
     */
    public Builder discoveryMethod(Optional<DiscoveryMethod> method) {
      this.discoveryMethod = requireNonNull(method, "method");
      return this;
    }

    /**
     * Sets {@code fo}.
     *
     * @param options the options as written, or empty
     * @return this builder
     */
    public Builder failureOptions(Optional<String> options) {
      this.failureOptions = requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets {@code testing}.
     *
     * @param testing the flag, or empty
     * @return this builder
     */
    public Builder testing(Optional<Boolean> testing) {
      this.testing = requireNonNull(testing, "testing");
      return this;
    }

    /**
     * Sets {@code pct}.
     *
     * @param percent 0 to 100, or empty
     * @return this builder
     * @throws IllegalArgumentException if outside 0 to 100
     */
    public Builder percent(OptionalInt percent) {
      requireNonNull(percent, "percent");
      if (percent.isPresent() && (percent.getAsInt() < 0 || percent.getAsInt() > 100)) {
        throw new IllegalArgumentException("pct must be 0 to 100: " + percent.getAsInt());
      }
      this.percent = percent;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public PublishedPolicy build() {
      return new PublishedPolicy(this);
    }
  }
}
