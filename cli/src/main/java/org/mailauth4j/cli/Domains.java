package org.mailauth4j.cli;

import java.net.IDN;
import org.mailauth4j.dns.DomainName;

/** Domain names given on the command line: U-labels become A-labels, a final dot is allowed. */
final class Domains {
  private Domains() {}

  static DomainName parse(String text) {
    String s = text.strip();
    if (com.google.common.net.InetAddresses.isInetAddress(s)) {
      throw CliException.input("'" + text + "' is an IP address, not a domain name");
    }
    try {
      String ascii = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
      return DomainName.parseHostName(ascii);
    } catch (IllegalArgumentException e) {
      throw CliException.input("'" + text + "' is not a domain name: " + e.getMessage());
    }
  }

  /** Whether the text is a domain name; for lists of domains, where bad lines are reported. */
  static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (CliException e) {
      return false;
    }
  }
}
