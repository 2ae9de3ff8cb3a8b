package org.mailauth4j.cli;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/** IP addresses given on the command line: literals only, never looked up. */
final class Addresses {
  private Addresses() {}

  static InetAddress parse(String text, String option) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (!InetAddresses.isInetAddress(s)) {
      throw CliException.input(option + " " + text + ": not an IPv4 or IPv6 address");
    }
    return InetAddresses.forString(s);
  }

  /** An address as people write it: IPv6 compressed (RFC 5952), not {@code 0:0:0:0:0:0:0:1}. */
  static String text(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }
}
