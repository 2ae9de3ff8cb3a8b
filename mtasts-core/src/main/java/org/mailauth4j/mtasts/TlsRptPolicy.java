package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import org.mailauth4j.dns.DomainName;

/**
 * The policy a TLS session was judged under, as a TLS-RPT report describes it (RFC 8460 §4.4): its
 * type, the domain that published it, its text one line per element ({@code policy-string}), and
 * the MX host patterns it names ({@code mx-host}). Sessions under equal policies are counted
 * together. It has no public constructor, so that later versions can add fields without breaking
 * callers. Immutable and thread-safe; equal when all their fields are.
 */
public final class TlsRptPolicy {

  private final TlsRptPolicyType type;
  private final DomainName domain;
  private final List<String> strings;
  private final List<String> mxHosts;

  TlsRptPolicy(
      TlsRptPolicyType type, DomainName domain, List<String> strings, List<String> mxHosts) {
    requireNonNull(type, "type");
    requireNonNull(domain, "domain");
    strings = List.copyOf(strings);
    mxHosts = List.copyOf(mxHosts);
    if (type == TlsRptPolicyType.NO_POLICY_FOUND && !(strings.isEmpty() && mxHosts.isEmpty())) {
      throw new IllegalArgumentException("no-policy-found has no policy strings or MX hosts");
    }
    this.type = type;
    this.domain = domain;
    this.strings = strings;
    this.mxHosts = mxHosts;
  }

  /**
   * Returns {@code sts}, {@code tlsa} or {@code no-policy-found}.
   *
   * @return the type
   */
  public TlsRptPolicyType type() {
    return type;
  }

  /**
   * Returns the policy domain: the recipient domain for MTA-STS, the MX host's for DANE.
   *
   * @return the domain
   */
  public DomainName domain() {
    return domain;
  }

  /**
   * Returns the policy's text: for MTA-STS one element per line of the policy file (RFC 8460 §4.5),
   * for DANE one TLSA record per element in presentation form ({@code "3 1 1 <hex>"}); empty for
   * {@code no-policy-found}, or when the policy could not be fetched.
   *
   * @return the strings
   */
  public List<String> strings() {
    return strings;
  }

  /**
   * Returns the MX host patterns of an MTA-STS policy, or the MX host of a DANE policy.
   *
   * @return the MX hosts
   */
  public List<String> mxHosts() {
    return mxHosts;
  }

  /**
   * Describes an MTA-STS policy of a domain.
   *
   * @param domain the policy domain
   * @param policy the policy applied
   * @return a description of type {@code sts}, with the policy's lines and its {@code mx} patterns
   */
  public static TlsRptPolicy sts(DomainName domain, MtaStsPolicy policy) {
    return new TlsRptPolicy(
        TlsRptPolicyType.STS,
        domain,
        policy.toPolicyText().lines().toList(),
        policy.mx().stream().map(MxPattern::toString).toList());
  }

  /**
   * Describes a DANE policy (RFC 8460 §4.4, {@code policy-type} {@code tlsa}): the TLSA records of
   * one MX host.
   *
   * @param domain the policy domain: the TLSA base domain, which is the MX host's name unless a
   *     CNAME led elsewhere (RFC 7672 §2.2.3)
   * @param tlsaRecords the records in presentation form, such as {@code "3 1 1 <hex>"}; empty when
   *     they could not be had
   * @param mxHost the MX host
   * @return a description of type {@code tlsa}
   */
  public static TlsRptPolicy tlsa(DomainName domain, List<String> tlsaRecords, DomainName mxHost) {
    return new TlsRptPolicy(TlsRptPolicyType.TLSA, domain, tlsaRecords, List.of(mxHost.toString()));
  }

  /**
   * Describes a domain that publishes MTA-STS but whose policy could not be had (RFC 8460
   * §4.3.2.2): type {@code sts}, no policy strings.
   *
   * @param domain the policy domain
   * @return the description
   */
  public static TlsRptPolicy stsUnavailable(DomainName domain) {
    return new TlsRptPolicy(TlsRptPolicyType.STS, domain, List.of(), List.of());
  }

  /**
   * Describes sessions under no policy.
   *
   * @param domain the recipient domain
   * @return a description of type {@code no-policy-found}
   */
  public static TlsRptPolicy noPolicyFound(DomainName domain) {
    return new TlsRptPolicy(TlsRptPolicyType.NO_POLICY_FOUND, domain, List.of(), List.of());
  }

  /**
   * Compares all fields.
   *
   * @param other the other object
   * @return {@code true} if {@code other} is {@code TlsRptPolicy} with equal fields
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof TlsRptPolicy o
        && type == o.type
        && domain.equals(o.domain)
        && strings.equals(o.strings)
        && mxHosts.equals(o.mxHosts);
  }

  /**
   * Hashes all fields.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(type, domain, strings, mxHosts);
  }

  /**
   * Describes the value for logs, with every field.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "TlsRptPolicy[type="
        + type
        + ", domain="
        + domain
        + ", strings="
        + strings
        + ", mxHosts="
        + mxHosts
        + "]";
  }
}
