package org.mailauth4j.spf;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Expands macro-strings (RFC 7208 §7.3) with the values of one check. The value of {@code p} needs
 * DNS, so the caller works it out beforehand when {@link MacroString#uses(char)} says so.
 */
final class MacroExpander {

  /** The values macros expand to, for one check of one domain. */
  record Values(
      String sender,
      String localPart,
      String senderDomain,
      String domain,
      InetAddress ip,
      String validatedName,
      String helo,
      String receiver,
      long epochSeconds) {

    Values withDomain(String other) {
      return new Values(
          sender, localPart, senderDomain, other, ip, validatedName, helo, receiver, epochSeconds);
    }

    Values withValidatedName(String name) {
      return new Values(
          sender, localPart, senderDomain, domain, ip, name, helo, receiver, epochSeconds);
    }
  }

  private MacroExpander() {}

  /**
   * The longest explanation kept, in characters. A longer one is dropped, as if there were no
   * {@code exp=}: it would not fit an SMTP reply line anyway (RFC 5321 §4.5.3.1.5).
   */
  static final int MAX_EXPLANATION = 2048;

  /** Beyond this, a target being expanded is cut to its last {@link #TAIL} characters. */
  private static final int TRIM_AT = 8192;

  private static final int TAIL = 1024;

  /**
   * Expands a domain-spec and shortens the result to 253 characters by dropping labels on the left
   * (RFC 7208 §7.3). A record full of macros can expand to megabytes; as only the tail can survive
   * the truncation, the expansion keeps just the tail as it goes.
   */
  static String expandDomain(MacroString macro, Values v) {
    StringBuilder out = new StringBuilder();
    for (MacroString.Part part : macro.parts()) {
      append(out, part, v);
      if (out.length() > TRIM_AT) {
        out.delete(0, out.length() - TAIL);
      }
    }
    return truncate(out.toString());
  }

  /** Expands an explanation string (RFC 7208 §6.2), or returns null when it grows too long. */
  static String expandExplanation(MacroString macro, Values v) {
    StringBuilder out = new StringBuilder();
    for (MacroString.Part part : macro.parts()) {
      append(out, part, v);
      if (out.length() > MAX_EXPLANATION) {
        return null;
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, MacroString.Part part, Values v) {
    if (!part.isMacro()) {
      out.append(part.literal());
      return;
    }
    String value = transform(value(Character.toLowerCase(part.letter()), v), part);
    out.append(part.urlEscape() ? urlEscape(value) : value);
  }

  private static String value(char letter, Values v) {
    switch (letter) {
      case 's':
        return v.sender();
      case 'l':
        return v.localPart();
      case 'o':
        return v.senderDomain();
      case 'd':
        return v.domain();
      case 'i':
        return dotted(v.ip());
      case 'p':
        return v.validatedName() == null ? "unknown" : v.validatedName();
      case 'v':
        return v.ip() instanceof Inet4Address ? "in-addr" : "ip6";
      case 'h':
        return v.helo();
      case 'c':
        return InetAddresses.toAddrString(v.ip());
      case 'r':
        return v.receiver();
      case 't':
        return Long.toString(v.epochSeconds());
      default:
        throw new AssertionError(letter); // the parser accepts no other letter
    }
  }

  /** RFC 7208 §7.3: IPv4 dotted; IPv6 as 32 nibbles separated by dots. */
  static String dotted(InetAddress ip) {
    if (ip instanceof Inet4Address) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    StringBuilder sb = new StringBuilder(63);
    for (byte octet : b) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(Character.forDigit((octet >> 4) & 0xF, 16)).append('.');
      sb.append(Character.forDigit(octet & 0xF, 16));
    }
    return sb.toString();
  }

  /**
   * RFC 7208 §7.3: split on the delimiters (default '.'), reverse if asked, keep the right-most
   * parts, and join with '.'.
   */
  private static String transform(String value, MacroString.Part part) {
    if (part.keep() == 0 && !part.reverse() && part.delimiters().isEmpty()) {
      return value;
    }
    String delimiters = part.delimiters().isEmpty() ? "." : part.delimiters();
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int k = 0; k < value.length(); k++) {
      if (delimiters.indexOf(value.charAt(k)) >= 0) {
        parts.add(value.substring(start, k));
        start = k + 1;
      }
    }
    parts.add(value.substring(start));
    if (part.reverse()) {
      Collections.reverse(parts);
    }
    if (part.keep() > 0 && part.keep() < parts.size()) {
      parts = parts.subList(parts.size() - part.keep(), parts.size());
    }
    return String.join(".", parts);
  }

  /** RFC 7208 §7.3, RFC 3986 §2.1: everything but unreserved characters is percent-encoded. */
  private static String urlEscape(String value) {
    StringBuilder sb = new StringBuilder();
    for (byte b : value.getBytes(UTF_8)) {
      int c = b & 0xFF;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * RFC 7208 §7.3: a name longer than 253 characters loses labels from the left until it fits. A
   * trailing dot is dropped first.
   */
  static String truncate(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    while (n.length() > 253) {
      int dot = n.indexOf('.');
      if (dot < 0) {
        return n;
      }
      n = n.substring(dot + 1);
    }
    return n;
  }
}
