package org.mailauth4j.tlsrpt;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Writes an IP address as a report's {@code sending-mta-ip} and {@code receiving-ip} want it: IPv4
 * as a dotted quad, IPv6 in the canonical text form of RFC 5952 §4, without a zone. {@link
 * InetAddress#getHostAddress()} does not compress zeros and appends a scope.
 */
final class AddressText {
  private AddressText() {}

  static String of(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 §5: an IPv4-mapped address ends in dotted-quad form
    if (groups[0] == 0
        && groups[1] == 0
        && groups[2] == 0
        && groups[3] == 0
        && groups[4] == 0
        && groups[5] == 0xffff) {
      return "::ffff:"
          + (b[12] & 0xff)
          + "."
          + (b[13] & 0xff)
          + "."
          + (b[14] & 0xff)
          + "."
          + (b[15] & 0xff);
    }
    // RFC 5952 §4.2.2, §4.2.3: "::" replaces the longest run of two or more zero groups, the
    // first such run when two are as long
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      // RFC 5952 §4.1, §4.3: no leading zeros, lower case
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
