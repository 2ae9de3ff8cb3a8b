package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptPolicyType;

/**
 * A report's {@code policy} block (RFC 8460 §4.4): the policy the sessions were judged under.
 * Domains are kept as written, since received reports are not always A-labels. It has no public
 * constructor, so that later versions can add fields without breaking callers; {@link #builder()}
 * makes one. Immutable and thread-safe; equal when all their fields are.
 */
public final class ReportedPolicy {

  private final String type;
  private final List<String> strings;
  private final Optional<String> domain;
  private final List<String> mxHosts;

  ReportedPolicy(String type, List<String> strings, Optional<String> domain, List<String> mxHosts) {
    requireNonNull(type, "type");
    strings = List.copyOf(strings);
    requireNonNull(domain, "domain");
    mxHosts = List.copyOf(mxHosts);
    this.type = type;
    this.strings = strings;
    this.domain = domain;
    this.mxHosts = mxHosts;
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
   * Returns {@code policy-type}, such as {@code sts}; kept as text, since received reports carry
   * types this version does not know.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Returns {@code policy-string}, one element per policy line or TLSA record; empty if absent.
   *
   * @return the strings
   */
  public List<String> strings() {
    return strings;
  }

  /**
   * Returns {@code policy-domain}; absent in some received reports of {@code no-policy-found}.
   *
   * @return the domain
   */
  public Optional<String> domain() {
    return domain;
  }

  /**
   * Returns {@code mx-host}: the MX host patterns; a received single string becomes one element, an
   * absent field none.
   *
   * @return the MX hosts
   */
  public List<String> mxHosts() {
    return mxHosts;
  }

  /**
   * Describes a policy as a sender applied it.
   *
   * @param policy the policy, from an {@code MxVerdict} or a policy lookup
   * @return the block, with the policy domain as A-labels
   */
  public static ReportedPolicy of(TlsRptPolicy policy) {
    return new ReportedPolicy(
        policy.type().token(),
        policy.strings(),
        Optional.of(policy.domain().toString()),
        policy.mxHosts());
  }

  /**
   * Returns the policy type as a value of this version's list.
   *
   * @return the type, or empty for a type this version does not know
   */
  public Optional<TlsRptPolicyType> knownType() {
    return TlsRptPolicyType.fromToken(type);
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code ReportedPolicy} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof ReportedPolicy o
        && type.equals(o.type)
        && strings.equals(o.strings)
        && domain.equals(o.domain)
        && mxHosts.equals(o.mxHosts);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(type, strings, domain, mxHosts);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "ReportedPolicy[type="
        + type
        + ", strings="
        + strings
        + ", domain="
        + domain
        + ", mxHosts="
        + mxHosts
        + "]";
  }

  /** Builds {@link ReportedPolicy} values; not thread-safe. */
  public static final class Builder {
    private String type;
    private List<String> strings = List.of();
    private Optional<String> domain = Optional.empty();
    private List<String> mxHosts = List.of();

    private Builder() {}

    /**
     * Sets {@code policy-type}, such as {@code sts}; kept as text, since received reports carry
     * types this version does not know. Required.
     *
     * @param type the type
     * @return this builder
     */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /**
     * Sets {@code policy-string}, one element per policy line or TLSA record; empty if absent.
     * Empty by default.
     *
     * @param strings the strings
     * @return this builder
     */
    public Builder strings(List<String> strings) {
      this.strings = strings;
      return this;
    }

    /**
     * Sets {@code policy-domain}; absent in some received reports of {@code no-policy-found}. Empty
     * by default.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder domain(Optional<String> domain) {
      this.domain = domain;
      return this;
    }

    /**
     * Sets {@code mx-host}: the MX host patterns; a received single string becomes one element, an
     * absent field none. Empty by default.
     *
     * @param mxHosts the MX hosts
     * @return this builder
     */
    public Builder mxHosts(List<String> mxHosts) {
      this.mxHosts = mxHosts;
      return this;
    }

    /**
     * Builds the value.
     *
     * @return the value
     * @throws NullPointerException if type is unset
     * @throws IllegalArgumentException if a value is out of range
     */
    public ReportedPolicy build() {
      return new ReportedPolicy(type, strings, domain, mxHosts);
    }
  }
}
