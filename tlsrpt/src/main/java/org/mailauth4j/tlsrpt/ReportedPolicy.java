package org.mailauth4j.tlsrpt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mailauth4j.mtasts.TlsRptPolicy;
import org.mailauth4j.mtasts.TlsRptPolicyType;

/**
 * A report's {@code policy} block (RFC 8460 §4.4): the policy the sessions were judged under.
 * Domains are kept as written, since received reports are not always A-labels. Immutable.
 *
 * @param type {@code policy-type}, such as {@code sts}; kept as text, since received reports carry
 *     types this version does not know
 * @param strings {@code policy-string}, one element per policy line or TLSA record; empty if absent
 * @param domain {@code policy-domain}; absent in some received reports of {@code no-policy-found}
 * @param mxHosts {@code mx-host}: the MX host patterns; a received single string becomes one
 *     element, an absent field none
 */
public record ReportedPolicy(
    String type, List<String> strings, Optional<String> domain, List<String> mxHosts) {

  /**
   * Creates a policy block.
   *
   * @param type the type
   * @param strings the policy strings
   * @param domain the policy domain, or empty
   * @param mxHosts the MX host patterns
   */
  public ReportedPolicy {
    requireNonNull(type, "type");
    strings = List.copyOf(strings);
    requireNonNull(domain, "domain");
    mxHosts = List.copyOf(mxHosts);
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
}
