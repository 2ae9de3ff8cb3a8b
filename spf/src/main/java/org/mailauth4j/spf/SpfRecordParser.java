package org.mailauth4j.spf;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Scans an SPF record (RFC 7208 §12) with an index, reporting the first problem with its place.
 *
 * <pre>
 * record    = version terms *SP
 * version   = "v=spf1"
 * terms     = *( 1*SP ( directive / modifier ) )
 * directive = [ qualifier ] mechanism
 * mechanism = all / include / a / mx / ptr / ip4 / ip6 / exists
 * modifier  = redirect / explanation / unknown-modifier
 * unknown-modifier = name "=" macro-string
 * name      = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
 * </pre>
 */
final class SpfRecordParser {
  private final String text;
  private int i;

  SpfRecordParser(String text) {
    this.text = text;
  }

  private SpfSyntaxException error(int at, String reason) {
    return new SpfSyntaxException(text, at, reason);
  }

  SpfRecord record() {
    if (!SpfRecord.isSpfRecord(text)) {
      throw error(0, "an SPF record starts with v=spf1");
    }
    i = 6;
    List<Term> terms = new ArrayList<>();
    int redirects = 0;
    int explanations = 0;
    while (i < text.length()) {
      if (text.charAt(i) != ' ') {
        throw error(i, "expected a space between terms");
      }
      while (i < text.length() && text.charAt(i) == ' ') {
        i++;
      }
      if (i == text.length()) {
        break; // trailing spaces are allowed
      }
      int start = i;
      int end = text.indexOf(' ', i);
      end = end < 0 ? text.length() : end;
      Term term = term(start, end);
      if (term instanceof Modifier.Redirect && ++redirects > 1) {
        throw error(start, "redirect= appears twice");
      }
      if (term instanceof Modifier.Explanation && ++explanations > 1) {
        throw error(start, "exp= appears twice");
      }
      terms.add(term);
      i = end;
    }
    return new SpfRecord(terms);
  }

  private Term term(int start, int end) {
    // name "=" marks a modifier; a mechanism never has '=' before ':' or '/'.
    int nameEnd = start;
    while (nameEnd < end && isNameChar(text.charAt(nameEnd), nameEnd == start)) {
      nameEnd++;
    }
    if (nameEnd > start && nameEnd < end && text.charAt(nameEnd) == '=') {
      return modifier(start, nameEnd, end);
    }
    Qualifier qualifier = Qualifier.of(text.charAt(start));
    int mechStart = qualifier == null ? start : start + 1;
    return new Directive(qualifier == null ? Qualifier.PASS : qualifier, mechanism(mechStart, end));
  }

  private static boolean isNameChar(char c, boolean first) {
    boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    return first ? alpha : alpha || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
  }

  private Modifier modifier(int start, int nameEnd, int end) {
    String name = text.substring(start, nameEnd);
    switch (name.toLowerCase(Locale.ROOT)) {
      case "redirect":
        return new Modifier.Redirect(domainSpec(nameEnd + 1, end));
      case "exp":
        return new Modifier.Explanation(domainSpec(nameEnd + 1, end));
      default:
        return new Modifier.Unknown(name, MacroString.parse(text, nameEnd + 1, end, false, text));
    }
  }

