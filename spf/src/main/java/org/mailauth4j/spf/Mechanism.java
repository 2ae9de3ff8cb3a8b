package org.mailauth4j.spf;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Optional;

/** The mechanisms of SPF (RFC 7208 §5): what a directive tests the client against. */
public sealed interface Mechanism {

  /**
   * Tells whether evaluating the mechanism queries DNS, which counts against the limit of 10 (RFC
   * 7208 §4.6.4).
   *
   * @return {@code true} for include, a, mx, ptr and exists
   */
  default boolean queriesDns() {
    return !(this instanceof All || this instanceof Ip4 || this instanceof Ip6);
  }

  /** {@code all}: always matches (RFC 7208 §5.1). */
  record All() implements Mechanism {
    @Override
    public String toString() {
      return "all";
    }
  }

  /**
   * {@code include:<domain>}: matches when the other domain's record passes (RFC 7208 §5.2).
   *
   * @param domain the domain-spec
   */
  record Include(MacroString domain) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param domain the domain-spec
     */
    public Include {
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "include:" + domain;
    }
  }

  /**
   * {@code a[:<domain>][/<cidr4>][//<cidr6>]}: matches the addresses of a domain (RFC 7208 §5.3).
   *
   * @param domain the domain-spec; the current domain when empty
   * @param ip4Prefix the IPv4 prefix length, 32 by default
   * @param ip6Prefix the IPv6 prefix length, 128 by default
   */
  record A(Optional<MacroString> domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param domain the domain-spec
     * @param ip4Prefix the IPv4 prefix length
     * @param ip6Prefix the IPv6 prefix length
     */
    public A {
      requireNonNull(domain, "domain");
      checkPrefixes(ip4Prefix, ip6Prefix);
    }

    @Override
    public String toString() {
      return "a" + domainAndPrefixes(domain, ip4Prefix, ip6Prefix);
    }
  }

  /**
   * {@code mx[:<domain>][/<cidr4>][//<cidr6>]}: matches the addresses of a domain's mail exchangers
   * (RFC 7208 §5.4).
   *
   * @param domain the domain-spec; the current domain when empty
   * @param ip4Prefix the IPv4 prefix length, 32 by default
   * @param ip6Prefix the IPv6 prefix length, 128 by default
   */
  record Mx(Optional<MacroString> domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param domain the domain-spec
     * @param ip4Prefix the IPv4 prefix length
     * @param ip6Prefix the IPv6 prefix length
     */
    public Mx {
      requireNonNull(domain, "domain");
      checkPrefixes(ip4Prefix, ip6Prefix);
    }

    @Override
    public String toString() {
      return "mx" + domainAndPrefixes(domain, ip4Prefix, ip6Prefix);
    }
  }

  /**
   * {@code ptr[:<domain>]}: matches when the client's validated reverse name is in a domain (RFC
   * 7208 §5.5). Slow and unreliable; RFC 7208 says not to publish it.
   *
   * @param domain the domain-spec; the current domain when empty
   */
  record Ptr(Optional<MacroString> domain) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param domain the domain-spec
     */
    public Ptr {
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "ptr" + domain.map(d -> ":" + d).orElse("");
    }
  }

  /**
   * {@code ip4:<network>[/<prefix>]}: matches IPv4 clients in a network (RFC 7208 §5.6).
   *
   * @param network the network address as written
   * @param prefix the prefix length, 32 by default
   */
  record Ip4(Inet4Address network, int prefix) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param network the network address
     * @param prefix the prefix length, 0 to 32
     */
    public Ip4 {
      requireNonNull(network, "network");
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("IPv4 prefix out of range: " + prefix);
      }
    }

    @Override
    public String toString() {
      return "ip4:" + network.getHostAddress() + (prefix == 32 ? "" : "/" + prefix);
    }
  }

  /**
   * {@code ip6:<network>[/<prefix>]}: matches IPv6 clients in a network (RFC 7208 §5.6).
   *
   * @param network the network address
   * @param prefix the prefix length, 128 by default
   */
  record Ip6(Inet6Address network, int prefix) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param network the network address
     * @param prefix the prefix length, 0 to 128
     */
    public Ip6 {
      requireNonNull(network, "network");
      if (prefix < 0 || prefix > 128) {
        throw new IllegalArgumentException("IPv6 prefix out of range: " + prefix);
      }
    }

    @Override
    public String toString() {
      return "ip6:" + InetAddresses.toAddrString(network) + (prefix == 128 ? "" : "/" + prefix);
    }
  }

  /**
   * {@code exists:<domain>}: matches when the expanded name has an A record (RFC 7208 §5.7).
   *
   * @param domain the domain-spec
   */
  record Exists(MacroString domain) implements Mechanism {
    /**
     * Creates the mechanism.
     *
     * @param domain the domain-spec
     */
    public Exists {
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "exists:" + domain;
    }
  }

  private static void checkPrefixes(int ip4Prefix, int ip6Prefix) {
    if (ip4Prefix < 0 || ip4Prefix > 32 || ip6Prefix < 0 || ip6Prefix > 128) {
      throw new IllegalArgumentException("prefix out of range: /" + ip4Prefix + "//" + ip6Prefix);
    }
  }

  private static String domainAndPrefixes(Optional<MacroString> domain, int ip4, int ip6) {
    return domain.map(d -> ":" + d).orElse("")
        + (ip4 == 32 ? "" : "/" + ip4)
        + (ip6 == 128 ? "" : "//" + ip6);
  }
}
