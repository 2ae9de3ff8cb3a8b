package org.mailauth4j.fuzz;

import static org.mailauth4j.fuzz.Contract.assertEqual;
import static org.mailauth4j.fuzz.Contract.check;

import org.mailauth4j.dns.DnsSyntaxException;
import org.mailauth4j.dns.DomainName;

/** {@link DomainName#parse} and {@link DomainName#parseHostName} on any text. */
class DomainNameFuzz {

  @FuzzTarget
  void parse(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          DomainName name = parseOrNull(text, false);
          assertEqual("isValid agrees with parse", name != null, DomainName.isValid(text));
          if (name == null) {
            return;
          }
          String canonical = name.toString();
          // Limits count octets; the text may be longer, with RFC 1035 escapes such as \\003.
          check(name.octetLength() <= DomainName.MAX_LENGTH, "longer than 253: " + canonical);
          int octets = name.labelCount() - 1;
          for (String label : name.labels()) {
            int length = DomainName.parse(label).octetLength();
            check(
                length >= 1 && length <= DomainName.MAX_LABEL_LENGTH, "bad label in " + canonical);
            octets += length;
          }
          assertEqual("octetLength", octets, name.octetLength());
          assertEqual("labelCount", name.labels().size(), name.labelCount());
          assertEqual("labels joined", canonical, String.join(".", name.labels()));
          // Round trips: the canonical text, with the trailing dot, and upper-cased, parse back.
          assertEqual("parse(toString())", name, DomainName.parse(canonical));
          assertEqual("parse(toAbsoluteString())", name, DomainName.parse(name.toAbsoluteString()));
          assertEqual("parse(upper case)", name, DomainName.parse(upperAscii(canonical)));
          check(name.toUnicode() != null, "toUnicode");
          name.parent().ifPresent(p -> check(name.isWithin(p), name + " not within its parent"));
          if (name.isHostName()) {
            assertEqual("parseHostName of a host name", name, DomainName.parseHostName(text));
          }
        });
  }

  @FuzzTarget
  void parseHostName(byte[] input) {
    String text = Contract.utf8(input);
    Contract.timed(
        input.length,
        () -> {
          DomainName host = parseOrNull(text, true);
          DomainName name = parseOrNull(text, false);
          if (host == null) {
            check(name == null || !name.isHostName(), "parseHostName refused host name " + name);
            return;
          }
          assertEqual("parseHostName and parse", name, host);
          check(host.isHostName(), "parseHostName gave a non-host name " + host);
        });
  }

  private static DomainName parseOrNull(String text, boolean hostName) {
    return Contract.parseOrNull(
        DnsSyntaxException.class,
        () -> hostName ? DomainName.parseHostName(text) : DomainName.parse(text));
  }

  /** DNS compares names ignoring ASCII case only (RFC 4343). */
  private static String upperAscii(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
    }
    return sb.toString();
  }
}