  private Mechanism mechanism(int start, int end) {
    int nameEnd = start;
    while (nameEnd < end && Character.isLetterOrDigit(text.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = text.substring(start, nameEnd).toLowerCase(Locale.ROOT);
    switch (name) {
      case "all":
        if (nameEnd != end) {
          throw error(nameEnd, "all takes no arguments");
        }
        return new Mechanism.All();
      case "include":
        return new Mechanism.Include(requiredDomain(name, nameEnd, end));
      case "exists":
        return new Mechanism.Exists(requiredDomain(name, nameEnd, end));
      case "a":
      case "mx":
        {
          int slash = cidrStart(nameEnd, end);
          Optional<MacroString> domain = optionalDomain(nameEnd, slash);
          int[] prefixes = dualCidr(slash, end);
          return name.equals("a")
              ? new Mechanism.A(domain, prefixes[0], prefixes[1])
              : new Mechanism.Mx(domain, prefixes[0], prefixes[1]);
        }
      case "ptr":
        return new Mechanism.Ptr(optionalDomain(nameEnd, end));
      case "ip4":
        return ip4(nameEnd, end);
      case "ip6":
        return ip6(nameEnd, end);
      default:
        throw error(start, "unknown mechanism " + (name.isEmpty() ? "" : name));
    }
  }

  private MacroString requiredDomain(String name, int nameEnd, int end) {
    if (nameEnd >= end || text.charAt(nameEnd) != ':') {
      throw error(nameEnd, name + " needs ':' and a domain");
    }
    return domainSpec(nameEnd + 1, end);
  }

  private Optional<MacroString> optionalDomain(int nameEnd, int end) {
    if (nameEnd == end) {
      return Optional.empty();
    }
    if (text.charAt(nameEnd) != ':') {
      throw error(nameEnd, "expected ':' after the mechanism name");
    }
    return Optional.of(domainSpec(nameEnd + 1, end));
  }

  /**
   * Where the dual-cidr-length of a or mx begins: a tail of {@code /digits}, {@code //digits} or
   * both, at the very end. A '/' elsewhere belongs to the domain-spec, whose macro-literals may
   * hold any visible character but '%' (RFC 7208 §7.1).
   */
  private int cidrStart(int from, int end) {
    int k = end;
    int digits = k;
    while (digits > from && Character.isDigit(text.charAt(digits - 1))) {
      digits--;
    }
    if (digits == k || digits == from || text.charAt(digits - 1) != '/') {
      return end; // no prefix length at all
    }
    int slash = digits - 1;
    if (slash > from && text.charAt(slash - 1) == '/') {
      // "//n" for IPv6; an IPv4 "/n" may come before it.
      int ip6Start = slash - 1;
      int d4 = ip6Start;
      while (d4 > from && Character.isDigit(text.charAt(d4 - 1))) {
        d4--;
      }
      if (d4 < ip6Start && d4 > from && text.charAt(d4 - 1) == '/') {
        return d4 - 1;
      }
      return ip6Start;
    }
    return slash;
  }

  /*
   * domain-spec = macro-string domain-end
   * domain-end  = ( "." toplabel [ "." ] ) / macro-expand
   * toplabel    = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
   */
  private MacroString domainSpec(int start, int end) {
    if (start >= end) {
      throw error(start, "empty domain-spec");
    }
    MacroString spec = MacroString.parse(text, start, end, false, text);
    List<MacroString.Part> parts = spec.parts();
    MacroString.Part last = parts.get(parts.size() - 1);
    if (last.isMacro()) {
      return spec; // domain-end = macro-expand
    }
    String literal = last.literal();
    int stripped = literal.endsWith(".") ? literal.length() - 1 : literal.length();
    int dot = literal.lastIndexOf('.', stripped - 1);
    if (dot < 0 && parts.size() == 1) {
      throw error(start, "a domain-spec needs at least two labels");
    }
    if (dot < 0) {
      throw error(end - 1, "a domain-spec ends with a macro or '.' and a top label");
    }
    String top = literal.substring(dot + 1, stripped);
    if (!isTopLabel(top)) {
      throw error(end - literal.length() + dot + 1, "not a valid top label: " + top);
    }
    return spec;
  }

  private static boolean isTopLabel(String label) {
    if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
      return false;
    }
    boolean alpha = false;
    boolean hyphen = false;
    for (int k = 0; k < label.length(); k++) {
      char c = label.charAt(k);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        alpha = true;
      } else if (c == '-') {
        hyphen = true;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return alpha || hyphen; // not all digits
  }

  /** dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ] */
  private int[] dualCidr(int start, int end) {
    int[] prefixes = {32, 128};
    int k = start;
    if (k < end && text.charAt(k) == '/' && (k + 1 >= end || text.charAt(k + 1) != '/')) {
      int digitsEnd = digitsEnd(k + 1, end);
      prefixes[0] = cidr(k + 1, digitsEnd, 32);
      k = digitsEnd;
    }
    if (k + 1 < end && text.charAt(k) == '/' && text.charAt(k + 1) == '/') {
      int digitsEnd = digitsEnd(k + 2, end);
      prefixes[1] = cidr(k + 2, digitsEnd, 128);
      k = digitsEnd;
    }
    if (k != end) {
      throw error(k, "expected a prefix length such as /24 or //64");
    }
    return prefixes;
  }

  private int digitsEnd(int from, int end) {
    int k = from;
    while (k < end && text.charAt(k) >= '0' && text.charAt(k) <= '9') {
      k++;
    }
    return k;
  }

  /** A prefix length without leading zeros, at most max. */
  private int cidr(int from, int to, int max) {
    if (from == to || to - from > 3 || to - from > 1 && text.charAt(from) == '0') {
      throw error(from, "expected a prefix length from 0 to " + max);
    }
    int value = Integer.parseInt(text.substring(from, to));
    if (value > max) {
      throw error(from, "prefix length " + value + " above " + max);
    }
    return value;
  }

  private static Inet6Address mapped(Inet4Address v4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xFF;
    b[11] = (byte) 0xFF;
    System.arraycopy(v4.getAddress(), 0, b, 12, 4);
    try {
      return Inet6Address.getByAddress(null, b, -1);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The first '/' within the term, or its end: never searching past it, so parsing stays linear.
   */
  private int slashOrEnd(int from, int end) {
    for (int k = from; k < end; k++) {
      if (text.charAt(k) == '/') {
        return k;
      }
    }
    return end;
  }

  /** ip4-network = qnum "." qnum "." qnum "." qnum; no leading zeros, no abbreviation. */
  private Mechanism.Ip4 ip4(int nameEnd, int end) {
    if (nameEnd >= end || text.charAt(nameEnd) != ':') {
      throw error(nameEnd, "ip4 needs ':' and an address");
    }
    int addressEnd = slashOrEnd(nameEnd, end);
    String address = text.substring(nameEnd + 1, addressEnd);
    String[] quads = address.split("\\.", -1);
    boolean valid = quads.length == 4;
    for (String q : quads) {
      valid &=
          !q.isEmpty()
              && q.length() <= 3
              && q.chars().allMatch(Character::isDigit)
              && (q.length() == 1 || q.charAt(0) != '0')
              && Integer.parseInt(q) <= 255;
    }
    if (!valid) {
      throw error(nameEnd + 1, "not an IPv4 address: " + address);
    }
    int prefix = 32;
    if (addressEnd < end) {
      int digits = digitsEnd(addressEnd + 1, end);
      if (digits != end) {
        throw error(addressEnd, "expected a prefix length from 0 to 32");
      }
      prefix = cidr(addressEnd + 1, digits, 32);
    }
    return new Mechanism.Ip4((Inet4Address) InetAddresses.forString(address), prefix);
  }

  private Mechanism.Ip6 ip6(int nameEnd, int end) {
    if (nameEnd >= end || text.charAt(nameEnd) != ':') {
      throw error(nameEnd, "ip6 needs ':' and an address");
    }
    int addressEnd = slashOrEnd(nameEnd, end);
    String address = text.substring(nameEnd + 1, addressEnd);
    if (!address.contains(":") || address.contains("%") || !InetAddresses.isInetAddress(address)) {
      throw error(nameEnd + 1, "not an IPv6 address: " + address);
    }
    InetAddress parsed = InetAddresses.forString(address);
    if (parsed instanceof Inet4Address) {
      parsed = mapped((Inet4Address) parsed); // Guava turns ::ffff:a.b.c.d into IPv4
    }
    int prefix = 128;
    if (addressEnd < end) {
      int digits = digitsEnd(addressEnd + 1, end);
      if (digits != end) {
        throw error(addressEnd, "expected a prefix length from 0 to 128");
      }
      prefix = cidr(addressEnd + 1, digits, 128);
    }
    return new Mechanism.Ip6((Inet6Address) parsed, prefix);
  }
}
