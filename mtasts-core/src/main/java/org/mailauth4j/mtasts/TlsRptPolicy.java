package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.mailauth4j.dns.DomainName;

/**
 * The policy a TLS session was judged under, as a TLS-RPT report describes it (RFC 8460 §4.4): its
 * type, the domain that published it, its text one line per element ({@code policy-string}), and
 * the MX host patterns it names ({@code mx-host}). Sessions under equal policies are counted
 * together. Immutable.
 *
 * @param type {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param domain the policy domain: the recipient domain for MTA-STS, the MX host's for DANE
 * @param strings the policy's text: for MTA-STS one element per line of the policy file (RFC 8460
 *     §4.5), for DANE one TLSA record per element in presentation form ({@code "3 1 1 <hex>"});
 *     empty for {@code no-policy-found}, or when the policy could not be fetched
 * @param mxHosts the MX host patterns of an MTA-STS policy, or the MX host of a DANE policy
 */
public record TlsRptPolicy(
    TlsRptPolicyType type, DomainName domain, List<String> strings, List<String> mxHosts) {

  /**
   * Creates a policy description.
   *
   * @param type the type
   * @param domain the policy domain
   * @param strings the policy text, one element per line or record
   * @param mxHosts the MX host patterns
   */
  public TlsRptPolicy {
    requireNonNull(type, "type");
    requireNonNull(domain, "domain");
    strings = List.copyOf(strings);
    mxHosts = List.copyOf(mxHosts);
    if (type == TlsRptPolicyType.NO_POLICY_FOUND && !(strings.isEmpty() && mxHosts.isEmpty())) {
      throw new IllegalArgumentException("no-policy-found has no policy strings or MX hosts");
    }
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
}
