package org.mailauth4j.mtasts;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Tells public unicast addresses from the rest, for a fetcher told to contact public hosts only (an
 * SSRF guard: a service that fetches the policies of domains its users name must not be steered at
 * its own network). The ranges are those of the IANA special-purpose address registries (RFC 6890)
 * that are not globally reachable, and for IPv6 everything outside global unicast (2000::/3).
 * Addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that address.
 * Stateless.
 */
final class PublicAddresses {
  private PublicAddresses() {}

  /** A range: the network's bytes, its prefix length, and what it is. */
  private record Range(byte[] network, int prefix, String what) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private static final Range[] IPV4 = {
    range("0.0.0.0", 8, "a \"this network\" address (RFC 791), the unspecified address among them"),
    range("10.0.0.0", 8, "a private address (RFC 1918)"),
    range("100.64.0.0", 10, "a shared (carrier-grade NAT) address (RFC 6598)"),
    range("127.0.0.0", 8, "a loopback address (RFC 1122)"),
    range("169.254.0.0", 16, "a link-local address (RFC 3927)"),
    range("172.16.0.0", 12, "a private address (RFC 1918)"),
    range("192.0.0.0", 24, "an IETF protocol assignment (RFC 6890)"),
    range("192.0.2.0", 24, "a documentation address (RFC 5737)"),
    range("192.88.99.0", 24, "a deprecated 6to4 relay anycast address (RFC 7526)"),
    range("192.168.0.0", 16, "a private address (RFC 1918)"),
    range("198.18.0.0", 15, "a benchmarking address (RFC 2544)"),
    range("198.51.100.0", 24, "a documentation address (RFC 5737)"),
    range("203.0.113.0", 24, "a documentation address (RFC 5737)"),
    range("224.0.0.0", 4, "a multicast address (RFC 5771)"),
    range("240.0.0.0", 4, "a reserved address (RFC 1112), the broadcast address among them"),
  };

  private static final Range[] IPV6 = {
    range("::", 128, "the unspecified address (RFC 4291)"),
    range("::1", 128, "the loopback address (RFC 4291)"),
    range("::", 96, "a deprecated IPv4-compatible address (RFC 4291 §2.5.5.1)"),
    range("64:ff9b:1::", 48, "a local-use NAT64 address (RFC 8215)"),
    range("100::", 64, "a discard-only address (RFC 6666)"),
    range("2001:db8::", 32, "a documentation address (RFC 3849)"),
    range("2001::", 23, "an IETF protocol assignment, Teredo among them (RFC 2928, RFC 6890)"),
    range("3fff::", 20, "a documentation address (RFC 9637)"),
    range("5f00::", 16, "an SRv6 SID (RFC 9602)"),
    range("fc00::", 7, "a unique local address (RFC 4193)"),
    range("fe80::", 10, "a link-local address (RFC 4291)"),
    range("fec0::", 10, "a deprecated site-local address (RFC 3879)"),
    range("ff00::", 8, "a multicast address (RFC 4291)"),
  };

  private static final Range IPV4_MAPPED = range("::ffff:0:0", 96, "IPv4-mapped (RFC 4291)");
  private static final Range NAT64 = range("64:ff9b::", 96, "NAT64 (RFC 6052)");
  private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4 (RFC 3056)");
  private static final Range GLOBAL_UNICAST = range("2000::", 3, "global unicast (RFC 4291)");

  /**
   * Says why an address is not a public one, or returns null if it is.
   *
   * @param address an IPv4 or IPv6 address
   * @return such as {@code "a loopback address (RFC 1122)"}, or null
   */
  static String nonPublicReason(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      for (Range r : IPV4) {
        if (r.contains(bytes)) {
          return r.what();
        }
      }
      return null;
    }
    if (!(address instanceof Inet6Address)) {
      return "not an IP address";
    }
    for (Range embedding : new Range[] {IPV4_MAPPED, NAT64}) {
      if (embedding.contains(bytes)) {
        String inner = nonPublicReason(ipv4(bytes, 12));
        return inner == null ? null : embedding.what() + " form of " + inner;
      }
    }
    if (SIX_TO_FOUR.contains(bytes)) {
      String inner = nonPublicReason(ipv4(bytes, 2));
      return inner == null ? null : "a 6to4 (RFC 3056) address for " + inner;
    }
    for (Range r : IPV6) {
      if (r.contains(bytes)) {
        return r.what();
      }
    }
    if (!GLOBAL_UNICAST.contains(bytes)) {
      return "not a global unicast address (outside 2000::/3, RFC 4291 §2.4)";
    }
    return null;
  }

  private static InetAddress ipv4(byte[] bytes, int offset) {
    byte[] v4 = new byte[4];
    System.arraycopy(bytes, offset, v4, 0, 4);
    try {
      return InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always an IPv4 address
    }
  }

  private static Range range(String literal, int prefix, String what) {
    try {
      // Literals only: no name is looked up.
      byte[] network = InetAddress.getByName(literal).getAddress();
      if (literal.contains(":") && network.length == 4) {
        // the JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(network, 0, mapped, 12, 4);
        network = mapped;
      }
      return new Range(network, prefix, what);
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
