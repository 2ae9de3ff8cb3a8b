package org.mailauth4j.mtasts;

import static java.util.Objects.requireNonNull;

import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/**
 * An {@code mx} pattern of a policy (RFC 8461 §3.2, §4.1): an exact host name, or {@code *.} and a
 * domain, where the wildcard stands for exactly one whole left-most label. {@code *.example.com}
 * matches {@code mx1.example.com} but neither {@code example.com} nor {@code a.b.example.com}.
 * Names compare case-insensitively, trailing dots aside. Immutable.
 *
 * <p>A record, since its components are those of an {@code mx} pattern (RFC 8461 §3.2), which later
 * versions do not change.
 *
 * @param wildcard whether the pattern starts with {@code *.}
 * @param domain the name, or for a wildcard the domain below which one label is matched
 */
public record MxPattern(boolean wildcard, DomainName domain) {

  /**
   * Creates a pattern.
   *
   * @param wildcard whether the pattern starts with {@code *.}
   * @param domain the name, or the domain a wildcard's one label sits below
   */
  public MxPattern {
    requireNonNull(domain, "domain");
    if (domain.isRoot()) {
      throw new IllegalArgumentException("an mx pattern needs a domain name");
    }
    // RFC 8461 §3.2: sts-policy-mx-value = ["*."] Domain, the Domain of RFC 5321 §4.1.2.
    if (!domain.isHostName()) {
      throw new IllegalArgumentException("an mx pattern names a host name, not " + domain);
    }
  }

  /**
   * Parses a pattern as written in a policy file.
   *
   * <pre>
   * sts-policy-mx-value = ["*."] Domain                   ; RFC 8461 §3.2, A-labels only
   * Domain              = sub-domain *("." sub-domain)    ; RFC 5321 §4.1.2
   * sub-domain          = Let-dig [Ldh-str]
   * </pre>
   *
   * <p>So a pattern is a host name, or {@code *.} and a host name: names that DNS allows but host
   * names do not (with {@code _}, say) are no patterns, and no wildcard stands anywhere else.
   *
   * @param text such as {@code mail.example.com} or {@code *.example.net}
   * @return the pattern
   * @throws MtaStsSyntaxException if it is not a host name or a wildcard as above
   */
  public static MxPattern parse(CharSequence text) {
    String s = text.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0x7E || c <= 0x20) {
        // RFC 8461 §3.2: internationalized names appear as A-labels.
        throw new MtaStsSyntaxException(
            s, i, "an mx pattern holds only ASCII letters, digits, '-', '.' and a leading '*.'");
      }
    }
    boolean wildcard = s.startsWith("*.");
    String name = wildcard ? s.substring(2) : s;
    int offset = wildcard ? 2 : 0;
    int star = name.indexOf('*');
    if (star >= 0) {
      throw new MtaStsSyntaxException(
          s,
          offset + star,
          "a wildcard may only be the whole left-most label, as in *.example.com");
    }
    if (name.endsWith(".")) {
      throw new MtaStsSyntaxException(s, s.length() - 1, "an mx pattern has no trailing dot");
    }
    DomainName domain;
    try {
      // RFC 8461 §3.2: the rest is an RFC 5321 Domain, a host name, not any name DNS allows.
      domain = DomainName.parseHostName(name);
    } catch (DnsSyntaxException e) {
      throw new MtaStsSyntaxException(s, offset + e.errorIndex(), e.reason());
    }
    if (domain.labelCount() < (wildcard ? 1 : 2)) {
      throw new MtaStsSyntaxException(s, offset, "an mx pattern is a fully-qualified host name");
    }
    return new MxPattern(wildcard, domain);
  }

  /**
   * Tells whether an MX host, as named by its MX record (not a CNAME target), fits the pattern (RFC
   * 8461 §4.1).
   *
   * @param mxHost the MX host name
   * @return {@code true} if the host may serve under a policy with this pattern
   */
  public boolean matches(DomainName mxHost) {
    if (!wildcard) {
      return mxHost.equals(domain);
    }
    // RFC 8461 §4.1: '*' matches exactly the whole left-most label, and MX hosts are host names
    // (RFC 5321 §5.1), so a label such as "_x" is not one the wildcard stands for.
    return mxHost.labelCount() == domain.labelCount() + 1
        && mxHost.isHostName()
        && mxHost.parent().map(domain::equals).orElse(false);
  }

  /** Returns the pattern as written in a policy file, such as {@code *.example.net}. */
  @Override
  public String toString() {
    return (wildcard ? "*." : "") + domain;
  }
}
